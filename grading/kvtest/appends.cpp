// Checks of Append results. The contract is in appends.h.
#include "grading/kvtest/appends.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "labrpc/labrpc.h"

namespace kvtest {

std::string AppendElement(int client, int j) { return fmt::format("x {} {} y", client, j); }

std::string Shorten(std::string_view s, std::size_t keep) {
  if (s.size() <= 2 * keep + 20) return std::string(s);
  return fmt::format("{} ...[{} bytes]... {}", s.substr(0, keep), s.size() - 2 * keep,
                     s.substr(s.size() - keep));
}

namespace {

// The runs of `longer` left over when `shorter` is matched into it as a subsequence, greedily
// from the front; nullopt when `shorter` is not a subsequence of `longer`.
std::optional<std::vector<std::string_view>> Leftovers(std::string_view shorter,
                                                       std::string_view longer) {
  std::vector<std::string_view> runs;
  std::size_t j = 0;      // next character of `shorter` to match
  std::size_t start = 0;  // start of the current leftover run
  for (std::size_t i = 0; i < longer.size(); ++i) {
    if (j < shorter.size() && longer[i] == shorter[j]) {
      if (start < i) runs.push_back(longer.substr(start, i - start));
      start = i + 1;
      ++j;
    }
  }
  if (j < shorter.size()) return std::nullopt;
  if (start < longer.size()) runs.push_back(longer.substr(start));
  return runs;
}

}  // namespace

ValueDifference Compare(std::string_view expected, std::string_view received) {
  if (received.size() < expected.size() && Leftovers(received, expected)) {
    return ValueDifference::kMissingWrites;
  }
  if (received.size() > expected.size()) {
    const auto extra = Leftovers(expected, received);
    if (extra && std::all_of(extra->begin(), extra->end(), [&](std::string_view run) {
          return expected.find(run) != std::string_view::npos;
        })) {
      return ValueDifference::kRepeatedText;
    }
  }
  return ValueDifference::kOther;
}

void CheckClntAppends(int client, std::string_view value, int count) {
  std::size_t last = 0;
  bool any = false;
  for (int j = 0; j < count; ++j) {
    const std::string wanted = AppendElement(client, j);
    const std::size_t off = value.find(wanted);
    if (off == std::string_view::npos) {
      lab::Fatal(fmt::format(
          "{}: missing element {} in Append result {}\n(an Append the clerk saw succeed was "
          "lost: a server replied before the operation was committed and applied, or applied "
          "it from a log entry that a new leader overwrote)",
          client, wanted, Shorten(value)));
    }
    if (value.find(wanted, off + 1) != std::string_view::npos) {
      lab::Fatal(fmt::format(
          "duplicate element {} in Append result {}\n(a retried Append was applied twice: "
          "the servers must detect a request they have already executed, with the clerk's id "
          "and a sequence number, and keep that table in snapshots)",
          wanted, Shorten(value)));
    }
    if (any && off <= last) {
      lab::Fatal(
          fmt::format("wrong order for element {} in Append result {}", wanted, Shorten(value)));
    }
    last = off;
    any = true;
  }
}

void CheckConcurrentAppends(std::string_view value, const std::vector<int>& counts) {
  for (int i = 0; i < static_cast<int>(counts.size()); ++i) CheckClntAppends(i, value, counts[i]);
}

}  // namespace kvtest
