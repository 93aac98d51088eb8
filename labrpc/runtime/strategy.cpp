#include "labrpc/runtime/strategy.h"

#include <cmath>

#include <fmt/format.h>

#include "labrpc/runtime/backend.h"
#include "labrpc/runtime/rng.h"

namespace lab {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

// Log-uniform in [lo, hi]: small and large scales are drawn equally often, so a run with a
// tenth of the largest jitter is as likely as one with all of it.
Duration LogUniform(detail::Rng& rng, Duration lo, Duration hi) {
  const double a = std::log(static_cast<double>(lo.count()));
  const double b = std::log(static_cast<double>(hi.count()));
  return Duration(static_cast<Duration::rep>(std::exp(a + (b - a) * rng.Unit())));
}

void DrawPct(detail::Rng& rng, StrategyPlan& plan) {
  plan.pct = true;
  plan.pct_change_gap = LogUniform(rng, milliseconds(10), milliseconds(1000));
}

void DrawJitter(detail::Rng& rng, StrategyPlan& plan) {
  plan.jitter = true;
  plan.timer_jitter = LogUniform(rng, microseconds(10), milliseconds(1));
  plan.message_jitter = LogUniform(rng, microseconds(10), milliseconds(3));
}

std::string Ms(Duration d) { return fmt::format("{:.3g} ms", d.count() / 1e6); }

}  // namespace

const char* StrategyName(StrategyKind kind) {
  switch (kind) {
    case StrategyKind::kRandom:
      return "random";
    case StrategyKind::kPct:
      return "pct";
    case StrategyKind::kJitter:
      return "jitter";
    case StrategyKind::kSwarm:
      return "swarm";
  }
  return "?";
}

const char* StrategyNames() { return "random, pct, jitter, swarm"; }

std::optional<StrategyKind> ParseStrategy(std::string_view name) {
  for (StrategyKind kind :
       {StrategyKind::kRandom, StrategyKind::kPct, StrategyKind::kJitter, StrategyKind::kSwarm}) {
    if (name == StrategyName(kind)) return kind;
  }
  return std::nullopt;
}

StrategyPlan ResolveStrategy(StrategyKind kind, std::uint64_t seed) {
  StrategyPlan plan;
  plan.kind = kind;
  // A generator of its own, so that the scheduler's and lab::rand's draws stay what they are.
  detail::Rng rng(seed ^ 0x57a7e6e5c0ffeeULL);
  switch (kind) {
    case StrategyKind::kRandom:
      break;
    case StrategyKind::kPct:
      DrawPct(rng, plan);
      break;
    case StrategyKind::kJitter:
      DrawJitter(rng, plan);
      break;
    case StrategyKind::kSwarm: {
      // Each feature on with probability 1/2, drawn before any parameter, so that the choice
      // of features does not depend on the parameters' draws.
      const bool pct = rng.Below(2) == 1;
      const bool jitter = rng.Below(2) == 1;
      if (pct) DrawPct(rng, plan);
      if (jitter) DrawJitter(rng, plan);
      break;
    }
  }
  return plan;
}

std::string DescribeStrategy(const StrategyPlan& plan) {
  std::string parts;
  if (plan.pct) {
    parts += fmt::format("pct: a priority change every {} on average", Ms(plan.pct_change_gap));
  }
  if (plan.jitter) {
    if (!parts.empty()) parts += "; ";
    parts += fmt::format("jitter: timers up to {} late, messages up to {} in flight",
                         Ms(plan.timer_jitter), Ms(plan.message_jitter));
  }
  if (parts.empty()) parts = plan.kind == StrategyKind::kRandom ? "" : "nothing on: as random";
  return parts.empty() ? StrategyName(plan.kind)
                       : fmt::format("{} ({})", StrategyName(plan.kind), parts);
}

namespace detail {
Duration MessageJitter() {
  Backend* backend = CurrentBackend();
  return backend != nullptr ? backend->MessageJitter() : Duration::zero();
}
}  // namespace detail

}  // namespace lab
