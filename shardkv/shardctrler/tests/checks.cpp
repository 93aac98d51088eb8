// The shard controller's checks. The contract is in checks.h.
//
// Framework file: grading uses the original. Edit it only to debug.
#include "shardkv/shardctrler/tests/checks.h"

#include <algorithm>
#include <functional>
#include <map>
#include <ranges>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "shardkv/shardctrler/tester/tester.h"

namespace shardctrler {
namespace {

constexpr std::string_view kBalanceHint =
    "(Join and Leave must divide the shards as evenly as possible: the largest count at most "
    "one above the smallest)";
constexpr std::string_view kMinimalHint =
    "(rebalance by moving shards only from groups above their fair share to groups below it; "
    "keep every other shard where it is)";
constexpr std::string_view kSameConfigHint =
    "(a configuration never changes once made (give each its own copy of the groups), and "
    "every replica must compute the same ones: rebalancing must not depend on the order of an "
    "unordered container; break ties by gid)";

std::string Describe(const Config& c) {
  return fmt::format("config {}: shards [{}], groups {{{}}}", c.num, fmt::join(c.shards, " "),
                     fmt::join(std::views::keys(c.groups), " "));
}

// gid -> the number of shards it holds in `c`, for every group of `c`.
std::map<int, int> Counts(const Config& c) {
  std::map<int, int> counts;
  for (const auto& entry : c.groups) counts[entry.first] = 0;
  for (int gid : c.shards) {
    if (auto it = counts.find(gid); it != counts.end()) ++it->second;
  }
  return counts;
}

int Transfers(const Config& a, const Config& b) {
  int moved = 0;
  for (int s = 0; s < kNShards; ++s) moved += a.shards[s] != b.shards[s] ? 1 : 0;
  return moved;
}

}  // namespace

void Check(const std::vector<int>& groups, Clerk& ck) {
  const Config c = ck.Query(-1);
  if (c.groups.size() != groups.size()) {
    Tester::Fail(
        fmt::format("wanted {} groups, got {}\n  {}", groups.size(), c.groups.size(), Describe(c)));
  }
  for (int g : groups) {
    if (!c.groups.contains(g)) Tester::Fail(fmt::format("missing group {}\n  {}", g, Describe(c)));
  }
  if (!groups.empty()) {
    for (int s = 0; s < kNShards; ++s) {
      if (!c.groups.contains(c.shards[s])) {
        Tester::Fail(
            fmt::format("shard {} -> invalid group {}\n  {}\n(every shard must be on a "
                        "current group once there is one)",
                        s, c.shards[s], Describe(c)));
      }
    }
  }
  int min = 257;
  int max = 0;
  for (const auto& [gid, count] : Counts(c)) {
    max = std::max(max, count);
    min = std::min(min, count);
  }
  if (max > min + 1) {
    Tester::Fail(fmt::format("max {} too much larger than min {}\n  {}\n{}", max, min, Describe(c),
                             kBalanceHint));
  }
}

void CheckSameConfig(const Config& c1, const Config& c2) {
  const std::string both =
      fmt::format("  {}\n  {}\n{}", Describe(c1), Describe(c2), kSameConfigHint);
  if (c1.num != c2.num) Tester::Fail("Num wrong\n" + both);
  if (c1.shards != c2.shards) Tester::Fail("Shards wrong\n" + both);
  if (c1.groups.size() != c2.groups.size()) Tester::Fail("number of Groups is wrong\n" + both);
  for (const auto& [gid, servers] : c1.groups) {
    auto it = c2.groups.find(gid);
    if (it == c2.groups.end() || it->second.size() != servers.size()) {
      Tester::Fail(fmt::format("len(Groups) wrong (gid {})\n{}", gid, both));
    }
    if (it->second != servers) Tester::Fail(fmt::format("Groups wrong (gid {})\n{}", gid, both));
  }
}

void CheckServers(const Config& c, int gid, const std::vector<std::string>& servers) {
  auto it = c.groups.find(gid);
  if (it == c.groups.end() || it->second != servers) {
    Tester::Fail(
        fmt::format("wrong servers for gid {}: [{}] (expected [{}])", gid,
                    it == c.groups.end() ? "" : fmt::format("{}", fmt::join(it->second, " ")),
                    fmt::join(servers, " ")));
  }
}

void CheckMinimalTransfers(Clerk& ck, const Config& before, const Config& after, Change change) {
  const std::string_view what = change == Change::kJoins ? "Join()s" : "Leave()s";
  Config prev = before;
  for (int num = before.num + 1; num <= after.num; ++num) {
    const Config next = num == after.num ? after : ck.Query(num);
    const std::string step =
        fmt::format("\n  {}\n  {}\n{}", Describe(prev), Describe(next), kMinimalHint);
    for (int s = 0; s < kNShards; ++s) {
      const int from = prev.shards[s];
      const int to = next.shards[s];
      if (from == to) continue;
      if (change == Change::kJoins && prev.groups.contains(to)) {
        Tester::Fail(fmt::format(
            "non-minimal transfer after {}: shard {} moved from gid {} to gid {}, which was "
            "already present{}",
            what, s, from, to, step));
      }
      if (change == Change::kLeaves && next.groups.contains(from)) {
        Tester::Fail(fmt::format(
            "non-minimal transfer after {}: shard {} moved from gid {}, which stayed, to gid "
            "{}{}",
            what, s, from, to, step));
      }
    }
    const int moved = Transfers(prev, next);
    const int needed = MinimalTransfers(prev, next.groups);
    if (moved > needed) {
      Tester::Fail(
          fmt::format("non-minimal transfer after {}: {} shard(s) changed group, {} would do{}",
                      what, moved, needed, step));
    }
    prev = next;
  }
}

int MinimalTransfers(const Config& before, const GroupServers& after) {
  if (after.empty()) {
    return static_cast<int>(std::ranges::count_if(before.shards, [](int g) { return g != 0; }));
  }
  // What each group of `after` holds now, largest first: the kNShards % n places with one
  // shard more are best given to the largest holders.
  std::vector<int> held;
  for (const auto& entry : after) {
    held.push_back(static_cast<int>(std::ranges::count(before.shards, entry.first)));
  }
  std::ranges::sort(held, std::greater<>());
  const int n = static_cast<int>(held.size());
  int kept = 0;
  for (int i = 0; i < n; ++i) kept += std::min(held[i], kNShards / n + (i < kNShards % n ? 1 : 0));
  return kNShards - kept;
}

}  // namespace shardctrler
