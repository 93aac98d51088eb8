// bin/linearizability: checks a key/value history file for linearizability.
//
//   linearizability check HISTORY.json [--html OUT.html] [--timeout SECONDS] [--threads N]
//
// Prints Ok, Illegal or Unknown on the first line, then details, and exits with
//   0 Ok, 1 Illegal, 2 Unknown (timed out), 3 the check could not run (malformed or
//   unreadable file, bad command line).
// `./lab linearizability check ...` builds and runs this. The file format and the page
// written by --html are described in docs/en/linearizability.md.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "grading/linearizability/checker.h"
#include "grading/linearizability/history.h"
#include "grading/linearizability/kv_model.h"
#include "grading/linearizability/visualize.h"

namespace {

namespace lin = lab::linearizability;

constexpr int kExitError = 3;

struct Arguments {
  std::string history_path;
  std::string html_path;
  double timeout_s = 0;
  int threads = 0;
};

void PrintUsage(std::ostream& out) {
  out << "usage: linearizability check HISTORY.json [--html OUT.html] [--timeout SECONDS] "
         "[--threads N]\n"
         "  Checks a key/value history (format: docs/en/linearizability.md).\n"
         "  --html FILE       also write the HTML visualization to FILE\n"
         "  --timeout S       give up after S seconds (result Unknown); default: no limit\n"
         "  --threads N       partitions checked in parallel (default: all cores)\n"
         "  exit status: 0 Ok, 1 Illegal, 2 Unknown, 3 error\n";
}

[[noreturn]] void UsageError(const std::string& message) {
  std::cerr << "linearizability: " << message << "\n";
  PrintUsage(std::cerr);
  std::exit(kExitError);
}

double ParseNumber(const std::string& flag, const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  UsageError(flag + " needs a non-negative number, got \"" + text + "\"");
}

Arguments ParseArguments(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help" || args[0] == "help")) {
    PrintUsage(std::cout);
    std::exit(0);
  }
  if (args.empty() || args[0] != "check") UsageError("expected the subcommand \"check\"");
  Arguments parsed;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    auto value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) UsageError(arg + " needs a value");
      return args[++i];
    };
    if (arg == "--html") {
      parsed.html_path = value();
    } else if (arg == "--timeout") {
      parsed.timeout_s = ParseNumber(arg, value());
    } else if (arg == "--threads") {
      parsed.threads = static_cast<int>(ParseNumber(arg, value()));
    } else if (!arg.empty() && arg[0] == '-') {
      UsageError("unknown option " + arg);
    } else if (parsed.history_path.empty()) {
      parsed.history_path = arg;
    } else {
      UsageError("more than one history file given");
    }
  }
  if (parsed.history_path.empty()) UsageError("no history file given");
  return parsed;
}

std::string Describe(const lin::KvOperation& op, std::size_t index) {
  return "#" + std::to_string(index) + " client " + std::to_string(op.client_id) + " " +
         lin::DescribeKvOperation(op.input, op.output) + " [call " + std::to_string(op.call) +
         ", return " + std::to_string(op.return_time) + "]";
}

void PrintDetails(const lin::KvHistory& history, const lin::LinearizationInfo& info,
                  double seconds) {
  std::set<int> clients;
  for (const auto& op : history.operations) clients.insert(op.client_id);
  std::size_t finished = 0;
  for (const auto& p : info.partitions) finished += p.result != lin::CheckResult::kUnknown;
  std::printf("%zu operations, %zu clients, %zu keys, checked in %.3f s\n",
              history.operations.size(), clients.size(), info.partitions.size(), seconds);
  if (info.timed_out) {
    std::printf("timed out: %zu of %zu keys finished\n", finished, info.partitions.size());
  }
  for (const auto& p : info.partitions) {
    if (p.result != lin::CheckResult::kIllegal) continue;
    const auto& first = history.operations[p.operations.front()];
    const std::size_t longest =
        p.partial_linearizations.empty() ? 0 : p.partial_linearizations.front().size();
    std::printf("key '%s' is not linearizable: longest linearizable prefix %zu of %zu operations\n",
                first.input.key.c_str(), longest, p.operations.size());
    if (p.blocking_operation) {
      std::printf(
          "  cannot be linearized after it: %s\n",
          Describe(history.operations[*p.blocking_operation], *p.blocking_operation).c_str());
    }
  }
}

int Run(const Arguments& args) {
  const lin::KvHistory history = lin::ReadKvHistoryFile(args.history_path);
  lin::CheckOptions options;
  options.timeout = std::chrono::duration<double>(args.timeout_s);
  options.verbose = true;  // for the explanation and the page
  options.threads = args.threads;
  const auto start = std::chrono::steady_clock::now();
  const lin::LinearizationInfo info =
      lin::CheckOperationsVerbose(lin::KvModel(), history.operations, options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s\n", lin::ToString(info.result));
  PrintDetails(history, info, seconds);
  if (!args.html_path.empty()) {
    lin::VisualizeToFile(lin::KvModel(), history.operations, info, args.html_path,
                         history.annotations, "Linearizability check: " + args.history_path);
    std::printf("wrote history visualization to %s\n", args.html_path.c_str());
  }
  std::fflush(stdout);
  switch (info.result) {
    case lin::CheckResult::kOk:
      return 0;
    case lin::CheckResult::kIllegal:
      return 1;
    case lin::CheckResult::kUnknown:
      return 2;
  }
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments args = ParseArguments(argc, argv);
  try {
    return Run(args);
  } catch (const lin::HistoryError& e) {
    std::cerr << "linearizability: malformed history: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "linearizability: error: " << e.what() << "\n";
  }
  return kExitError;
}
