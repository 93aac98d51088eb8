// The scenarios most kvraft tests share (6.824's kvraft/test_test.go): GenericTest, the
// workload of clients, partitions and crashes behind most tests, and GenericTestSpeed.
//
// Framework file: grading uses the original. Edit it only to debug.
#ifndef KVRAFT_TESTS_SCENARIOS_H_
#define KVRAFT_TESTS_SCENARIOS_H_

#include <functional>
#include <string_view>

#include "kvraft/tester/tester.h"

namespace kvraft {

// Runs `body(cli, clerk)` in nclients tasks, each with its own Clerk to every server, and
// waits for them all (spawn_clients_and_wait).
void SpawnClientsAndWait(Tester& t, int nclients,
                         const std::function<void(int cli, Tester::Client& clerk)>& body);

// Three rounds of: nclients clients appending to and reading their keys for 5 s (random keys
// with `randomkeys`), with random partitions every 1-1.2 s if `partitions`, every server
// crashed and restarted at the end if `crash`; then each client's key is checked (every
// Append exactly once, in order), the persisted sizes are checked against maxraftstate, and,
// after the three rounds, the whole history for linearizability. The title follows the
// flags: "Test: unreliable net, restarts, partitions, snapshots, random keys, many clients
// (3A)".
void GenericTest(std::string_view part, int nclients, int nservers, bool unreliable, bool crash,
                 bool partitions, int maxraftstate, bool randomkeys);

// 1000 Appends by one clerk to a 3-server cluster must take at most 33.33 ms each on average
// (more than 3 operations per 100 ms heartbeat interval): a server must not wait for a
// heartbeat to replicate an entry, nor a clerk for a timeout to notice success.
void GenericTestSpeed(std::string_view part, int maxraftstate);

}  // namespace kvraft

#endif  // KVRAFT_TESTS_SCENARIOS_H_
