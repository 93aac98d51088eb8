// Key/value histories as JSON files: what testers write when a check fails, and what
// `./lab linearizability check` reads. The format is documented in docs/en/linearizability.md:
//
//   {
//     "model": "kv",                                    (optional; only "kv" exists)
//     "operations": [
//       {"client": 0, "op": "put", "key": "x", "value": "a", "call": 0, "return": 10},
//       {"client": 1, "op": "get", "key": "x", "output": "a", "call": 5, "return": 12}
//     ],
//     "annotations": [                                  (optional)
//       {"start": 3, "end": 9, "description": "partition {0} | {1,2}", "tag": "partition"}
//     ]
//   }
//
// A bare array of operations is accepted too. Reading is strict: an unknown field, a wrong
// type, a missing field or a return before its call is a HistoryError naming the file, the
// operation's position and the field, so a typo never silently changes the check.
#ifndef GRADING_LINEARIZABILITY_HISTORY_H_
#define GRADING_LINEARIZABILITY_HISTORY_H_

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "grading/linearizability/annotation.h"
#include "grading/linearizability/kv_model.h"

namespace lab::linearizability {

struct KvHistory {
  std::vector<KvOperation> operations;
  std::vector<Annotation> annotations;
};

// A malformed history: the message says where and what (e.g.
// `h.json: operations[3]: "call" must be an integer, got string`).
class HistoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses a history; `source` names it in error messages. Throws HistoryError.
KvHistory ParseKvHistory(std::string_view text, std::string_view source = "history");
// Reads and parses a file. Throws HistoryError (also when the file cannot be read).
KvHistory ReadKvHistoryFile(const std::string& path);

// The JSON text of a history, one operation per line (stable field order, diff-friendly).
// Bytes that are not valid UTF-8 are replaced with U+FFFD.
std::string KvHistoryToJson(const KvHistory& history);
// Writes KvHistoryToJson to a file. Throws HistoryError if it cannot be written.
void WriteKvHistoryFile(const KvHistory& history, const std::string& path);

// One annotation as a JSON object (also used by the visualization).
nlohmann::ordered_json AnnotationToJson(const Annotation& annotation);

}  // namespace lab::linearizability

#endif  // GRADING_LINEARIZABILITY_HISTORY_H_
