// MR_UNIMPLEMENTED: what a student stub does until it is written.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// A stub throws mr::NotImplemented; mrcoordinator and mrworker catch it, print
// "not implemented: <what> (TODO(student) in <file>)" and exit with status 2, so the test
// driver fails at once with a clear message instead of waiting for a timeout.
#ifndef MAPREDUCE_FRAMEWORK_UNIMPLEMENTED_H_
#define MAPREDUCE_FRAMEWORK_UNIMPLEMENTED_H_

#include <stdexcept>
#include <string>

namespace mr {

class NotImplemented : public std::logic_error {
 public:
  NotImplemented(const std::string& what, const std::string& file)
      : std::logic_error("not implemented: " + what + " (TODO(student) in " + ShortPath(file) +
                         ")") {}

 private:
  // "/home/me/labs/mapreduce/worker.cpp" -> "mapreduce/worker.cpp".
  static std::string ShortPath(const std::string& file) {
    auto pos = file.rfind("mapreduce/");
    return pos == std::string::npos ? file : file.substr(pos);
  }
};

// The exit status of mrcoordinator and mrworker when student code is still a stub.
inline constexpr int kNotImplementedExitStatus = 2;

}  // namespace mr

#define MR_UNIMPLEMENTED(what) throw ::mr::NotImplemented((what), __FILE__)

#endif  // MAPREDUCE_FRAMEWORK_UNIMPLEMENTED_H_
