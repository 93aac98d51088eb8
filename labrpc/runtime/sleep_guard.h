// Catches real sleeps in simulated code. Test binaries turn it on (the shared test main calls
// CatchRealSleeps); nothing else links it.
//
// In the simulator every task runs on one OS thread and time is virtual. A real sleep
// (std::this_thread::sleep_for, usleep, sleep, nanosleep, clock_nanosleep) called by a task
// stops every other task for its duration and does not move lab::now(): a ticker that sleeps
// for real polls in a loop while the virtual clock stands still, and the run hangs. Once this
// guard is on, this program's definitions of those functions take the place of the C
// library's: called by a task of a simulated run, they fail the run at once, naming the task
// and the function, and throw lab::Cancelled; called anywhere else (the real backend, the
// runtime's own threads, outside a run) they sleep as usual.
#ifndef LABRPC_RUNTIME_SLEEP_GUARD_H_
#define LABRPC_RUNTIME_SLEEP_GUARD_H_

namespace lab {

// Turns the guard on for the rest of the process. Idempotent.
void CatchRealSleeps();

}  // namespace lab

#endif  // LABRPC_RUNTIME_SLEEP_GUARD_H_
