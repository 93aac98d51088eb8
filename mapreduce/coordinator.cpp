// Lab 1: MapReduce. The coordinator: see coordinator.h for what it must do.
#include "coordinator.h"

#include <utility>

#include "mapreduce/framework/socket_path.h"
#include "mapreduce/framework/unimplemented.h"

namespace mr {

Coordinator::Coordinator(std::vector<std::string> files, int n_reduce)
    : files_(std::move(files)), n_reduce_(n_reduce) {
  // TODO(student): set up the state of every map and reduce task.

  Server();
}

// An example RPC handler.
void Coordinator::Example(const ExampleArgs& args, ExampleReply* reply) { reply->y = args.x + 1; }

void Coordinator::Server() {
  rpc_server_.Register("Coordinator.Example", this, &Coordinator::Example);
  // TODO(student): register your handlers the same way, e.g.
  //   rpc_server_.Register("Coordinator.RequestTask", this, &Coordinator::RequestTask);
  rpc_server_.Start(CoordinatorSock());
}

bool Coordinator::Done() {
  // TODO(student): return true once every reduce task has finished. Until then, return false.
  MR_UNIMPLEMENTED("Coordinator::Done");
}

std::unique_ptr<Coordinator> MakeCoordinator(std::vector<std::string> files, int n_reduce) {
  return std::make_unique<Coordinator>(std::move(files), n_reduce);
}

}  // namespace mr
