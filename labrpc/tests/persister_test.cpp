// Persister tests (2023 API): what was saved is what a restarted server reads, and copies are
// independent.
//
// Framework file: grading uses the original. Edit it only to debug.
#include "labrpc/persister.h"

#include "labrpc/testing/test.h"

TEST_CASE("TestPersisterSaveAndRead", "[labrpc][persister]") {
  lab::Persister p;
  REQUIRE(p.RaftStateSize() == 0);
  REQUIRE(p.SnapshotSize() == 0);
  REQUIRE(p.ReadRaftState().empty());
  lab::Bytes state{1, 2, 3};
  lab::Bytes snapshot{9, 9};
  p.Save(state, snapshot);
  state[0] = 42;  // bytes were copied in
  REQUIRE(p.ReadRaftState() == lab::Bytes{1, 2, 3});
  REQUIRE(p.ReadSnapshot() == lab::Bytes{9, 9});
  REQUIRE(p.RaftStateSize() == 3);
  REQUIRE(p.SnapshotSize() == 2);
  lab::Bytes out = p.ReadRaftState();
  out[0] = 7;  // and copied out
  REQUIRE(p.ReadRaftState()[0] == 1);
  // Save replaces both at once; an empty snapshot clears the old one.
  p.Save(lab::Bytes{5}, lab::Bytes{});
  REQUIRE(p.ReadRaftState() == lab::Bytes{5});
  REQUIRE(p.SnapshotSize() == 0);
}

// SaveRaftState replaces the Raft state only; the snapshot saved last stays, in this persister
// and in a copy taken before.
TEST_CASE("TestPersisterSaveRaftStateKeepsSnapshot", "[labrpc][persister]") {
  lab::Persister p;
  p.Save(lab::Bytes{1}, lab::Bytes{7, 7, 7});
  std::shared_ptr<lab::Persister> copy = p.Copy();
  lab::Bytes state{2, 2};
  p.SaveRaftState(state);
  state[0] = 42;  // bytes were copied in
  REQUIRE(p.ReadRaftState() == lab::Bytes{2, 2});
  REQUIRE(p.ReadSnapshot() == lab::Bytes{7, 7, 7});
  REQUIRE(p.SnapshotSize() == 3);
  REQUIRE(copy->ReadRaftState() == lab::Bytes{1});
  REQUIRE(copy->ReadSnapshot() == lab::Bytes{7, 7, 7});
}

TEST_CASE("TestPersisterCopyIsIndependent", "[labrpc][persister]") {
  lab::Persister p;
  p.Save(lab::Bytes{1}, lab::Bytes{2});
  std::shared_ptr<lab::Persister> copy = p.Copy();
  REQUIRE(copy->ReadRaftState() == lab::Bytes{1});
  REQUIRE(copy->ReadSnapshot() == lab::Bytes{2});
  p.Save(lab::Bytes{3}, lab::Bytes{4});  // a dead server scribbling on the old persister...
  REQUIRE(copy->ReadRaftState() == lab::Bytes{1});  // ...does not reach the copy
  copy->Save(lab::Bytes{5}, lab::Bytes{6});
  REQUIRE(p.ReadRaftState() == lab::Bytes{3});
}

// Corrupt persisted state: decoding it is a clear error, and the persister keeps the bytes.
TEST_CASE("TestPersisterCorruptState", "[labrpc][persister]") {
  lab::Persister p;
  const lab::Bytes corrupt{0x93, 0x01};  // a 3-element list holding only one element
  p.Save(corrupt, {});
  REQUIRE_THROWS_AS(lab::Decoder(p.ReadRaftState()), lab::CodecError);
  REQUIRE(p.ReadRaftState() == corrupt);
}
