#include "labrpc/testing/artifacts.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "labrpc/testing/test.h"

namespace lab::testing {
namespace {

std::string& TestName() {
  static std::string name;
  return name;
}

// Test names are Catch2 names: keep file-name-safe characters only.
std::string Sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    out += safe ? c : '_';
  }
  return out;
}

}  // namespace

const std::string& CurrentTestName() { return TestName(); }
void SetCurrentTestName(std::string name) { TestName() = std::move(name); }

std::string ArtifactPath(std::string_view what, std::string_view ext) {
  namespace fs = std::filesystem;
  const char* dir_env = std::getenv("LAB_ARTIFACT_DIR");
  fs::path dir =
      dir_env != nullptr && *dir_env != '\0' ? fs::path(dir_env) : fs::temp_directory_path();
  std::error_code ignored;
  fs::create_directories(dir, ignored);
  const std::string suite = Options().suite.empty() ? "test" : Options().suite;
  return (dir / fmt::format("{}-{}-seed{}-{}.{}", Sanitize(suite), Sanitize(CurrentTestName()),
                            Options().seed, Sanitize(what), Sanitize(ext)))
      .string();
}

}  // namespace lab::testing
