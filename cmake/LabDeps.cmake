# Finds every third-party dependency. All of them come from the distribution's packages
# (tools/deps.txt: Debian 12 and 13, Ubuntu 22.04 and 24.04); when one is missing, the error
# names the package to install (./lab installs them for you).
#
# Oldest supported versions (Ubuntu 22.04, the floor): Boost 1.74, nlohmann_json 3.10.5,
# fmt 8.1, Catch2 2.13.8. Catch2 3.x works as well (labrpc/testing/catch.h hides the
# difference); LAB_CATCH2_MAJOR says which one was found.

function(lab_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR
      "${what} not found. Install it with:\n  sudo apt-get install ${package}\n"
      "(or run ./lab deps, which installs every missing package when run as root)")
  endif()
endfunction()

# Boost's own CMake files (BoostConfig.cmake, since 1.70): no FindBoost module needed.
find_package(Boost 1.74 QUIET CONFIG COMPONENTS context)
lab_require(Boost_FOUND "Boost 1.74 or newer, with Boost.Context"
            "libboost-dev libboost-context-dev")

find_package(nlohmann_json 3.10.5 QUIET)
lab_require(nlohmann_json_FOUND "nlohmann_json 3.10.5 or newer" "nlohmann-json3-dev")

find_package(fmt 8.1 QUIET)
lab_require(fmt_FOUND "fmt 8.1 or newer" "libfmt-dev")

find_package(Catch2 QUIET)
lab_require(Catch2_FOUND "Catch2 (version 2.13 or 3)" "catch2")
string(REGEX MATCH "^[0-9]+" LAB_CATCH2_MAJOR "${Catch2_VERSION}")
if(NOT LAB_CATCH2_MAJOR MATCHES "^[23]$")
  message(FATAL_ERROR "Catch2 ${Catch2_VERSION} found; the tests need version 2.13 or 3")
endif()
if(LAB_CATCH2_MAJOR EQUAL 2 AND Catch2_VERSION VERSION_LESS 2.13)
  message(FATAL_ERROR "Catch2 ${Catch2_VERSION} found; the tests need version 2.13 or newer")
endif()

find_package(Threads REQUIRED)

message(STATUS "Found Boost ${Boost_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, "
               "fmt ${fmt_VERSION}, Catch2 ${Catch2_VERSION}")
