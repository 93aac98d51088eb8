// Unit tests of the reference's state machine: the key/value semantics, exactly-once writes,
// and snapshots that carry the duplicate table.
#include "state_machine.h"

#include "labrpc/testing/catch.h"

namespace kvraft {
namespace {

Op Put(const std::string& key, const std::string& value, std::int64_t client, std::int64_t seq) {
  return Op{"Put", key, value, client, seq};
}
Op Append(const std::string& key, const std::string& value, std::int64_t client, std::int64_t seq) {
  return Op{"Append", key, value, client, seq};
}
Op Get(const std::string& key, std::int64_t client, std::int64_t seq) {
  return Op{"Get", key, "", client, seq};
}

TEST_CASE("StateMachine: get, put and append", "[kvraft][unit]") {
  StateMachine sm;
  CHECK(sm.Apply(Get("k", 1, 1)).empty());
  CHECK_FALSE(sm.Contains("k"));
  CHECK(sm.Apply(Append("k", "a", 1, 2)) == "a");  // a missing key acts as ""
  CHECK(sm.Apply(Append("k", "b", 1, 3)) == "ab");
  CHECK(sm.Apply(Put("k", "c", 1, 4)) == "c");
  CHECK(sm.Apply(Get("k", 2, 1)) == "c");
}

TEST_CASE("StateMachine: a retried write is executed once", "[kvraft][unit]") {
  StateMachine sm;
  sm.Apply(Append("k", "a", 7, 1));
  sm.Apply(Append("k", "a", 7, 1));  // the same request again
  CHECK(sm.Apply(Get("k", 7, 2)) == "a");
  sm.Apply(Append("k", "b", 8, 1));  // another client's seq 1 is a different request
  CHECK(sm.Apply(Get("k", 7, 3)) == "ab");
  sm.Apply(Append("k", "c", 7, 4));
  sm.Apply(Append("k", "x", 7, 2));  // older than the last executed write of client 7
  CHECK(sm.Apply(Get("k", 9, 1)) == "abc");
}

TEST_CASE("StateMachine: snapshots carry the map and the duplicate table", "[kvraft][unit]") {
  StateMachine sm;
  sm.Apply(Put("a", "1", 1, 1));
  sm.Apply(Append("b", "2", 2, 1));
  StateMachine restored;
  restored.Apply(Put("junk", "j", 3, 1));  // replaced by the snapshot
  restored.Restore(sm.Snapshot());
  CHECK(restored.Apply(Get("a", 4, 1)) == "1");
  CHECK_FALSE(restored.Contains("junk"));
  restored.Apply(Append("b", "2", 2, 1));  // a retry after the restore: still a duplicate
  CHECK(restored.Apply(Get("b", 4, 2)) == "2");
}

TEST_CASE("StateMachine: corrupt snapshot bytes are an error", "[kvraft][unit]") {
  StateMachine sm;
  CHECK_THROWS_AS(sm.Restore(lab::Bytes{0x01, 0x02, 0xff}), lab::CodecError);
}

}  // namespace
}  // namespace kvraft
