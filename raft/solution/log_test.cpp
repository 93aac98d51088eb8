// Unit tests of raft::Log (log.h): index arithmetic across compaction, and the persisted form
// read back after writing it. No cluster, no runtime.
#include "log.h"

#include <vector>

#include "labrpc/codec.h"
#include "labrpc/testing/catch.h"

namespace raft {
namespace {

// A log holding entries 1..n with the given terms (terms[i] is the term of index i + 1).
Log MakeLog(const std::vector<int>& terms) {
  Log log;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    log.Append(LogEntry{terms[i], static_cast<int>(100 + i + 1)});  // command = 100 + index
  }
  return log;
}

// Writes the log as Raft::Persist does and reads it back.
Log RoundTrip(const Log& log) {
  lab::Encoder encoder;
  encoder.Put(7);  // whatever precedes the log in the persisted state
  log.EncodeTo(encoder);
  const lab::Bytes bytes = encoder.Finish();
  lab::Decoder decoder(bytes);
  REQUIRE(decoder.Get<int>() == 7);
  Log back = Log::DecodeFrom(decoder);
  CHECK(decoder.remaining() == 0);
  return back;
}

void CheckSame(const Log& a, const Log& b) {
  REQUIRE(a.snapshot_index() == b.snapshot_index());
  REQUIRE(a.LastIndex() == b.LastIndex());
  CHECK(a.snapshot_term() == b.snapshot_term());
  for (int index = a.snapshot_index() + 1; index <= a.LastIndex(); ++index) {
    CAPTURE(index);
    CHECK(a.At(index).term == b.At(index).term);
    CHECK(a.At(index).command == b.At(index).command);
  }
}

TEST_CASE("An empty log is the sentinel: index 0, term 0", "[raft][log]") {
  const Log log;
  CHECK(log.snapshot_index() == 0);
  CHECK(log.LastIndex() == 0);
  CHECK(log.LastTerm() == 0);
  CHECK(log.Term(0) == 0);
  CHECK(log.From(1, 10).empty());
  CheckSame(log, RoundTrip(log));
}

TEST_CASE("Indices start at 1; From and TruncateFrom use indices", "[raft][log]") {
  Log log = MakeLog({1, 1, 2, 3});
  CHECK(log.LastIndex() == 4);
  CHECK(log.LastTerm() == 3);
  CHECK(log.Term(3) == 2);
  CHECK(log.At(2).command == 102);
  CHECK(log.From(3, 10).size() == 2);
  CHECK(log.From(3, 1).size() == 1);
  CHECK(log.From(5, 10).empty());
  log.TruncateFrom(3);  // §5.3: drop the conflicting entry and all that follow
  CHECK(log.LastIndex() == 2);
  CHECK(log.LastTerm() == 1);
  log.Append(LogEntry{4, "x"});
  CHECK(log.Term(3) == 4);
  CheckSame(log, RoundTrip(log));
}

TEST_CASE("Compaction keeps the entries after a matching snapshot entry (Figure 13 rule 6)",
          "[raft][log]") {
  Log log = MakeLog({1, 1, 2, 3, 3});
  log.CompactTo(3, 2);
  CHECK(log.snapshot_index() == 3);
  CHECK(log.snapshot_term() == 2);
  CHECK(log.LastIndex() == 5);
  CHECK(log.Term(3) == 2);  // the sentinel keeps the term for the consistency check
  CHECK(log.At(4).command == 104);
  CHECK(log.From(4, 10).size() == 2);
  CheckSame(log, RoundTrip(log));
  log.TruncateFrom(5);
  log.Append(LogEntry{5, 205});
  CheckSame(log, RoundTrip(log));
}

TEST_CASE("Compaction discards the whole log when the snapshot's entry differs (rule 7)",
          "[raft][log]") {
  SECTION("same index, other term") {
    Log log = MakeLog({1, 1, 2});
    log.CompactTo(3, 5);
    CHECK(log.snapshot_index() == 3);
    CHECK(log.LastIndex() == 3);
    CHECK(log.LastTerm() == 5);
    CheckSame(log, RoundTrip(log));
  }
  SECTION("beyond the end of the log") {
    Log log = MakeLog({1, 1});
    log.CompactTo(10, 4);
    CHECK(log.snapshot_index() == 10);
    CHECK(log.LastIndex() == 10);
    CHECK(log.Term(10) == 4);
    log.Append(LogEntry{4, 111});
    CHECK(log.LastIndex() == 11);
    CheckSame(log, RoundTrip(log));
  }
}

TEST_CASE("The persisted log survives any mix of operations", "[raft][log]") {
  // A long scripted history: appends, truncations and compactions, checked after each step
  // against a round trip (the cached encodings must always match the entries).
  Log log;
  int term = 1;
  for (int step = 0; step < 200; ++step) {
    CAPTURE(step);
    if (step % 7 == 3 && log.LastIndex() > log.snapshot_index() + 2) {
      log.TruncateFrom(log.LastIndex() - 1);
    } else if (step % 11 == 5 && log.LastIndex() > log.snapshot_index() + 3) {
      const int index = log.snapshot_index() + 2;
      log.CompactTo(index, log.Term(index));
    } else {
      if (step % 5 == 0) ++term;
      log.Append(LogEntry{term, nlohmann::json{{"step", step}, {"s", std::string(step % 9, 'x')}}});
    }
    CheckSame(log, RoundTrip(log));
  }
}

TEST_CASE("Malformed persisted logs are reported, not trusted", "[raft][log]") {
  lab::Encoder encoder;
  encoder.Put(0).Put(0).Put(nlohmann::json::binary({5, 0, 0, 0, 0x91}));  // size 5, 1 byte
  const lab::Bytes bytes = encoder.Finish();
  lab::Decoder decoder(bytes);
  CHECK_THROWS_AS(Log::DecodeFrom(decoder), lab::CodecError);
}

}  // namespace
}  // namespace raft
