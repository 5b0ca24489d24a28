// EDN text <-> Value: the reader and printer behind history.edn and results.edn.
//
//   Result<Value> v = ParseEdn("[:append 1 2]");
//   std::string s = v->ToEdn();   // "[:append 1 2]"
//
// The reader accepts what Clojure's pr-str prints for Jepsen data: EDN proper plus
// ##NaN/##Inf, N (BigInt) and M (BigDecimal, read as a double) suffixes, ratios (read
// as doubles), namespaced maps (#:ns{:a 1}), record literals (#jepsen.history.Op{...},
// kept as tagged values) and #_ discards. Errors name the place: "<source>:line:col:
// what was expected". Nesting deeper than EdnOptions::max_depth is an error, never a
// stack overflow.
//
// The printer writes what pr-str writes: {:a 1, :b 2}, #{...}, "escaped\n", \newline.
//
// Thread safety: free functions without shared state.
#ifndef JEPSEN_EDN_H_
#define JEPSEN_EDN_H_

#include <string>
#include <string_view>

#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

struct EdnOptions {
  // Name used in error messages, e.g. the file name.
  std::string_view source = "<input>";
  // Deepest nesting of collections and tagged elements accepted.
  int max_depth = 1000;
};

// Parses exactly one EDN form; anything but whitespace and comments after it is an
// error.
Result<Value> ParseEdn(std::string_view text, const EdnOptions& options = {});

// Appends the EDN text of `v` to `out`.
void AppendEdn(std::string& out, const Value& v);

}  // namespace jepsen

#endif  // JEPSEN_EDN_H_
