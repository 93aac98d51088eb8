#include "labrpc/runtime/stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <utility>
#include <vector>

namespace lab::detail {
namespace {

constexpr std::size_t kMaxPooled = 4096;

struct Pool {
  std::vector<std::pair<std::size_t, void*>> free;  // (size, base)
  ~Pool() {
    for (auto& [size, base] : free) munmap(base, size);
  }
};
thread_local Pool pool;

std::size_t PageSize() {
  static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

StackPool::StackPool(std::size_t size, const void** bottom, std::size_t* size_out)
    : bottom_(bottom), size_out_(size_out) {
  const std::size_t page = PageSize();
  size_ = ((size + page - 1) / page + 1) * page;  // round up, plus the guard page
}

boost::context::stack_context StackPool::allocate() {
  void* base = nullptr;
  for (std::size_t i = pool.free.size(); i-- > 0;) {
    if (pool.free[i].first == size_) {
      base = pool.free[i].second;
      pool.free[i] = pool.free.back();
      pool.free.pop_back();
      break;
    }
  }
  if (base == nullptr) {
    base = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    if (mprotect(base, PageSize(), PROT_NONE) != 0) {  // the guard page, at the low end
      munmap(base, size_);
      throw std::bad_alloc();
    }
  }
  boost::context::stack_context sctx;
  sctx.size = size_;
  sctx.sp = static_cast<char*>(base) + size_;  // stacks grow down from the top
  if (bottom_ != nullptr) *bottom_ = base;
  if (size_out_ != nullptr) *size_out_ = size_;
  return sctx;
}

void StackPool::deallocate(boost::context::stack_context& sctx) noexcept {
  void* base = static_cast<char*>(sctx.sp) - sctx.size;
  if (pool.free.size() < kMaxPooled) {
    pool.free.emplace_back(sctx.size, base);
  } else {
    munmap(base, sctx.size);
  }
}

}  // namespace lab::detail
