// Private: a strict JSON parser that decodes libjepsen's JSON encoding of Values
// (see jepsen/json.h) as it goes.
#ifndef JEPSEN_SRC_JSON_PARSER_H_
#define JEPSEN_SRC_JSON_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "jepsen/value.h"

namespace jepsen::internal {

class JsonParser {
 public:
  explicit JsonParser(int max_depth) : max_depth_(max_depth) {}

  // Parses exactly one JSON value (surrounding whitespace allowed) from `text`.
  bool Parse(std::string_view text, Value* out);

  const std::string& error() const { return error_; }
  const char* error_pos() const { return error_pos_; }
  // True if the text ended inside the value (a truncated line).
  bool error_at_end() const { return error_at_end_; }

 private:
  bool Any(Value* out, int depth);
  bool Object(Value* out, int depth);
  bool Array(Value* out, int depth);
  bool RawString(std::string* out);
  bool Number(Value* out);
  bool Literal(std::string_view word, Value v, Value* out);
  void Space();
  bool Fail(const char* at, std::string message);
  bool Expect(char c, std::string_view what);

  int max_depth_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  std::string error_;
  const char* error_pos_ = nullptr;
  bool error_at_end_ = false;
  std::vector<Value> stack_;
};

// Decodes a JSON string under the encoding: ":k" is a keyword, "~x" the string "x".
Value DecodeJsonString(std::string_view s);

}  // namespace jepsen::internal

#endif  // JEPSEN_SRC_JSON_PARSER_H_
