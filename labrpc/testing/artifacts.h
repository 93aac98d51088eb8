// Where a test writes the files that explain its failure (a linearizability page, a history).
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Files go to $LAB_ARTIFACT_DIR when it is set (the grader sets it, so they land next to the
// run's log), otherwise to the system's temporary directory, and are named after the suite,
// the test and the seed, so a replay overwrites its own files and nothing else:
//   <dir>/kvraft-TestConcurrent3A-seed42-history.html
#ifndef LABRPC_TESTING_ARTIFACTS_H_
#define LABRPC_TESTING_ARTIFACTS_H_

#include <string>
#include <string_view>

namespace lab::testing {

// The name of the test whose run is in progress ("" outside one).
const std::string& CurrentTestName();
void SetCurrentTestName(std::string name);

// The path for an artifact `what` with extension `ext` (no dot) of the current test. Creates
// the directory if needed.
std::string ArtifactPath(std::string_view what, std::string_view ext);

}  // namespace lab::testing

#endif  // LABRPC_TESTING_ARTIFACTS_H_
