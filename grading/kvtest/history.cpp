// The history of a key/value test. The contract is in history.h.
#include "grading/kvtest/history.h"

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "grading/linearizability/checker.h"
#include "grading/linearizability/history.h"
#include "grading/linearizability/visualize.h"
#include "labrpc/testing/artifacts.h"

namespace kvtest {

namespace lin = lab::linearizability;

History::History() : t0_(lab::now()) {}

std::int64_t History::Nanos(lab::TimePoint t) const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t - t0_).count();
}

void History::Add(int client, KvOp op, std::string key, std::string value, std::string output,
                  lab::TimePoint call, lab::TimePoint ret) {
  lin::KvOperation operation;
  operation.client_id = client;
  operation.input = lin::KvInput{op, std::move(key), std::move(value)};
  operation.output = lin::KvOutput{std::move(output)};
  operation.call = Nanos(call);
  operation.return_time = Nanos(ret);
  std::lock_guard lock(mu_);
  operations_.push_back(std::move(operation));
}

void History::Annotate(std::string description, std::string tag, lab::TimePoint start,
                       lab::TimePoint end) {
  lin::Annotation annotation;
  annotation.start = Nanos(start);
  annotation.end = Nanos(end);
  annotation.description = std::move(description);
  annotation.tag = std::move(tag);
  std::lock_guard lock(mu_);
  annotations_.push_back(std::move(annotation));
}

std::size_t History::size() {
  std::lock_guard lock(mu_);
  return operations_.size();
}

void History::CheckLinearizable(std::chrono::duration<double> budget) {
  lin::KvHistory history;
  {
    std::lock_guard lock(mu_);
    history.operations = operations_;
    history.annotations = annotations_;
  }
  lin::CheckOptions options;
  options.timeout = budget;
  options.verbose = true;  // the page needs the linearizable prefixes
  const lin::KvModelType model = lin::KvModel();
  const lin::LinearizationInfo info =
      lin::CheckOperationsVerbose(model, history.operations, options);
  if (info.result == lin::CheckResult::kUnknown) {
    fmt::print("info: linearizability check timed out, assuming history is ok\n");
    std::fflush(stdout);
    return;
  }
  if (info.result == lin::CheckResult::kOk) return;

  std::string written;
  try {
    const std::string json_path = lab::testing::ArtifactPath("history", "json");
    lin::WriteKvHistoryFile(history, json_path);
    const std::string html_path = lab::testing::ArtifactPath("history", "html");
    lin::VisualizeToFile(model, history.operations, info, html_path, history.annotations,
                         lab::testing::CurrentTestName());
    fmt::print("info: wrote history visualization to {}\n", html_path);
    std::fflush(stdout);
    written = fmt::format(
        "\nthe history (red: the operations no order explains; open it in a browser): {}"
        "\nthe same as JSON, for ./lab linearizability check: {}",
        html_path, json_path);
  } catch (const std::exception& e) {
    written = fmt::format("\n(could not write the history: {})", e.what());
  }
  lab::Fatal(fmt::format(
      "history is not linearizable: no order of the {} operations matches what the clients "
      "saw (a Get returned a value no sequential execution gives: a stale read, a lost or a "
      "duplicated write){}",
      history.operations.size(), written));
}

}  // namespace kvtest
