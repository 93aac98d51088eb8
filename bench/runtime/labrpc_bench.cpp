// The labrpc benchmark: 100,000 sequential RPCs through the simulated network (6.824's
// TestBenchmark). Go's labrpc took 1.32 s on this kind of machine; the target is 3x faster.
#include <cstdio>
#include <string>

#include "bench/runtime/bench_util.h"
#include "labrpc/labrpc.h"
#include "labrpc/runtime/run.h"

namespace {

struct Server {
  lab::Mutex mu;
  int calls = 0;
  void Handler2(const int& args, std::string* reply) {
    std::lock_guard lock(mu);
    calls++;
    *reply = "handler2-" + std::to_string(args);
  }
};

}  // namespace

int main() {
  constexpr int kCalls = 100'000;
  constexpr double kGoSeconds = 1.32;
  double seconds = 0;
  double wall = 0;
  int ok = 0;
  const lab::RunResult result = lab::Run(lab::RunOptions{}, [&] {
    Server junk;
    lab::Network net;
    lab::TaskScope handlers("server");
    auto server = std::make_shared<lab::Server>(handlers.group());
    auto svc = std::make_shared<lab::Service>("JunkServer");
    svc->Register("Handler2", &junk, &Server::Handler2);
    server->AddService(svc);
    net.AddServer("99", server);
    auto end = net.MakeEnd("end1-99");
    net.Connect("end1-99", "99");
    net.Enable("end1-99", true);
    const bench::Stopwatch watch;
    for (int i = 0; i < kCalls; i++) {
      std::string reply;
      if (end->Call("JunkServer.Handler2", 111, &reply) && reply == "handler2-111") ok++;
    }
    seconds = watch.Cpu();
    wall = watch.Wall();
  });
  std::printf("labrpc_bench: %d sequential RPCs, %d succeeded, %llu task switches\n", kCalls, ok,
              static_cast<unsigned long long>(result.switches));
  bench::Report("100,000 sequential RPCs, CPU seconds", seconds, "s", "< 0.44 s (Go 1.32 / 3)",
                seconds < kGoSeconds / 3);
  std::printf("%-44s %14.3f %-10s\n", "  (wall seconds)", wall, "s");
  bench::Report("RPC round trips per CPU second", kCalls / seconds / 1e3, "thousand", "-", true);
  return ok == kCalls ? 0 : 1;
}
