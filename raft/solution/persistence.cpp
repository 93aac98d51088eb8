// Persistence (Figure 2, "Persistent state on all servers"): what a server saves, and how a
// restarted server reads it back.
//
// Saved: currentTerm, votedFor and the log (with the snapshot's index and term), together
// with the service's snapshot in one atomic Save.
// Every change to these is saved before the server answers an RPC or returns from Start, so
// a crash never loses a vote or an entry that someone else was told about.
#include "raft.h"

namespace raft {

void Raft::Persist() {
  lab::Encoder encoder;
  encoder.Put(current_term_).Put(voted_for_);
  log_.EncodeTo(encoder);
  if (snapshot_unsaved_) {
    persister_->Save(encoder.Finish(), snapshot_);
    snapshot_unsaved_ = false;
  } else {
    persister_->SaveRaftState(encoder.Finish());  // the saved snapshot is still current
  }
}

void Raft::ReadPersist(const lab::Bytes& data) {
  if (data.empty()) return;  // first boot: nothing saved yet
  // Corrupt bytes throw lab::CodecError: the server cannot start, and the test says why.
  lab::Decoder decoder(data);
  current_term_ = decoder.Get<int>();
  voted_for_ = decoder.Get<int>();
  log_ = Log::DecodeFrom(decoder);
}

}  // namespace raft
