# lab_add_test(<suite> SOURCES ... [LIBS ...] [TIMEOUT seconds] [STUDENT_SUITE])
#
# STUDENT_SUITE marks a graded suite that tests the student's files: in the repository those
# are stubs that fail every test by design, so CTest runs the suite only in builds of the
# reference solutions (LAB_SOLUTION=ON). The lab's selftest step checks both sides (stubs fail
# fast and clearly; the reference passes).
#
# Builds bin/<suite>_tests from Catch2 test files plus the one shared test main
# (labrpc/testing/test_main.cpp, which adds --seed, --check-determinism and the replay line),
# and registers each TEST_CASE with CTest. `./lab test <suite>` runs the same binary.
#
# Where the instructors' hidden tests exist (grading/hidden/<suite>/*.cpp; never in a student
# handout), it also builds them, linked with the same LIBS, into bin/<suite>_hidden_tests: a
# binary of their own, so the public one holds no hidden test (grading/hidden/README.md).
include(Catch)
include(${PROJECT_SOURCE_DIR}/grading/hidden/HiddenTests.cmake OPTIONAL)

function(lab_add_test suite)
  cmake_parse_arguments(ARG "STUDENT_SUITE" "TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set(target ${suite}_tests)
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE lab_test_main ${ARG_LIBS})
  lab_framework_target(${target})
  set(targets ${target})
  if(COMMAND lab_add_hidden_tests)
    lab_add_hidden_tests(${suite} LIBS ${ARG_LIBS})
    if(TARGET ${suite}_hidden_tests)
      list(APPEND targets ${suite}_hidden_tests)
    endif()
  endif()
  if(ARG_STUDENT_SUITE AND NOT LAB_SOLUTION)
    return()
  endif()
  foreach(binary ${targets})
    catch_discover_tests(${binary}
      TEST_PREFIX "${suite}: "
      EXTRA_ARGS --seed 1
      PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS ${suite})
  endforeach()
endfunction()
