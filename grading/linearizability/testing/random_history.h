// Random key/value histories for the checker's tests and benchmark.
//
// RandomLegalHistory builds a history that is linearizable by construction: each client runs
// operations one after another with random durations and gaps; each operation gets a random
// linearization point inside its interval, and a sequential key/value store applied in
// point order produces the outputs. Written values are unique tokens "x <client> <op> y", so
// every value read says exactly which writes it contains.
//
// Corrupt() then changes one output so that the history becomes illegal, in a way that no
// reordering of concurrent operations can explain (the conditions are on each case below).
#ifndef GRADING_LINEARIZABILITY_TESTING_RANDOM_HISTORY_H_
#define GRADING_LINEARIZABILITY_TESTING_RANDOM_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "grading/linearizability/kv_model.h"

namespace lab::linearizability::testing {

struct RandomHistoryOptions {
  int clients = 5;
  int operations = 100;  // in total, spread evenly over the clients
  int keys = 1;
  // Operation mix, in relative weights.
  int get_weight = 40;
  int put_weight = 15;
  int append_weight = 35;
  int get_and_append_weight = 10;
  // A client's operation lasts 1..duration_max time units and the next one starts
  // 1..gap_max units after it returned. duration_max much larger than gap_max means that
  // most clients are in the middle of an operation at any time (high concurrency).
  std::int64_t duration_max = 100;
  std::int64_t gap_max = 20;
};

struct GeneratedHistory {
  std::vector<KvOperation> operations;
  // Per operation: the value of its key just before it took effect in the construction.
  std::vector<KvState> state_before;
};

GeneratedHistory RandomLegalHistory(const RandomHistoryOptions& options, std::mt19937_64& rng);

enum class Corruption {
  // A get returns the value its key had before a put that returned before the get was
  // called; every write contained in that old value returned before the put was called, so
  // no order can make it current again.
  kStaleRead,
  // A get's value misses one append that returned before the get was called, and the put
  // that value is based on (if any) returned before that append was called.
  kLostAppend,
  // A get returns a value no sequence of writes can produce.
  kImpossibleValue,
};
const char* CorruptionName(Corruption corruption);

// Applies the corruption at a random suitable get; returns the index of the changed
// operation, or -1 if the history has no suitable place.
int Corrupt(GeneratedHistory& history, Corruption corruption, std::mt19937_64& rng);

// The operation indices named by the tokens in a value, in order ("x 3 17 y" -> 17).
std::vector<std::size_t> TokensOf(const std::string& value);

}  // namespace lab::linearizability::testing

#endif  // GRADING_LINEARIZABILITY_TESTING_RANDOM_HISTORY_H_
