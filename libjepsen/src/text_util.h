// Private: text helpers shared by the EDN, JSON and txt readers and writers.
#ifndef JEPSEN_SRC_TEXT_UTIL_H_
#define JEPSEN_SRC_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace jepsen::internal {

// Characters that may appear in symbols, keywords and number tokens. Bytes of
// multi-byte UTF-8 sequences count too, as Clojure allows non-ASCII symbols.
bool IsTokenChar(char c);
// The first byte in [p, end) that does not start a valid UTF-8 sequence, or nullptr.
const char* FindInvalidUtf8(const char* p, const char* end);
// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(std::string& out, char32_t cp);
// Length of the valid UTF-8 sequence at [p, end), or 0 if invalid or incomplete.
int Utf8SequenceLength(const char* p, const char* end);
// True if `name` prints as a keyword (`:name`) or symbol that reads back the same.
bool IsValidName(std::string_view name, bool keyword);
// 1-based line and column of `at` within [begin, at).
std::pair<int64_t, int64_t> LineColumn(const char* begin, const char* at);
// A double-quoted string with \" \\ \n \t \r \b \f and \u00XX escapes: valid EDN and
// valid JSON alike.
void AppendQuotedString(std::string& out, std::string_view s);
// Shortest text that reads back as the same double. Non-finite values are ##NaN,
// ##Inf, ##-Inf in EDN and NaN, Infinity, -Infinity otherwise.
void AppendDouble(std::string& out, double d, bool edn);
// Decimal digits of `i` (EDN and JSON alike).
void AppendInt(std::string& out, int64_t i);

}  // namespace jepsen::internal

#endif  // JEPSEN_SRC_TEXT_UTIL_H_
