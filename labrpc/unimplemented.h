// LAB_UNIMPLEMENTED("3A"): the body of a stub you have not written yet.
//
//   std::string Clerk::Get(const std::string& key) {
//     // TODO(student, 3A): ...
//     LAB_UNIMPLEMENTED("3A");
//   }
//
// It throws lab::NotImplemented, whose message names the function and the part, e.g.
// "not implemented: Clerk::Get (3A)"; the test that called it fails at once with that message
// instead of timing out. Delete the line when you write the function.
//
// Framework file: grading uses the original. Edit it only to debug.
#ifndef LABRPC_UNIMPLEMENTED_H_
#define LABRPC_UNIMPLEMENTED_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace lab {

class NotImplemented : public std::logic_error {
 public:
  NotImplemented(std::string_view function, std::string_view part)
      : std::logic_error("not implemented: " + std::string(function) + " (" + std::string(part) +
                         "); see its TODO(student, " + std::string(part) + ")") {}
};

namespace detail {
// "std::string kvraft::Clerk::Get(const string&)" -> "Clerk::Get": the return type and the
// lowercase (namespace) qualifiers go, the class stays.
inline std::string_view StubName(std::string_view pretty_function) {
  std::string_view name = pretty_function.substr(0, pretty_function.find('('));
  const std::size_t space = name.rfind(' ');
  if (space != std::string_view::npos) name.remove_prefix(space + 1);
  for (;;) {
    const std::size_t colons = name.find("::");
    if (colons == std::string_view::npos || colons == 0) break;
    const char first = name.front();
    if (first < 'a' || first > 'z') break;  // a class (CamelCase), not a namespace
    name.remove_prefix(colons + 2);
  }
  return name;
}
}  // namespace detail

}  // namespace lab

#ifndef LAB_UNIMPLEMENTED
#define LAB_UNIMPLEMENTED(part) \
  throw ::lab::NotImplemented(::lab::detail::StubName(__PRETTY_FUNCTION__), part)
#endif

#endif  // LABRPC_UNIMPLEMENTED_H_
