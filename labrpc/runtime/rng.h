// Internal: the deterministic random generator of a run (xoshiro256**, seeded by splitmix64).
// Chosen over std::mt19937_64 + std::uniform_int_distribution because the standard
// distributions differ between library implementations; this one gives the same numbers
// everywhere, so a seed replays the same run on any machine.
#ifndef LABRPC_RUNTIME_RNG_H_
#define LABRPC_RUNTIME_RNG_H_

#include <cstdint>

namespace lab::detail {

class Rng {
  __extension__ typedef unsigned __int128 U128;  // GCC/Clang extension; pedantic-clean

 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : s_) word = SplitMix(seed);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) without modulo bias (Lemire's multiply-and-reject). REQUIRES: n > 0.
  std::uint64_t Below(std::uint64_t n) {
    U128 m = static_cast<U128>(Next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = -n % n;
      while (low < threshold) {
        m = static_cast<U128>(Next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t SplitMix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
};

}  // namespace lab::detail

#endif  // LABRPC_RUNTIME_RNG_H_
