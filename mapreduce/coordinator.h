// Lab 1: MapReduce. The coordinator: your file (with coordinator.cpp, worker.h, worker.cpp
// and rpc.h). Read it, then fill in the TODO(student)s.
//
// Read first: the MapReduce paper (Dean and Ghemawat, OSDI 2004), sections 2 and 3, and
// docs/en/lab1-mapreduce.md (docs/zh/lab1-mapreduce.md in Chinese).
//
// mrcoordinator (mapreduce/main/mrcoordinator.cpp, do not change it) runs one job:
//
//   auto coordinator = mr::MakeCoordinator(files, 10);  // returns at once, serving RPCs
//   while (!coordinator->Done()) sleep one second;
//
// Every input file is one map task; there are n_reduce reduce tasks. Worker processes
// (worker.cpp) ask the coordinator for tasks with RPCs that you define in rpc.h and register
// in Server(). Each RPC handler runs on a thread of its own, concurrently with other handlers
// and with Done(): protect the coordinator's state with mu_.
//
// Things the tests check: a task whose worker has not reported back within 10 seconds is given
// to another worker (the worker may have crashed); no task runs twice otherwise (the job-count
// test counts executions); Done() is true only when every reduce task has finished.
#ifndef MAPREDUCE_COORDINATOR_H_
#define MAPREDUCE_COORDINATOR_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mapreduce/framework/rpc_server.h"
#include "rpc.h"

namespace mr {

class Coordinator {
 public:
  // Go's MakeCoordinator: `files` are the job's input files, `n_reduce` the number of reduce
  // tasks. Must return quickly: it starts the RPC server and leaves the rest to the handlers.
  Coordinator(std::vector<std::string> files, int n_reduce);
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // True when the whole job has finished. mrcoordinator calls it once a second.
  bool Done();

  // RPC handlers: void Name(const Args& args, Reply* reply). Register each one in Server().
  void Example(const ExampleArgs& args, ExampleReply* reply);
  // TODO(student): your handlers (for example, a worker asking for a task and one reporting
  // a finished task).

 private:
  // Registers the RPC handlers and starts listening at CoordinatorSock().
  void Server();

  // Constant after construction.
  const std::vector<std::string> files_;  // map task X reads files_[X]
  const int n_reduce_;

  std::mutex mu_;
  // TODO(student): the state of the job, protected by mu_: what each map and reduce task is
  // doing (idle, running since when, finished). Write next to each field what must hold.

  // Declared last, so that it is destroyed (and its handlers stopped) before the state above.
  RpcServer rpc_server_;
};

std::unique_ptr<Coordinator> MakeCoordinator(std::vector<std::string> files, int n_reduce);

}  // namespace mr

#endif  // MAPREDUCE_COORDINATOR_H_
