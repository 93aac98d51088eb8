// LAB_UNIMPLEMENTED("2A"): the body of a stub you have not written yet.
//
//   RaftState Raft::GetState() {
//     // TODO(student, 2A): ...
//     LAB_UNIMPLEMENTED("2A");
//   }
//
// It throws raft::NotImplemented, whose message names the function and the part, e.g.
// "not implemented: Raft::GetState (2A)"; the test that called it fails at once with that
// message instead of timing out. Delete the line when you write the function.
//
// LAB_UNIMPLEMENTED_FROM("2C"): the body of a stub that earlier parts call but do not need
// yet. Persist is one: you call it from 2A on, wherever persistent state changes, and it has
// work to do from 2C on. In a test of an earlier part it does nothing; in a test of that part
// or a later one it throws NotImplemented, exactly like LAB_UNIMPLEMENTED. (The tester tells
// which part a test belongs to, from its title: "Test (2C): ...".)
//
// Framework file: grading uses the original. Edit it only to debug.
#ifndef RAFT_UNIMPLEMENTED_H_
#define RAFT_UNIMPLEMENTED_H_

#include <atomic>
#include <stdexcept>
#include <string>
#include <string_view>

namespace raft {

class NotImplemented : public std::logic_error {
 public:
  NotImplemented(std::string_view function, std::string_view part)
      : std::logic_error("not implemented: " + std::string(function) + " (" + std::string(part) +
                         "); see its TODO(student, " + std::string(part) + ")") {}
};

namespace detail {
// "raft::RaftState raft::Raft::GetState()" -> "Raft::GetState".
inline std::string_view StubName(std::string_view pretty_function) {
  std::string_view name = pretty_function.substr(0, pretty_function.find('('));
  const std::size_t space = name.rfind(' ');
  if (space != std::string_view::npos) name.remove_prefix(space + 1);
  constexpr std::string_view kNamespace = "raft::";
  if (name.substr(0, kNamespace.size()) == kNamespace) name.remove_prefix(kNamespace.size());
  return name;
}

// The part of the test that is running ('A' to 'D' for 2A to 2D), or 0 when unknown (no test,
// or a lab that builds on Raft). Set by the tester; atomic, since Raft's tasks read it on the
// real backend while the test's main task sets it.
inline std::atomic<char> part_under_test{0};

// True when a stub of `part` ("2C") must say it is not implemented: the test belongs to that
// part or a later one.
inline bool PartIsUnderTest(std::string_view part) {
  const char current = part_under_test.load(std::memory_order_relaxed);
  return current != 0 && part.size() == 2 && current >= part[1];
}
}  // namespace detail

}  // namespace raft

#ifndef LAB_UNIMPLEMENTED
#define LAB_UNIMPLEMENTED(part) \
  throw ::raft::NotImplemented(::raft::detail::StubName(__PRETTY_FUNCTION__), part)
#endif

#ifndef LAB_UNIMPLEMENTED_FROM
#define LAB_UNIMPLEMENTED_FROM(part)                                                     \
  do {                                                                                   \
    if (::raft::detail::PartIsUnderTest(part)) {                                         \
      throw ::raft::NotImplemented(::raft::detail::StubName(__PRETTY_FUNCTION__), part); \
    }                                                                                    \
  } while (0)
#endif

#endif  // RAFT_UNIMPLEMENTED_H_
