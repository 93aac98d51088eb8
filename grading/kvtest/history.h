// The history of a key/value test: every Get, Put and Append a test makes through a clerk,
// with its call and return times, plus notes on what the network and the servers were doing,
// checked for linearizability at the end (6.824's porcupine use in kvraft and shardkv).
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   kvtest::History history;                       // time 0 = now
//   auto call = lab::now();
//   std::string v = ck.Get("k");
//   history.Add(client, KvOp::kGet, "k", "", v, call, lab::now());
//   history.Annotate("partition {0,1} | {2}", "partition", start, end);
//   history.CheckLinearizable();                   // fails the run if it is not
//
// CheckLinearizable has the original's 1 s budget. A violation writes the history as JSON and
// as an HTML page (lab::testing::ArtifactPath), prints their paths, and fails the run with
// "history is not linearizable". A check that runs out of time passes, with the original's
// info line: a timeout can hide a violation but never invents one.
//
// Thread-safe: clients record from their own tasks.
#ifndef GRADING_KVTEST_HISTORY_H_
#define GRADING_KVTEST_HISTORY_H_

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "grading/linearizability/annotation.h"
#include "grading/linearizability/kv_model.h"
#include "labrpc/labrpc.h"

namespace kvtest {

using lab::linearizability::KvOp;

class History {
 public:
  History();

  // Records a completed operation of `client`. `output` is the value a Get returned ("" for
  // Put and Append).
  void Add(int client, KvOp op, std::string key, std::string value, std::string output,
           lab::TimePoint call, lab::TimePoint ret);
  // A note over [start, end] (a point when they are equal), drawn across every client.
  void Annotate(std::string description, std::string tag, lab::TimePoint start, lab::TimePoint end);

  std::size_t size();

  // Checks the history within `budget` of real time; see the file comment.
  void CheckLinearizable(std::chrono::duration<double> budget = std::chrono::seconds(1));

 private:
  std::int64_t Nanos(lab::TimePoint t) const;

  const lab::TimePoint t0_;
  std::mutex mu_;  // never held across a blocking point
  std::vector<lab::linearizability::KvOperation> operations_;
  std::vector<lab::linearizability::Annotation> annotations_;
};

}  // namespace kvtest

#endif  // GRADING_KVTEST_HISTORY_H_
