// The Catch2 main of mapreduce_unit_tests (these tests need no simulator, so they do not use
// the labrpc test main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
