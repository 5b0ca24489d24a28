// Private: the EDN parser shared by ParseEdn, the history.edn reader and the
// history.txt reader.
//
// It parses forms out of a byte range that may be only a prefix of the input: when a
// form runs past the end of a range that is not the input's end, the parser answers
// kNeedMore and the caller refills and retries from the form's start. This is how the
// history reader streams files of any size through a small buffer.
#ifndef JEPSEN_SRC_EDN_PARSER_H_
#define JEPSEN_SRC_EDN_PARSER_H_

#include <string>
#include <vector>

#include "jepsen/value.h"
#include "text_util.h"

namespace jepsen::internal {

class EdnParser {
 public:
  enum class Outcome { kValue, kEnd, kNeedMore, kError };

  explicit EdnParser(int max_depth) : max_depth_(max_depth) {}

  // Parses from [begin, end); `at_eof` is true when no bytes follow `end`.
  void Reset(const char* begin, const char* end, bool at_eof);

  // Skips whitespace, commas, comments and #_ discards. kEnd at the end of the range.
  Outcome SkipSpace();
  // Parses the next form into *out. kEnd if only whitespace remains.
  Outcome Next(Value* out);

  // Where parsing stopped (after the last form, or at the error).
  const char* pos() const { return p_; }
  void set_pos(const char* p) { p_ = p; }
  const std::string& error() const { return error_; }
  const char* error_pos() const { return error_pos_; }
  // True if the error is running out of input inside a form (a truncated file).
  bool error_at_end() const { return error_at_end_; }

 private:
  bool Form(Value* out, int depth);
  // Skips whitespace and comments; `depth` bounds the nesting of #_ discards.
  bool Space(int depth);
  bool Items(char close, ValueKind kind, int depth);
  bool Seq(char close, ValueKind kind, Value* out, int depth);
  bool Map(Value* out, int depth, const char* open);
  bool Set(Value* out, int depth, const char* open);
  bool String(Value* out);
  bool Char(Value* out);
  bool Keyword(Value* out);
  bool Number(Value* out);
  bool SymbolLike(Value* out);
  bool Dispatch(Value* out, int depth);
  bool NamespacedMap(Value* out, int depth);
  // Reads a token of symbol characters starting at p_; false if it may continue past
  // the end of a partial range.
  bool Token(std::string_view* token);
  bool Fail(const char* at, std::string message);
  bool NeedMore(const char* at, std::string_view expected);

  int max_depth_;
  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool at_eof_ = true;
  bool need_more_ = false;
  bool error_at_end_ = false;
  std::string error_;
  const char* error_pos_ = nullptr;
  std::vector<Value> stack_;  // elements of the collections being built
  std::string scratch_;       // unescaped string contents
};

}  // namespace jepsen::internal

#endif  // JEPSEN_SRC_EDN_PARSER_H_
