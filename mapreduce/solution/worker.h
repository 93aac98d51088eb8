// Lab 1 reference solution: the worker. Same public API as the student's mapreduce/worker.h.
//
// Loop: RequestTask; run the map or reduce task (task_files.h writes its output atomically);
// ReportTask; on "wait", sleep briefly and ask again; on "exit", return. If the coordinator
// has gone away, mr::Call ends the process.
#ifndef MAPREDUCE_SOLUTION_WORKER_H_
#define MAPREDUCE_SOLUTION_WORKER_H_

#include "mapreduce/framework/keyvalue.h"

namespace mr {

void Worker(const MapFunc& mapf, const ReduceFunc& reducef);

void CallExample();

}  // namespace mr

#endif  // MAPREDUCE_SOLUTION_WORKER_H_
