// Everything student code needs from the lab runtime, in one include.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   Go                               this framework
//   go f()                           lab::go("name", f)                  runtime/runtime.h
//   sync.Mutex, sync.Cond            lab::Mutex, lab::CondVar            runtime/sync.h
//   chan T, close, select default    lab::Chan<T>, close(), try_recv()   runtime/chan.h
//   time.Sleep, time.Now             lab::sleep_for, lab::now            runtime/runtime.h
//   rand.Intn(n)                     lab::rand_int(n)                    runtime/runtime.h
//   peers[i].Call("Raft.X", &a, &r)  peers_[i]->Call("Raft.X", a, &r)    network.h
//   labgob                           lab::Encode / lab::Decode           codec.h
//   persister.Save(state, snap)      persister_->Save(state, snap)       persister.h
//   DPrintf                          LAB_DEBUG("topic", "fmt {}", x)     debug.h
#ifndef LABRPC_LABRPC_H_
#define LABRPC_LABRPC_H_

#include "labrpc/codec.h"
#include "labrpc/debug.h"
#include "labrpc/network.h"
#include "labrpc/persister.h"
#include "labrpc/runtime/chan.h"
#include "labrpc/runtime/runtime.h"
#include "labrpc/runtime/sync.h"

#endif  // LABRPC_LABRPC_H_
