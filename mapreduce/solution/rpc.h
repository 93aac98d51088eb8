// Lab 1 reference solution: the RPC messages between workers and the coordinator.
//
// Two RPCs. A worker calls Coordinator.RequestTask to get work (a map task, a reduce task,
// "wait and ask again", or "exit: the job is done"), runs it, and calls Coordinator.ReportTask
// once the task's output files are in place.
#ifndef MAPREDUCE_SOLUTION_RPC_H_
#define MAPREDUCE_SOLUTION_RPC_H_

#include <string>

#include <nlohmann/json.hpp>

namespace mr {

struct ExampleArgs {
  int x = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExampleArgs, x)

struct ExampleReply {
  int y = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExampleReply, y)

enum class TaskKind { kWait, kMap, kReduce, kExit };
NLOHMANN_JSON_SERIALIZE_ENUM(TaskKind, {{TaskKind::kWait, "wait"},
                                        {TaskKind::kMap, "map"},
                                        {TaskKind::kReduce, "reduce"},
                                        {TaskKind::kExit, "exit"}})

struct RequestTaskArgs {
  int worker = 0;  // the worker's process id, for the coordinator's log only
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestTaskArgs, worker)

struct RequestTaskReply {
  TaskKind kind = TaskKind::kWait;
  int task = -1;     // map task number X (kMap) or reduce task number Y (kReduce)
  std::string file;  // kMap: the input file
  int n_map = 0;     // number of map tasks: a reduce task reads mr-0-Y .. mr-(n_map-1)-Y
  int n_reduce = 0;  // number of reduce tasks: a map task writes mr-X-0 .. mr-X-(n_reduce-1)
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RequestTaskReply, kind, task, file, n_map, n_reduce)

struct ReportTaskArgs {
  TaskKind kind = TaskKind::kMap;  // kMap or kReduce
  int task = -1;
  int worker = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReportTaskArgs, kind, task, worker)

struct ReportTaskReply {
  bool accepted = false;  // false only for a report that names no such task
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ReportTaskReply, accepted)

}  // namespace mr

#endif  // MAPREDUCE_SOLUTION_RPC_H_
