// Small helpers shared by the basic checkers (set, counter, queues, stats, ...).
// Private to libjepsen.
#ifndef JEPSEN_SRC_CHECKER_BASIC_BASIC_UTIL_H_
#define JEPSEN_SRC_CHECKER_BASIC_BASIC_UTIL_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jepsen/checker.h"
#include "jepsen/history.h"
#include "jepsen/value.h"

namespace jepsen::basic {

inline Value Kw(std::string_view name) { return Value::Keyword(name); }

// An unknown verdict for a history the checker cannot interpret.
inline CheckResult UnknownResult(const Status& why) {
  return {.validity = Validity::kUnknown,
          .details = Value::Map({{Kw("error"), Value::String(why.message())},
                                 {Kw("explanation"), Value::String(why.message())}})};
}

// Values sorted by Value's total order, as a vector (keeps duplicates) or a set.
Value SortedVector(std::vector<Value> values);
Value SortedSet(std::vector<Value> values);

// The elements a read returned: the elements of a vector, list or set; nothing for
// anything else (nil from a read that saw nothing).
std::span<const Value> ReadElements(const Value& value);

// At most `max` elements of a vector or set as EDN, with "..." and the total when
// there are more: for explanations that must stay one paragraph.
std::string Preview(const Value& values, size_t max = 10);

// The value an op was invoked with: an invocation's own value, a completion's
// invocation's value (clients need not echo it), else the completion's own value.
const Value& InvokedValue(const History& h, size_t position);

// A multiset of values: value -> multiplicity (> 0).
using Multiset = std::unordered_map<Value, int64_t, ValueHash>;

int64_t MultisetSize(const Multiset& m);
// The multiset as a sorted vector in which each value repeats its multiplicity.
Value MultisetValue(const Multiset& m);

// True if `op` is a client op whose f is named `f` (a keyword or a string).
inline bool IsClientF(const Op& op, std::string_view f) {
  return op.is_client() && op.f.IsNamed(f);
}

}  // namespace jepsen::basic

#endif  // JEPSEN_SRC_CHECKER_BASIC_BASIC_UTIL_H_
