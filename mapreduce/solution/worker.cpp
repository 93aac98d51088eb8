#include "worker.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "mapreduce/framework/rpc_client.h"
#include "rpc.h"
#include "task_files.h"

namespace mr {

namespace {

// How long to wait before asking again when every task of the phase is taken.
constexpr std::chrono::milliseconds kWaitInterval{100};
// Consecutive failed calls (the coordinator answered with an error) before giving up.
constexpr int kMaxFailedCalls = 50;

void RunMap(const MapFunc& mapf, const RequestTaskReply& task) {
  std::vector<KeyValue> pairs = mapf(task.file, ReadWholeFile(task.file));
  WriteIntermediate(task.task, task.n_reduce, pairs);
}

void RunReduce(const ReduceFunc& reducef, const RequestTaskReply& task) {
  std::vector<KeyValue> pairs;
  ReadIntermediate(task.n_map, task.task, &pairs);
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const KeyValue& a, const KeyValue& b) { return a.key < b.key; });
  std::string output;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    values.clear();
    for (; j < pairs.size() && pairs[j].key == pairs[i].key; ++j) {
      values.push_back(std::move(pairs[j].value));
    }
    output += pairs[i].key;
    output += ' ';
    output += reducef(pairs[i].key, values);
    output += '\n';
    i = j;
  }
  WriteFileAtomically(OutputName(task.task), output);
}

}  // namespace

void Worker(const MapFunc& mapf, const ReduceFunc& reducef) {
  const int pid = static_cast<int>(getpid());
  int failed_calls = 0;
  while (failed_calls < kMaxFailedCalls) {
    RequestTaskReply task;
    if (!Call("Coordinator.RequestTask", RequestTaskArgs{pid}, &task)) {
      ++failed_calls;
      std::this_thread::sleep_for(kWaitInterval);
      continue;
    }
    failed_calls = 0;
    switch (task.kind) {
      case TaskKind::kMap:
        RunMap(mapf, task);
        break;
      case TaskKind::kReduce:
        RunReduce(reducef, task);
        break;
      case TaskKind::kWait:
        std::this_thread::sleep_for(kWaitInterval);
        continue;
      case TaskKind::kExit:
        return;
    }
    ReportTaskReply report;
    Call("Coordinator.ReportTask", ReportTaskArgs{task.kind, task.task, pid}, &report);
  }
  std::fprintf(stderr, "worker: %d calls in a row failed; giving up\n", kMaxFailedCalls);
}

void CallExample() {
  ExampleArgs args;
  args.x = 99;
  ExampleReply reply;
  if (Call("Coordinator.Example", args, &reply)) {
    std::printf("reply.y %d\n", reply.y);
  } else {
    std::printf("call failed!\n");
  }
}

}  // namespace mr
