# The reference solution of a lab, its graded suite linked against it, and its mutants.
#
# lab_reference(<lab>
#   DIR <solution dir>          e.g. ${CMAKE_CURRENT_SOURCE_DIR}/solution
#   FILES <file.cpp ...>        the solution's translation units, one concern each
#   DEPS <libraries ...>        what the solution links (labrpc; raft_reference for kvraft)
#   SUITE_TARGETS <targets ...> the lab's tester and test executable: their sources are compiled
#                               once more, against the solution's headers
#   SUITE_LIBS <libraries ...>  what those sources link (besides DEPS and the test main)
#   PROTECTED_HEADERS <regex>)  headers the suite sees, which a mutant may not change
#
# defines, none built by default:
#   <lab>_reference_<stem>   one object library per solution file, so that a mutant recompiles
#                            only the files its patch changes
#   <lab>_reference          the reference as a library (its include dir exposes the solution)
#   <lab>_reference_tests    the graded suite linked against the reference, in any build
#                            (selftest runs it from the student-stub build)
#   <lab>_mutant_<name>_tests   the graded suite linked against mutants/<name>.patch applied to
#                            a copy of the solution (see mutants/README.md)
function(lab_reference lab)
  cmake_parse_arguments(ARG "" "DIR;PROTECTED_HEADERS" "FILES;DEPS;SUITE_TARGETS;SUITE_LIBS" ${ARGN})

  set(reference_objects)
  foreach(file ${ARG_FILES})
    string(REPLACE ".cpp" "" stem ${file})
    _lab_solution_object(${lab}_reference_${stem} ${ARG_DIR}/${file} ${ARG_DIR} "${ARG_DEPS}")
    list(APPEND reference_objects ${lab}_reference_${stem})
  endforeach()
  _lab_solution_library(${lab}_reference ${ARG_DIR} "${ARG_DEPS}" ${reference_objects})
  set_target_properties(${lab}_reference PROPERTIES EXCLUDE_FROM_ALL TRUE)

  foreach(suite_target ${ARG_SUITE_TARGETS})
    if(NOT TARGET ${suite_target})
      return()
    endif()
  endforeach()

  # The graded suite compiled once against the solution's headers, to be linked with the
  # reference and with every mutant (mutants change only what the suite does not see).
  set(suite_sources)
  foreach(suite_target ${ARG_SUITE_TARGETS})
    get_target_property(dir ${suite_target} SOURCE_DIR)
    get_target_property(files ${suite_target} SOURCES)
    foreach(file ${files})
      if(IS_ABSOLUTE ${file})
        list(APPEND suite_sources ${file})
      else()
        list(APPEND suite_sources ${dir}/${file})
      endif()
    endforeach()
  endforeach()
  add_library(${lab}_suite_objects OBJECT EXCLUDE_FROM_ALL ${suite_sources})
  target_include_directories(${lab}_suite_objects SYSTEM PRIVATE ${ARG_DIR})
  target_link_libraries(${lab}_suite_objects PRIVATE ${ARG_DEPS} ${ARG_SUITE_LIBS} lab_test_main
                                                     fmt::fmt)
  target_compile_definitions(${lab}_suite_objects PRIVATE LAB_SUITE_NAME="${lab}")
  lab_framework_target(${lab}_suite_objects)
  _lab_suite_variant(${lab} reference ${lab}_reference "${ARG_SUITE_LIBS}")

  # Mutants.
  get_filename_component(mutants_dir ${ARG_DIR}/../mutants ABSOLUTE)
  find_program(LAB_PATCH_PROGRAM patch)
  if(NOT LAB_PATCH_PROGRAM)
    message(STATUS "${lab} mutants disabled: the `patch` program is missing")
    return()
  endif()
  file(GLOB patches CONFIGURE_DEPENDS ${mutants_dir}/*.patch)
  file(GLOB solution_all CONFIGURE_DEPENDS ${ARG_DIR}/*.h ${ARG_DIR}/*.cpp)
  foreach(patch_file ${patches})
    get_filename_component(name ${patch_file} NAME_WE)
    # The files a patch changes are read here, at configure time: reconfigure when it changes.
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${patch_file})
    file(STRINGS ${patch_file} patched_lines REGEX "^\\+\\+\\+ ")
    set(patched)
    set(patches_header FALSE)
    foreach(line ${patched_lines})
      string(REGEX REPLACE "^\\+\\+\\+ [^/]*/([^ \t]*).*$" "\\1" file "${line}")
      if(file MATCHES "${ARG_PROTECTED_HEADERS}")
        message(FATAL_ERROR "${patch_file} changes ${file}: the suite is compiled against that "
                            "header, so a mutant may not change it")
      endif()
      if(file MATCHES "\\.h$")
        set(patches_header TRUE)
      endif()
      list(APPEND patched ${file})
    endforeach()
    if(NOT patched)
      message(FATAL_ERROR "${patch_file} changes no file (expected lines like '+++ b/x.cpp')")
    endif()

    set(dir ${CMAKE_CURRENT_BINARY_DIR}/mutants/${name})
    set(recompiled)
    foreach(file ${ARG_FILES})
      if(patches_header OR file IN_LIST patched)
        list(APPEND recompiled ${file})
      endif()
    endforeach()
    list(TRANSFORM recompiled PREPEND ${dir}/ OUTPUT_VARIABLE outputs)
    # --fuzz=0: a patch that no longer applies exactly fails the build, naming the mutant,
    # rather than silently mutating the wrong line.
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${CMAKE_COMMAND} -E rm -rf ${dir}
      COMMAND ${CMAKE_COMMAND} -E copy_directory ${ARG_DIR} ${dir}
      COMMAND ${LAB_PATCH_PROGRAM} --quiet --fuzz=0 --no-backup-if-mismatch -p1 -d ${dir}
              -i ${patch_file}
      DEPENDS ${patch_file} ${solution_all}
      COMMENT "${lab} mutant ${name}: patching a copy of the solution"
      VERBATIM)

    set(objects)
    foreach(file ${ARG_FILES})
      string(REPLACE ".cpp" "" stem ${file})
      if(file IN_LIST recompiled)
        _lab_solution_object(${lab}_mutant_${name}_${stem} ${dir}/${file} ${dir} "${ARG_DEPS}")
        list(APPEND objects ${lab}_mutant_${name}_${stem})
      else()
        list(APPEND objects ${lab}_reference_${stem})
      endif()
    endforeach()
    _lab_solution_library(${lab}_mutant_${name} ${ARG_DIR} "${ARG_DEPS}" ${objects})
    set_target_properties(${lab}_mutant_${name} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    _lab_suite_variant(${lab} mutant_${name} ${lab}_mutant_${name} "${ARG_SUITE_LIBS}")
  endforeach()
endfunction()

# An object library of one solution file.
function(_lab_solution_object target source include_dir deps)
  add_library(${target} OBJECT EXCLUDE_FROM_ALL ${source})
  target_include_directories(${target} PRIVATE ${include_dir})
  target_link_libraries(${target} PRIVATE ${deps})
  lab_framework_target(${target})
endfunction()

# A library of solution objects whose consumers include the solution's headers from
# include_dir. SYSTEM for consumers: the strict tester build must not inherit its warnings.
function(_lab_solution_library target include_dir deps)
  set(objects)
  foreach(object_library ${ARGN})
    list(APPEND objects $<TARGET_OBJECTS:${object_library}>)
  endforeach()
  add_library(${target} STATIC ${objects})
  target_include_directories(${target} SYSTEM PUBLIC ${include_dir})
  target_link_libraries(${target} PUBLIC ${deps})
endfunction()

# bin/<lab>_<name>_tests: the suite's objects linked against `library`, built only on request.
function(_lab_suite_variant lab name library suite_libs)
  add_executable(${lab}_${name}_tests EXCLUDE_FROM_ALL $<TARGET_OBJECTS:${lab}_suite_objects>)
  target_link_libraries(${lab}_${name}_tests PRIVATE ${library} ${suite_libs} lab_test_main
                                                     fmt::fmt)
endfunction()
