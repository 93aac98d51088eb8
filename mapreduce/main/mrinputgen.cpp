// mrinputgen: writes the lab's eight input texts (pg-*.txt) into a directory.
//
// Framework file: grading uses the original. Edit it only to debug.
//
//   mrinputgen DIR [--seed N]
//
// The build runs it once to make <build>/mr-inputs/; the test driver makes its own copy in
// every test directory. See mapreduce/textgen/textgen.h for what the text is like.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "mapreduce/textgen/textgen.h"

int main(int argc, char** argv) {
  std::string dir;
  std::uint64_t seed = mr::textgen::kDefaultSeed;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (dir.empty() && !arg.starts_with("-")) {
      dir = arg;
    } else {
      dir.clear();
      break;
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "Usage: mrinputgen DIR [--seed N]\n");
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "mrinputgen: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::size_t total = 0;
  for (const mr::textgen::InputSpec& spec : mr::textgen::DefaultInputs()) {
    mr::textgen::Text text = mr::textgen::GenerateText(spec, seed);
    std::string path = dir + "/" + text.name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text.contents;
    out.close();
    if (!out) {
      std::fprintf(stderr, "mrinputgen: cannot write %s\n", path.c_str());
      return 1;
    }
    total += text.contents.size();
  }
  std::printf("mrinputgen: wrote %zu files, %zu bytes, to %s (seed %llu)\n",
              mr::textgen::DefaultInputs().size(), total, dir.c_str(),
              static_cast<unsigned long long>(seed));
  return 0;
}
