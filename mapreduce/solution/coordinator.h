// Lab 1 reference solution: the coordinator. Same public API as the student's
// mapreduce/coordinator.h.
//
// Design: the job has two phases, map then reduce; each is a TaskTable (task_table.h). A
// worker's RequestTask gets a task of the current phase, "wait" when every task of the phase
// is running (a reduce task may not start before every map task has finished), or "exit" once
// the reduce phase is finished too. A task that has not been reported within 10 seconds is
// handed out again (the handout's timeout). Done() is true once every reduce task is reported.
#ifndef MAPREDUCE_SOLUTION_COORDINATOR_H_
#define MAPREDUCE_SOLUTION_COORDINATOR_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mapreduce/framework/rpc_server.h"
#include "rpc.h"
#include "task_table.h"

namespace mr {

class Coordinator {
 public:
  Coordinator(std::vector<std::string> files, int n_reduce);
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  bool Done();

  // RPC handlers.
  void Example(const ExampleArgs& args, ExampleReply* reply);
  void RequestTask(const RequestTaskArgs& args, RequestTaskReply* reply);
  void ReportTask(const ReportTaskArgs& args, ReportTaskReply* reply);

 private:
  void Server();

  // How long a worker may hold a task before the task is given to another worker.
  static constexpr std::chrono::seconds kTaskTimeout{10};

  // Constant after construction.
  const std::vector<std::string> files_;  // map task X reads files_[X]
  const int n_reduce_;

  std::mutex mu_;
  // Protected by mu_. Invariant: no reduce task is assigned while !map_tasks_.AllDone().
  TaskTable map_tasks_;
  TaskTable reduce_tasks_;

  // Declared last, so that it is destroyed (and its handlers stopped) before the state above.
  RpcServer rpc_server_;
};

std::unique_ptr<Coordinator> MakeCoordinator(std::vector<std::string> files, int n_reduce);

}  // namespace mr

#endif  // MAPREDUCE_SOLUTION_COORDINATOR_H_
