// Lab 1: MapReduce. The RPC messages between workers and the coordinator: your file.
//
// Each RPC has an argument struct and a reply struct. They cross a Unix-domain socket as JSON,
// so list every field in NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE: a field left out of the macro
// silently keeps its default value on the other side. (Go's version of this file warns that
// field names must start with a capital letter, for the same reason.) Give every field a
// default value. An enum crosses as JSON too, with NLOHMANN_JSON_SERIALIZE_ENUM.
//
// The coordinator's socket path comes from mr::CoordinatorSock()
// (mapreduce/framework/socket_path.h); you do not need to change it.
#ifndef MAPREDUCE_RPC_H_
#define MAPREDUCE_RPC_H_

#include <string>

#include <nlohmann/json.hpp>

namespace mr {

// An example RPC: the coordinator replies y = x + 1 (see CallExample in worker.cpp).
struct ExampleArgs {
  int x = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExampleArgs, x)

struct ExampleReply {
  int y = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExampleReply, y)

// TODO(student): the arguments and replies of your RPCs. For example, a worker asks for a
// task (what kind: map, reduce, wait, or exit? which input file or task number? how many
// reduce tasks are there?) and later reports that the task is finished.

}  // namespace mr

#endif  // MAPREDUCE_RPC_H_
