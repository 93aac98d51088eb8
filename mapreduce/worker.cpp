// Lab 1: MapReduce. The worker: see worker.h for what it must do.
#include "worker.h"

#include <cstdio>

#include "mapreduce/framework/rpc_client.h"
#include "mapreduce/framework/unimplemented.h"
#include "rpc.h"

namespace mr {

void Worker([[maybe_unused]] const MapFunc& mapf, [[maybe_unused]] const ReduceFunc& reducef) {
  // TODO(student): loop: ask the coordinator for a task with mr::Call, run it, report it
  // finished; sleep a little when there is nothing to do yet; return when the job is done.

  // Uncomment to send the Example RPC to the coordinator.
  // CallExample();

  MR_UNIMPLEMENTED("mr::Worker");
}

// An example of how to make an RPC to the coordinator.
void CallExample() {
  ExampleArgs args;
  args.x = 99;  // the coordinator's handler replies x + 1
  ExampleReply reply;
  // Call sends the RPC and waits for the reply. It returns true if the handler ran; the
  // method name is the one the coordinator registered.
  if (Call("Coordinator.Example", args, &reply)) {
    std::printf("reply.y %d\n", reply.y);  // 100
  } else {
    std::printf("call failed!\n");
  }
}

}  // namespace mr
