# Finds every third-party dependency. All of them come from Debian 12 packages; when one is
# missing, the error names the package to install (./lab installs them for you).

function(lab_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR
      "${what} not found. Install it with:\n  sudo apt-get install ${package}\n"
      "(or run ./lab, which installs every missing package when run as root)")
  endif()
endfunction()

find_package(Boost 1.81 QUIET COMPONENTS context)
lab_require(Boost_FOUND "Boost 1.81 with Boost.Context"
            "libboost1.81-dev libboost-context1.81-dev")

find_package(nlohmann_json 3.10 QUIET)
lab_require(nlohmann_json_FOUND "nlohmann_json" "nlohmann-json3-dev")

find_package(fmt QUIET)
lab_require(fmt_FOUND "fmt" "libfmt-dev")

find_package(Catch2 2 QUIET)
lab_require(Catch2_FOUND "Catch2 v2" "catch2")

find_package(Threads REQUIRED)
