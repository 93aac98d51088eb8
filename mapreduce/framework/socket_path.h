// Where the coordinator listens (Go's coordinatorSock()).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// The original used one fixed name per user, so two jobs could not run at once. Here the path
// comes from the environment variable MR_SOCKET when it is set (the test driver gives every
// run its own), and is /var/tmp/824-mr-<uid> otherwise, as in the original.
#ifndef MAPREDUCE_FRAMEWORK_SOCKET_PATH_H_
#define MAPREDUCE_FRAMEWORK_SOCKET_PATH_H_

#include <string>

namespace mr {

inline constexpr const char* kSocketEnvVar = "MR_SOCKET";

// The Unix-domain socket path shared by mrcoordinator and mrworker.
std::string CoordinatorSock();

}  // namespace mr

#endif  // MAPREDUCE_FRAMEWORK_SOCKET_PATH_H_
