// Call: the worker's side of the MapReduce RPC layer (Go's call() in worker.go).
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   ExampleArgs args;
//   args.x = 99;
//   ExampleReply reply;
//   if (mr::Call("Coordinator.Example", args, &reply)) {
//     // the handler ran; reply.y == 100
//   }
//
// Each call connects to CoordinatorSock() afresh, sends one request (wire.h) and waits for
// the reply, however long the handler takes. Call returns true when the handler ran and
// *reply holds its result. It returns false, after printing why, when the call failed: the
// handler threw, the coordinator does not know the method, the arguments or the reply did not
// convert, or the connection broke before the reply arrived.
//
// NOTE: when the coordinator cannot be reached at all (no socket file, or nobody listening on
// it), the job is over or the coordinator died. As in the original, Call then prints a line
// and ends the worker process, with exit status 0. That is how a worker whose coordinator has
// exited stops.
//
// Thread safety: Call may be used from several threads at once.
#ifndef MAPREDUCE_FRAMEWORK_RPC_CLIENT_H_
#define MAPREDUCE_FRAMEWORK_RPC_CLIENT_H_

#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mapreduce/framework/socket_path.h"

namespace mr {

enum class CallStatus {
  kOk,           // the handler ran; reply holds its JSON result
  kUnreachable,  // nothing listens at the socket path
  kFailed,       // see error
};

struct CallResult {
  CallStatus status = CallStatus::kFailed;
  nlohmann::json reply;
  std::string error;
};

// One request over a fresh connection to `socket_path`. Never throws for network or protocol
// problems; they come back as a status and an error message.
CallResult CallJson(const std::string& socket_path, std::string_view method,
                    const nlohmann::json& args);

namespace detail {
// CallJson to CoordinatorSock(); exits the process when the coordinator is unreachable and
// prints the error of a failed call. Returns the reply only on success.
bool CallOrExit(std::string_view method, const nlohmann::json& args, nlohmann::json* reply);
}  // namespace detail

template <class Args, class Reply>
bool Call(std::string_view method, const Args& args, Reply* reply) {
  static_assert(
      requires(nlohmann::json & j, const Args& a) { j = a; },
      "mr::Call: Args cannot be converted to JSON. Add "
      "NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Args, field1, field2, ...) after it.");
  static_assert(
      requires(const nlohmann::json& j, Reply& r) { j.get_to(r); },
      "mr::Call: Reply cannot be converted from JSON. Add "
      "NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Reply, field1, field2, ...) after it.");
  nlohmann::json json_reply;
  if (!detail::CallOrExit(method, nlohmann::json(args), &json_reply)) return false;
  try {
    json_reply.get_to(*reply);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "mr::Call(%.*s): the reply does not convert to the reply type: %s\n",
                 static_cast<int>(method.size()), method.data(), e.what());
    return false;
  }
  return true;
}

}  // namespace mr

#endif  // MAPREDUCE_FRAMEWORK_RPC_CLIENT_H_
