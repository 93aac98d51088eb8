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
// Framework file: grading uses the original. Edit it only to debug.
#ifndef RAFT_UNIMPLEMENTED_H_
#define RAFT_UNIMPLEMENTED_H_

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
}  // namespace detail

}  // namespace raft

#ifndef LAB_UNIMPLEMENTED
#define LAB_UNIMPLEMENTED(part) \
  throw ::raft::NotImplemented(::raft::detail::StubName(__PRETTY_FUNCTION__), part)
#endif

#endif  // RAFT_UNIMPLEMENTED_H_
