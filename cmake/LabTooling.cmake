# Code-style targets. The work is done by tools/format.sh and tools/tidy.sh, which can also be
# run by hand on a few folders (the selftest checks labrpc/ that way):
#
#   format              clang-format every C++ file of our folders, in place
#   check-format        fail, listing the files, when a file differs from .clang-format
#   check-tidy          clang-tidy (.clang-tidy) over every file of this build tree's
#                       compile_commands.json that lies in our folders
#   check-tidy-<folder> the same for one folder, e.g. check-tidy-raft
#
# clang-format and clang-tidy come from the Debian packages of the same names. When one is
# missing the target still exists and its script names the package to install.
# Usage: cmake --build --preset debug --target check-format

# Every folder of the project that holds C++ sources (build trees are skipped by the scripts).
set(LAB_SOURCE_FOLDERS labrpc raft kvraft shardkv mapreduce grading bench)

add_custom_target(format
  COMMAND bash ${PROJECT_SOURCE_DIR}/tools/format.sh ${LAB_SOURCE_FOLDERS}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "clang-format: formatting ${LAB_SOURCE_FOLDERS}"
  USES_TERMINAL VERBATIM)

add_custom_target(check-format
  COMMAND bash ${PROJECT_SOURCE_DIR}/tools/format.sh --check ${LAB_SOURCE_FOLDERS}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "clang-format: checking ${LAB_SOURCE_FOLDERS}"
  USES_TERMINAL VERBATIM)

add_custom_target(check-tidy
  COMMAND bash ${PROJECT_SOURCE_DIR}/tools/tidy.sh ${PROJECT_BINARY_DIR} ${LAB_SOURCE_FOLDERS}
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  COMMENT "clang-tidy: checking ${LAB_SOURCE_FOLDERS}"
  USES_TERMINAL VERBATIM)

foreach(folder ${LAB_SOURCE_FOLDERS})
  if(IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${folder})
    add_custom_target(check-tidy-${folder}
      COMMAND bash ${PROJECT_SOURCE_DIR}/tools/tidy.sh ${PROJECT_BINARY_DIR} ${folder}
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      COMMENT "clang-tidy: checking ${folder}"
      USES_TERMINAL VERBATIM)
  endif()
endforeach()
