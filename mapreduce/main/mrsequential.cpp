// mrsequential: runs a MapReduce application in one process, one file after another. Its
// output is what a correct distributed run must produce (the tests compare the two).
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   mrsequential ../lib/wc.so ../pg-*.txt
//
// Calls Map on every input file, sorts all pairs by key, calls Reduce once per distinct key,
// and writes one line "key result" per key to mr-out-0 in the current directory.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mapreduce/framework/app_loader.h"
#include "mapreduce/framework/keyvalue.h"

namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "mrsequential: %s\n", message.c_str());
  std::exit(1);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fatal("cannot open " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) Fatal("cannot read " + path);
  return std::move(contents).str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "Usage: mrsequential xxx.so inputfiles...\n");
    return 1;
  }
  mr::App app;
  try {
    app = mr::LoadApp(argv[1]);
  } catch (const mr::AppLoadError& e) {
    Fatal(e.what());
  }

  std::vector<mr::KeyValue> intermediate;
  for (int i = 2; i < argc; ++i) {
    std::vector<mr::KeyValue> pairs = app.map(argv[i], ReadFile(argv[i]));
    intermediate.insert(intermediate.end(), std::make_move_iterator(pairs.begin()),
                        std::make_move_iterator(pairs.end()));
  }
  std::stable_sort(intermediate.begin(), intermediate.end(),
                   [](const mr::KeyValue& a, const mr::KeyValue& b) { return a.key < b.key; });

  std::ofstream out("mr-out-0", std::ios::binary | std::ios::trunc);
  if (!out) Fatal("cannot create mr-out-0");
  std::size_t i = 0;
  while (i < intermediate.size()) {
    std::size_t j = i;
    std::vector<std::string> values;
    while (j < intermediate.size() && intermediate[j].key == intermediate[i].key) {
      values.push_back(intermediate[j].value);
      ++j;
    }
    out << intermediate[i].key << ' ' << app.reduce(intermediate[i].key, values) << '\n';
    i = j;
  }
  out.close();
  if (!out) Fatal("cannot write mr-out-0");
  return 0;
}
