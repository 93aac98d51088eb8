# lab_add_hidden_tests(<suite> [LIBS ...])
#
# Builds the instructors' hidden tests, grading/hidden/<suite>/*.cpp, into a binary of their
# own, bin/<suite>_hidden_tests (target <suite>_hidden_tests), linked like the suite's public
# binary (the shared test main plus LIBS), so the tests see the same tester and student code.
# Nothing is defined when the folder holds no test file.
#
# Why a binary of their own: the public binary's output is what students see, and a student's
# code runs inside it. Were the hidden tests compiled in, that code could print their names
# and code from its own memory. The autograder runs the hidden binary after every public run
# has ended, as a user that may read it, and shows none of its output.
#
# This file lives in grading/hidden/, which is never handed out: in a student's copy it does
# not exist, so cmake/LabTest.cmake includes it OPTIONAL and lab_add_test() calls this function
# only when it is defined. Adding or removing a hidden file is picked up at the next build
# (CONFIGURE_DEPENDS).
function(lab_add_hidden_tests suite)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  file(GLOB hidden_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${suite}/*.cpp)
  if(NOT hidden_sources)
    return()
  endif()
  set(target ${suite}_hidden_tests)
  list(LENGTH hidden_sources count)
  message(STATUS "${target}: ${count} hidden test file(s) from grading/hidden/${suite}/")
  add_executable(${target} ${hidden_sources})
  target_link_libraries(${target} PRIVATE lab_test_main ${ARG_LIBS})
  lab_framework_target(${target})
endfunction()
