// Catch2, version 2 or 3, behind one header: every test file includes this one (usually through
// "labrpc/testing/test.h"), never a <catch2/...> header itself.
//
// Framework file: grading uses the original. Edit it only to debug.
//
// Why: the systems the labs support ship different major versions of Catch2 (Debian 12 and
// Ubuntu 22.04 ship 2.13, Debian 13 and Ubuntu 24.04 ship 3.x). Version 3 split the single
// header into many and renamed a few things. Test code uses only what both versions spell the
// same way, plus the names below for the things they spell differently:
//
//   TEST_CASE, SECTION, REQUIRE, CHECK, REQUIRE_FALSE, REQUIRE_THROWS_AS, REQUIRE_THROWS_WITH,
//   REQUIRE_THAT, CHECK_THAT, INFO, UNSCOPED_INFO, CAPTURE, FAIL, SUCCEED   (same in both)
//   lab::testing::ContainsSubstring(text)   matcher: the string contains text (version 2's
//                                           Catch::Contains, version 3's
//                                           Catch::Matchers::ContainsSubstring); combine with
//                                           && and ||
//   lab::testing::CatchSeed()               Catch2's random seed (the test main sets it to the
//                                           run's --seed)
//
// Anything else of Catch2 (generators, Approx, benchmarks) needs its own line here for version
// 3 before a test may use it; selftest builds the tests against both versions.
//
// LAB_CATCH2_MAJOR (2 or 3) comes from the build (cmake/LabDeps.cmake), which found the
// installed Catch2.
#ifndef LABRPC_TESTING_CATCH_H_
#define LABRPC_TESTING_CATCH_H_

#include <cstdint>
#include <string>

#if !defined(LAB_CATCH2_MAJOR)
#error "LAB_CATCH2_MAJOR is not defined: build test files through CMake (lab_add_test)"
#elif LAB_CATCH2_MAJOR == 2
#include <catch2/catch.hpp>
#elif LAB_CATCH2_MAJOR == 3
#include <catch2/catch_get_random_seed.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#error "LAB_CATCH2_MAJOR must be 2 or 3"
#endif

namespace lab::testing {

// Matches a string that contains `text` (case-sensitive).
inline auto ContainsSubstring(const std::string& text) {
#if LAB_CATCH2_MAJOR == 2
  return Catch::Matchers::Contains(text);
#else
  return Catch::Matchers::ContainsSubstring(text);
#endif
}

// The seed of Catch2's random number generator in this run: the test main passes the run's
// --seed to Catch2, so tests that draw their own random inputs replay with the same command.
inline std::uint32_t CatchSeed() {
#if LAB_CATCH2_MAJOR == 2
  return Catch::rngSeed();
#else
  return Catch::getSeed();
#endif
}

}  // namespace lab::testing

#endif  // LABRPC_TESTING_CATCH_H_
