// Private: small views of a history shared by the report writers.
#ifndef JEPSEN_SRC_REPORT_OPS_H_
#define JEPSEN_SRC_REPORT_OPS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "jepsen/history.h"

namespace jepsen::report {

// The name of an op's :f: a keyword's or string's text, otherwise its EDN.
std::string FName(const Value& f);
// True if the op at `position` opens an operation: an :invoke, or a nemesis :info that
// History paired as the first half (or left unpaired).
bool IsInvocation(const History& history, size_t position);
// The last known op time, in seconds (0 if none).
double EndSeconds(const History& history);
inline double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }
// The value at `key` of a map, under a keyword key (EDN, in memory) or a string key
// (parsed JSON), or nullptr (also when `map` is not a map).
const Value* Get(const Value& map, std::string_view key);

}  // namespace jepsen::report

#endif  // JEPSEN_SRC_REPORT_OPS_H_
