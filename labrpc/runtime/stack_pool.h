// Internal: fiber stacks with a guard page, recycled through a per-thread pool.
//
// Every stack is one mmap'ed region whose lowest page is PROT_NONE: a task that overflows its
// stack (with -fstack-clash-protection, even through one large local array) hits the guard
// page and gets SIGSEGV instead of silently corrupting a neighbour. mmap and mprotect cost a
// few microseconds, so freed stacks are kept for the next task of the same size.
#ifndef LABRPC_RUNTIME_STACK_POOL_H_
#define LABRPC_RUNTIME_STACK_POOL_H_

#include <cstddef>

#include <boost/context/stack_context.hpp>

namespace lab::detail {

class StackPool {
 public:
  // Boost.Context StackAllocator concept; copies share the per-thread pool.
  // When given, *bottom and *size receive the bounds of the stack that allocate() hands out
  // (the sanitizers need them at every switch).
  StackPool(std::size_t size, const void** bottom = nullptr, std::size_t* size_out = nullptr);
  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& sctx) noexcept;

 private:
  const void** bottom_;
  std::size_t* size_out_;
  std::size_t size_;  // usable bytes plus the guard page, a multiple of the page size
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_STACK_POOL_H_
