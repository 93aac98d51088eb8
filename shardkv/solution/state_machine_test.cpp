// Unit tests of the reference's state machine: shard states through configurations, migration
// with the duplicate table, deletion after hand-off, and snapshots.
#include "state_machine.h"

#include "labrpc/testing/catch.h"

namespace shardkv {
namespace {

constexpr int kMe = 100;
constexpr int kOther = 101;

// Configuration `num` with shards [0, split) on gid a and the rest on gid b (0: no group).
shardctrler::Config MakeConfig(int num, int a, int b, int split) {
  shardctrler::Config config;
  config.num = num;
  for (int s = 0; s < kNShards; ++s) config.shards[s] = s < split ? a : b;
  if (a != 0) config.groups[a] = {"a"};
  if (b != 0) config.groups[b] = {"b"};
  return config;
}

Command ConfigCommand(const shardctrler::Config& config) {
  Command command;
  command.kind = Command::kConfig;
  command.config = config;
  return command;
}

Command ClientOp(const std::string& op, const std::string& key, const std::string& value,
                 std::int64_t client, std::int64_t seq) {
  Command command;
  command.kind = Command::kClientOp;
  command.op = op;
  command.key = key;
  command.value = value;
  command.client_id = client;
  command.seq = seq;
  return command;
}

Command Shards(Command::Kind kind, int config_num, std::vector<int> shards) {
  Command command;
  command.kind = kind;
  command.config_num = config_num;
  command.shard_ids = std::move(shards);
  return command;
}

// Keys "0".."9" are in shards 8, 9, 0, 1, ..., 7.
const std::string kKeyInShard0 = "2";
const std::string kKeyInShard9 = "1";

TEST_CASE("ShardKV state machine: configuration 1 gives empty shards at once", "[shardkv][unit]") {
  StateMachine sm(kMe);
  CHECK(sm.Apply(ClientOp("Put", kKeyInShard0, "x", 1, 1)).err == kErrWrongGroup);
  sm.Apply(ConfigCommand(MakeConfig(1, kMe, kMe, kNShards)));
  CHECK(sm.Stable());
  CHECK(sm.Apply(ClientOp("Get", kKeyInShard0, "", 1, 1)).err == kErrNoKey);
  sm.Apply(ClientOp("Put", kKeyInShard0, "x", 1, 2));
  CHECK(sm.Apply(ClientOp("Get", kKeyInShard0, "", 1, 3)).value == "x");
}

TEST_CASE("ShardKV state machine: configurations are taken in order", "[shardkv][unit]") {
  StateMachine sm(kMe);
  sm.Apply(ConfigCommand(MakeConfig(2, kMe, kMe, kNShards)));  // skips 1: ignored
  CHECK(sm.config().num == 0);
  sm.Apply(ConfigCommand(MakeConfig(1, kMe, kMe, kNShards)));
  sm.Apply(ConfigCommand(MakeConfig(1, kMe, kMe, kNShards)));  // again: ignored
  CHECK(sm.config().num == 1);
}

TEST_CASE("ShardKV state machine: hand-off, pull and deletion", "[shardkv][unit]") {
  StateMachine old_owner(kMe);
  StateMachine new_owner(kOther);
  const shardctrler::Config c1 = MakeConfig(1, kMe, kMe, kNShards);
  const shardctrler::Config c2 = MakeConfig(2, kMe, kOther, 5);  // shards 5..9 move to 101
  for (StateMachine* sm : {&old_owner, &new_owner}) sm->Apply(ConfigCommand(c1));
  old_owner.Apply(ClientOp("Put", kKeyInShard9, "v", 7, 1));

  old_owner.Apply(ConfigCommand(c2));
  CHECK(old_owner.state(9) == ShardState::kHandingOff);
  CHECK(old_owner.Apply(ClientOp("Get", kKeyInShard9, "", 7, 2)).err == kErrWrongGroup);
  CHECK(old_owner.Apply(ClientOp("Get", kKeyInShard0, "", 7, 2)).err == kErrNoKey);
  CHECK_FALSE(old_owner.Stable());
  old_owner.Apply(ConfigCommand(MakeConfig(3, kMe, kMe, kNShards)));  // must wait
  CHECK(old_owner.config().num == 2);

  new_owner.Apply(ConfigCommand(c2));
  CHECK(new_owner.state(9) == ShardState::kPulling);
  CHECK(new_owner.Apply(ClientOp("Get", kKeyInShard9, "", 7, 2)).err == kErrWrongGroup);
  CHECK(new_owner.ShardsByPreviousOwner(ShardState::kPulling).at(kMe).size() == 5);

  Command insert;
  insert.kind = Command::kInsert;
  insert.config_num = 2;
  CHECK(old_owner.Export(3, {5, 6, 7, 8, 9}, &insert.shards, &insert.dedup) == kErrNotReady);
  REQUIRE(old_owner.Export(2, {5, 6, 7, 8, 9}, &insert.shards, &insert.dedup) == kOK);
  new_owner.Apply(insert);
  CHECK(new_owner.state(9) == ShardState::kConfirming);
  CHECK(new_owner.Apply(ClientOp("Get", kKeyInShard9, "", 7, 2)).value == "v");
  // The duplicate table came along: client 7's seq 1 is not executed again.
  new_owner.Apply(ClientOp("Append", kKeyInShard9, "v", 7, 1));
  CHECK(new_owner.Apply(ClientOp("Get", kKeyInShard9, "", 7, 3)).value == "v");

  old_owner.Apply(Shards(Command::kDelete, 2, {5, 6, 7, 8, 9}));
  CHECK(old_owner.state(9) == ShardState::kInvalid);
  CHECK(old_owner.KeyCount(9) == 0);
  CHECK(old_owner.Stable());
  new_owner.Apply(Shards(Command::kConfirm, 2, {5, 6, 7, 8, 9}));
  CHECK(new_owner.state(9) == ShardState::kServing);
  CHECK(new_owner.Stable());
}

TEST_CASE("ShardKV state machine: snapshots carry shard states and configurations",
          "[shardkv][unit]") {
  StateMachine sm(kOther);
  sm.Apply(ConfigCommand(MakeConfig(1, kMe, kMe, kNShards)));
  sm.Apply(ConfigCommand(MakeConfig(2, kMe, kOther, 5)));
  StateMachine restored(kOther);
  restored.Restore(sm.Snapshot());
  CHECK(restored.config() == sm.config());
  CHECK(restored.prev_config() == sm.prev_config());
  CHECK(restored.state(9) == ShardState::kPulling);
  CHECK(restored.state(0) == ShardState::kInvalid);
  CHECK_THROWS_AS(restored.Restore(lab::Bytes{0x01, 0x02, 0xff}), lab::CodecError);
}

}  // namespace
}  // namespace shardkv
