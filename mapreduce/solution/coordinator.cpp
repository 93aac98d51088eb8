#include "coordinator.h"

#include <utility>

#include "mapreduce/framework/socket_path.h"

namespace mr {

Coordinator::Coordinator(std::vector<std::string> files, int n_reduce)
    : files_(std::move(files)),
      n_reduce_(n_reduce),
      map_tasks_(static_cast<int>(files_.size()), kTaskTimeout),
      reduce_tasks_(n_reduce, kTaskTimeout) {
  Server();
}

void Coordinator::Server() {
  rpc_server_.Register("Coordinator.Example", this, &Coordinator::Example);
  rpc_server_.Register("Coordinator.RequestTask", this, &Coordinator::RequestTask);
  rpc_server_.Register("Coordinator.ReportTask", this, &Coordinator::ReportTask);
  rpc_server_.Start(CoordinatorSock());
}

bool Coordinator::Done() {
  std::lock_guard<std::mutex> lock(mu_);
  return reduce_tasks_.AllDone();
}

void Coordinator::Example(const ExampleArgs& args, ExampleReply* reply) { reply->y = args.x + 1; }

void Coordinator::RequestTask(const RequestTaskArgs& /*args*/, RequestTaskReply* reply) {
  std::lock_guard<std::mutex> lock(mu_);
  reply->n_map = map_tasks_.size();
  reply->n_reduce = n_reduce_;
  auto now = TaskTable::Clock::now();
  if (!map_tasks_.AllDone()) {
    if (auto task = map_tasks_.Assign(now)) {
      reply->kind = TaskKind::kMap;
      reply->task = *task;
      reply->file = files_[static_cast<std::size_t>(*task)];
    } else {
      reply->kind = TaskKind::kWait;
    }
  } else if (!reduce_tasks_.AllDone()) {
    if (auto task = reduce_tasks_.Assign(now)) {
      reply->kind = TaskKind::kReduce;
      reply->task = *task;
    } else {
      reply->kind = TaskKind::kWait;
    }
  } else {
    reply->kind = TaskKind::kExit;
  }
}

void Coordinator::ReportTask(const ReportTaskArgs& args, ReportTaskReply* reply) {
  std::lock_guard<std::mutex> lock(mu_);
  switch (args.kind) {
    case TaskKind::kMap:
      reply->accepted = map_tasks_.Finish(args.task);
      break;
    case TaskKind::kReduce:
      reply->accepted = reduce_tasks_.Finish(args.task);
      break;
    default:
      reply->accepted = false;
  }
}

std::unique_ptr<Coordinator> MakeCoordinator(std::vector<std::string> files, int n_reduce) {
  return std::make_unique<Coordinator>(std::move(files), n_reduce);
}

}  // namespace mr
