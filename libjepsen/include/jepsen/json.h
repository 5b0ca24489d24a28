// Value <-> JSON, with an encoding that keeps every EDN kind (docs/history-formats.md).
//
// JSON has no keywords, sets, lists, symbols, characters or tags, so they are encoded:
//   keyword :read          ":read"
//   string ":x" or "~x"    "~:x", "~~x"   (a leading ':' or '~' is escaped with '~')
//   list (1 2)             {"~list": [1, 2]}
//   set #{1 2}             {"~set": [1, 2]}
//   map with keys that are not strings or keywords   {"~map": [[k, v], ...]}
//   symbol foo             {"~symbol": "foo"}
//   char \a                {"~char": "a"}
//   #inst "..."            {"~tag": ["inst", "..."]}
//   ##NaN, ##Inf, ##-Inf   {"~double": "NaN"}, {"~double": "Infinity"}, ...
//   integers beyond int64  plain JSON numbers (read back as BigInt)
//   doubles                always with a fraction or an exponent (1.0)
// Everything else is plain JSON. Any JSON document reads as a Value: strings without a
// leading ':' or '~' stay strings, so histories written by other tools work too.
//
// Thread safety: free functions without shared state.
#ifndef JEPSEN_JSON_H_
#define JEPSEN_JSON_H_

#include <string>
#include <string_view>

#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

struct JsonOptions {
  // Name used in error messages, e.g. "history.jsonl:12".
  std::string_view source = "<input>";
  // Deepest nesting of arrays and objects accepted.
  int max_depth = 1000;
};

// Parses exactly one JSON value and decodes it as above.
Result<Value> ParseJson(std::string_view text, const JsonOptions& options = {});

// Appends the JSON encoding of `v` to `out`.
void AppendJson(std::string& out, const Value& v);

// Appends plain JSON for people and other tools (results.json, --json output), not
// meant to be read back: keywords and symbols become their names, characters
// strings, lists and sets arrays, tagged elements their element, and map keys that
// are not strings or keywords their EDN text.
void AppendPlainJson(std::string& out, const Value& v);

}  // namespace jepsen

#endif  // JEPSEN_JSON_H_
