// Lab 1: MapReduce. The worker: your file (with worker.cpp; see coordinator.h for the others).
//
// mrworker (mapreduce/main/mrworker.cpp, do not change it) loads an application (wc.so, ...)
// and calls Worker(mapf, reducef) once; the process ends when Worker returns.
//
// A worker repeatedly asks the coordinator for a task, runs it, and reports back:
//   - map task X of input file F: call mapf(F, contents of F) and split the pairs it returns
//     into n_reduce intermediate files mr-X-Y, pair (k, v) going to Y = IHash(k) % n_reduce
//     (mapreduce/framework/keyvalue.h). JSON lines are a fine format (nlohmann::json).
//   - reduce task Y: read every mr-X-Y, sort the pairs by key, call reducef once per distinct
//     key with all its values, and write one line "key result\n" per key to mr-out-Y.
// Write each output to a temporary file and rename it into place when complete, so that
// nobody ever sees a partial file from a worker that crashed.
// Return when the job is done (the coordinator can say so; and mr::Call ends the process if
// the coordinator has exited).
#ifndef MAPREDUCE_WORKER_H_
#define MAPREDUCE_WORKER_H_

#include "mapreduce/framework/keyvalue.h"

namespace mr {

void Worker(const MapFunc& mapf, const ReduceFunc& reducef);

// Sends the example RPC to the coordinator and prints the reply: mr::Call in action.
void CallExample();

}  // namespace mr

#endif  // MAPREDUCE_WORKER_H_
