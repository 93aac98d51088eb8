// Must NOT compile: a type without a JSON conversion cannot be sent over the network. The
// build checks that the error message tells the student which macro to add.
#include "labrpc/network.h"

struct NoSerializer {
  int term = 0;
};

bool Send(lab::ClientEnd& end) {
  NoSerializer args;
  int reply = 0;
  return end.Call("Raft.RequestVote", args, &reply);
}
