# lab_add_hidden_tests(<suite> [TARGET <target>])
#
# Adds the instructors' hidden tests, grading/hidden/<suite>/*.cpp, to the suite's test binary
# (default target: <suite>_tests). Hidden tests are ordinary Catch2 files (LAB_TEST or
# TEST_CASE) compiled into the same binary as the public tests, so they see the same tester
# and student code; labs/<lab>.json lists them with "hidden": true.
#
# This file lives in grading/hidden/, which is never handed out: in a student's copy it does
# not exist, so callers include it OPTIONAL and fall back to a no-op (see cmake/LabTest.cmake).
# Adding or removing a hidden file is picked up at the next build (CONFIGURE_DEPENDS).
function(lab_add_hidden_tests suite)
  cmake_parse_arguments(ARG "" "TARGET" "" ${ARGN})
  if(NOT ARG_TARGET)
    set(ARG_TARGET ${suite}_tests)
  endif()
  file(GLOB hidden_sources CONFIGURE_DEPENDS
       ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${suite}/*.cpp)
  if(hidden_sources)
    list(LENGTH hidden_sources count)
    message(STATUS "${ARG_TARGET}: ${count} hidden test file(s) from grading/hidden/${suite}/")
    target_sources(${ARG_TARGET} PRIVATE ${hidden_sources})
  endif()
endfunction()
