# Compiler settings shared by every target.

if(LAB_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(LAB_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread)
  add_link_options(-fsanitize=thread)
elseif(NOT LAB_SANITIZE STREQUAL "")
  message(FATAL_ERROR "LAB_SANITIZE must be empty, 'address' or 'thread' (got '${LAB_SANITIZE}')")
endif()

# Fiber stacks are fixed-size: probe large frames so an overflow hits the guard page.
add_compile_options(-fstack-clash-protection)

find_program(LAB_CCACHE ccache)
if(LAB_CCACHE AND NOT DEFINED ENV{CI})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${LAB_CCACHE})
endif()

# Framework code (runtime, testers, solutions, grader) builds with strict warnings as errors.
function(lab_framework_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  if(NOT LAB_SANITIZE STREQUAL "")
    # GCC 12 reports false "maybe-uninitialized" warnings inside libstdc++ (std::regex, used by
    # Catch2) when sanitizers change inlining; keep them visible but not fatal there.
    target_compile_options(${target} PRIVATE -Wno-error=maybe-uninitialized)
  endif()
endfunction()

# Student files get the same warnings, but never as errors: a warning must not stop a
# student from running the tests.
function(lab_student_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()
