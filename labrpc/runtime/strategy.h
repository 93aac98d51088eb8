// How the simulator explores schedules: the strategy of a run (`--strategy` of every test
// binary, `./lab explore --strategy`, "strategy" in labs/<lab>.json).
//
// A strategy only changes choices that the real runtime leaves open, so it never makes a
// correct program fail nor changes what a test asserts:
//
//   random  the plain simulator: among the tasks runnable at one instant, each pick is
//           uniformly random; timers due at one instant fire in the order they were set, and
//           an RPC on a reliable network is delivered in no virtual time.
//   pct     priority scheduling (Burckhardt et al., "A Randomized Scheduler with Probabilistic
//           Guarantees of Finding Bugs", ASPLOS 2010), adapted to virtual time: every task gets
//           a random priority when it starts, the highest-priority runnable task always runs
//           next, and at random change points (a Poisson process in virtual time) the task
//           about to run drops below every other. A few change points are enough to force the
//           rare orderings of a bug of small depth, which uniform picks almost never produce.
//           Sound: any order of runnable tasks is one a real machine may produce. A task that
//           yields drops too, so a task polling with lab::yield cannot starve the one it
//           waits for.
//   jitter  small random delays: every timed wait (sleep, wait_for, an RPC's time-out) ends up
//           to T later than asked, and every RPC request and reply on a reliable network takes
//           up to M to fly (T and M drawn per seed, at most 1 ms and 3 ms). Sound: a real
//           timer never fires early but often late, and a real network is never instant; the
//           bounds are far below every margin the tests allow (a heartbeat is 100 ms). It makes
//           events that the plain simulator orders the same way every time (two election
//           timers due at one instant, heartbeats sent together) happen in other orders.
//   swarm   swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): each seed turns pct and
//           jitter on or off at random, each with its own parameters, so that one feature
//           cannot mask what another would expose.
//
// Every parameter derives from the run's seed, through a generator of its own: a seed and a
// strategy replay one run exactly, and the random strategy draws nothing, so its runs are the
// same as before strategies existed.
#ifndef LABRPC_RUNTIME_STRATEGY_H_
#define LABRPC_RUNTIME_STRATEGY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "labrpc/runtime/runtime.h"

namespace lab {

enum class StrategyKind { kRandom, kPct, kJitter, kSwarm };

const char* StrategyName(StrategyKind kind);  // "random", "pct", "jitter", "swarm"
// The kind named `name`, or nothing when it names none.
std::optional<StrategyKind> ParseStrategy(std::string_view name);
// "random, pct, jitter, swarm", for usage messages.
const char* StrategyNames();

// A strategy resolved for one seed: what is on and with which parameters.
struct StrategyPlan {
  StrategyKind kind = StrategyKind::kRandom;
  bool pct = false;
  Duration pct_change_gap{};  // mean virtual time between two priority change points
  bool jitter = false;
  Duration timer_jitter{};    // a timed wait ends up to this much later than asked
  Duration message_jitter{};  // an RPC request or reply flies up to this long
};

StrategyPlan ResolveStrategy(StrategyKind kind, std::uint64_t seed);

// One line for the test's header: "pct (a change point every 0.25 s on average)".
std::string DescribeStrategy(const StrategyPlan& plan);

namespace detail {
// The flight time the current run's strategy adds to one RPC request or reply: zero unless
// jitter is on (and always on the real backend). Called by the network.
Duration MessageJitter();
}  // namespace detail

}  // namespace lab

#endif  // LABRPC_RUNTIME_STRATEGY_H_
