// Lab 1 reference solution: the files a task reads and writes.
//
// Intermediate file mr-X-Y holds the pairs of map task X for reduce task Y, one JSON array
// ["key","value"] per line. Every file is written under a temporary name in the same directory
// and renamed into place when complete, so a reader sees a whole file or none, even if the
// writer crashes halfway.
#ifndef MAPREDUCE_SOLUTION_TASK_FILES_H_
#define MAPREDUCE_SOLUTION_TASK_FILES_H_

#include <stdexcept>
#include <string>
#include <vector>

#include "mapreduce/framework/keyvalue.h"

namespace mr {

class TaskFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string IntermediateName(int map_task, int reduce_task);  // "mr-X-Y"
std::string OutputName(int reduce_task);                      // "mr-out-Y"

// The whole contents of `path`. Throws TaskFileError.
std::string ReadWholeFile(const std::string& path);

// Writes `contents` to `path` atomically (temporary file, then rename). Throws TaskFileError.
void WriteFileAtomically(const std::string& path, const std::string& contents);

// Splits `pairs` by IHash(key) % n_reduce and writes mr-<map_task>-Y for every Y (empty files
// included, so that a reduce task finds all of its inputs).
void WriteIntermediate(int map_task, int n_reduce, const std::vector<KeyValue>& pairs);

// Appends the pairs of mr-X-<reduce_task> for X in [0, n_map) to *pairs. Throws
// TaskFileError if a file is missing or malformed.
void ReadIntermediate(int n_map, int reduce_task, std::vector<KeyValue>* pairs);

}  // namespace mr

#endif  // MAPREDUCE_SOLUTION_TASK_FILES_H_
