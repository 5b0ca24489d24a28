#include "edn_parser.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "value_internal.h"

namespace jepsen::internal {
namespace {

bool IsWhitespace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == '\f' ||
         c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Describe(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void EdnParser::Reset(const char* begin, const char* end, bool at_eof) {
  begin_ = p_ = begin;
  end_ = end;
  at_eof_ = at_eof;
  need_more_ = false;
  error_at_end_ = false;
  error_.clear();
  error_pos_ = nullptr;
  stack_.clear();
}

bool EdnParser::Fail(const char* at, std::string message) {
  error_ = std::move(message);
  error_pos_ = at;
  return false;
}

bool EdnParser::NeedMore(const char* at, std::string_view expected) {
  if (!at_eof_) {
    need_more_ = true;
    return false;
  }
  error_at_end_ = true;
  return Fail(at, fmt::format("unexpected end of input: expected {}", expected));
}

EdnParser::Outcome EdnParser::SkipSpace() {
  const char* start = p_;
  if (Space(0)) return p_ == end_ ? Outcome::kEnd : Outcome::kValue;
  if (need_more_) {
    p_ = start;
    return Outcome::kNeedMore;
  }
  return Outcome::kError;
}

EdnParser::Outcome EdnParser::Next(Value* out) {
  const char* start = p_;
  Outcome space = SkipSpace();
  if (space != Outcome::kValue) {
    if (space == Outcome::kEnd && !at_eof_) {
      p_ = start;
      return Outcome::kNeedMore;
    }
    return space;
  }
  size_t base = stack_.size();
  if (Form(out, 0)) return Outcome::kValue;
  stack_.resize(base);
  if (need_more_) {
    p_ = start;
    return Outcome::kNeedMore;
  }
  return Outcome::kError;
}

// Whitespace, commas, ; comments and #_ discards. Stops at the end of the range
// (the caller decides whether that is the end of the input).
bool EdnParser::Space(int depth) {
  while (p_ < end_) {
    char c = *p_;
    if (IsWhitespace(c)) {
      ++p_;
    } else if (c == ';') {
      const void* nl = std::memchr(p_, '\n', static_cast<size_t>(end_ - p_));
      p_ = nl ? static_cast<const char*>(nl) + 1 : end_;
    } else if (c == '#') {
      if (p_ + 1 == end_) return at_eof_ ? true : NeedMore(p_, "a form after '#'");
      if (p_[1] != '_') return true;
      p_ += 2;
      Value discarded;
      if (!Form(&discarded, depth + 1)) return false;
    } else {
      return true;
    }
  }
  return true;
}

bool EdnParser::Form(Value* out, int depth) {
  if (depth > max_depth_) {
    return Fail(p_, fmt::format("nesting deeper than {} levels", max_depth_));
  }
  if (!Space(depth)) return false;
  if (p_ == end_) return NeedMore(p_, "a form");
  char c = *p_;
  switch (c) {
    case '(':
      return Seq(')', ValueKind::kList, out, depth);
    case '[':
      return Seq(']', ValueKind::kVector, out, depth);
    case '{':
      return Map(out, depth, p_);
    case '"':
      return String(out);
    case '\\':
      return Char(out);
    case ':':
      return Keyword(out);
    case '#':
      return Dispatch(out, depth);
    case ')':
    case ']':
    case '}':
      return Fail(p_, fmt::format("unexpected '{}' with nothing open", c));
    default:
      break;
  }
  if (IsDigit(c) || ((c == '-' || c == '+') && p_ + 1 < end_ && IsDigit(p_[1]))) {
    return Number(out);
  }
  if ((c == '-' || c == '+') && p_ + 1 == end_ && !at_eof_) return NeedMore(p_, "a form");
  if (IsTokenChar(c) && c != '#' && c != ':' && c != '\'') {
    if (static_cast<unsigned char>(c) >= 0x80 && Utf8SequenceLength(p_, end_) == 0) {
      if (!at_eof_ && end_ - p_ < 4) return NeedMore(p_, "a form");
      return Fail(p_, fmt::format("invalid UTF-8 {}", Describe(c)));
    }
    return SymbolLike(out);
  }
  return Fail(p_, fmt::format("unexpected {}: expected a form", Describe(c)));
}

// Parses forms onto stack_ up to and including `close`.
bool EdnParser::Items(char close, ValueKind kind, int depth) {
  ++p_;
  for (;;) {
    if (!Space(depth + 1)) return false;
    if (p_ == end_) {
      return NeedMore(p_,
                      fmt::format("'{}' to close the {}", close, ValueKindName(kind)));
    }
    if (*p_ == close) break;
    Value item;  // not parsed in place: nested forms may grow stack_
    if (!Form(&item, depth + 1)) return false;
    stack_.push_back(std::move(item));
  }
  ++p_;
  return true;
}

bool EdnParser::Seq(char close, ValueKind kind, Value* out, int depth) {
  size_t base = stack_.size();
  if (!Items(close, kind, depth)) return false;
  std::span<Value> items(stack_.data() + base, stack_.size() - base);
  *out = kind == ValueKind::kList ? ValueBuilder::MoveList(items)
                                  : ValueBuilder::MoveVector(items);
  stack_.resize(base);
  return true;
}

bool EdnParser::Map(Value* out, int depth, const char* open) {
  size_t base = stack_.size();
  if (!Items('}', ValueKind::kMap, depth)) return false;
  size_t n = stack_.size() - base;
  if (n % 2 != 0) {
    return Fail(open, fmt::format("map literal has an odd number of forms ({})", n));
  }
  bool dup = false;
  *out = ValueBuilder::MoveMap({stack_.data() + base, n}, &dup);
  stack_.resize(base);
  if (dup) return Fail(open, "map literal has a duplicate key");
  return true;
}

bool EdnParser::Set(Value* out, int depth, const char* open) {
  size_t base = stack_.size();
  ++p_;  // past '#'
  if (!Items('}', ValueKind::kSet, depth)) return false;
  bool dup = false;
  *out = ValueBuilder::MoveSet({stack_.data() + base, stack_.size() - base}, &dup);
  stack_.resize(base);
  if (dup) return Fail(open, "set literal has a duplicate element");
  return true;
}

bool EdnParser::String(Value* out) {
  const char* open = p_++;
  scratch_.clear();
  const char* run = p_;
  while (true) {
    if (p_ == end_) return NeedMore(open, "'\"' to close the string");
    char c = *p_;
    if (c == '"') break;
    if (static_cast<unsigned char>(c) >= 0x80) {
      int n = Utf8SequenceLength(p_, end_);
      if (n == 0) {
        if (!at_eof_ && end_ - p_ < 4) return NeedMore(open, "'\"' to close the string");
        return Fail(p_, fmt::format("invalid UTF-8 {} in string", Describe(c)));
      }
      p_ += n;
      continue;
    }
    if (c != '\\') {
      ++p_;
      continue;
    }
    scratch_.append(run, p_);
    if (p_ + 1 == end_) return NeedMore(open, "'\"' to close the string");
    char e = p_[1];
    p_ += 2;
    switch (e) {
      case '"':
        scratch_ += '"';
        break;
      case '\\':
        scratch_ += '\\';
        break;
      case 'n':
        scratch_ += '\n';
        break;
      case 't':
        scratch_ += '\t';
        break;
      case 'r':
        scratch_ += '\r';
        break;
      case 'b':
        scratch_ += '\b';
        break;
      case 'f':
        scratch_ += '\f';
        break;
      case 'u': {
        if (end_ - p_ < 4) return NeedMore(open, "four hex digits after \\u");
        char32_t cp = 0;
        for (int i = 0; i < 4; ++i) {
          int d = HexDigit(p_[i]);
          if (d < 0) return Fail(p_ - 2, "\\u needs four hex digits");
          cp = cp * 16 + static_cast<char32_t>(d);
        }
        p_ += 4;
        // A UTF-16 surrogate pair spelled as two escapes, as Java prints them.
        if (cp >= 0xD800 && cp <= 0xDBFF && end_ - p_ >= 6 && p_[0] == '\\' &&
            p_[1] == 'u') {
          char32_t lo = 0;
          bool ok = true;
          for (int i = 0; i < 4; ++i) {
            int d = HexDigit(p_[2 + i]);
            ok = ok && d >= 0;
            lo = lo * 16 + static_cast<char32_t>(d < 0 ? 0 : d);
          }
          if (ok && lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p_ += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // lone surrogate
        AppendUtf8(scratch_, cp);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {  // octal escape, as Clojure's reader allows
          char32_t cp = static_cast<char32_t>(e - '0');
          for (int i = 0; i < 2 && p_ < end_ && *p_ >= '0' && *p_ <= '7'; ++i) {
            cp = cp * 8 + static_cast<char32_t>(*p_++ - '0');
          }
          AppendUtf8(scratch_, cp);
          break;
        }
        return Fail(p_ - 2, fmt::format("unknown escape \\{} in string", e));
    }
    run = p_;
  }
  if (scratch_.empty()) {
    *out = Value::String(std::string_view(run, static_cast<size_t>(p_ - run)));
  } else {
    scratch_.append(run, p_);
    *out = Value::String(scratch_);
  }
  ++p_;
  return true;
}

bool EdnParser::Token(std::string_view* token) {
  const char* start = p_;
  while (p_ < end_ && IsTokenChar(*p_)) {
    if (static_cast<unsigned char>(*p_) < 0x80) {
      ++p_;
      continue;
    }
    int n = Utf8SequenceLength(p_, end_);
    if (n == 0) {
      if (!at_eof_ && end_ - p_ < 4) break;  // may be completed by the next read
      return Fail(p_, fmt::format("invalid UTF-8 {}", Describe(*p_)));
    }
    p_ += n;
  }
  if (p_ == end_ && !at_eof_) {
    p_ = start;
    need_more_ = true;
    return false;
  }
  *token = std::string_view(start, static_cast<size_t>(p_ - start));
  return true;
}

bool EdnParser::Char(Value* out) {
  const char* start = p_++;
  if (p_ == end_) return NeedMore(start, "a character after '\\'");
  int n = Utf8SequenceLength(p_, end_);
  if (n == 0) {
    if (!at_eof_ && end_ - p_ < 4) return NeedMore(start, "a character");
    return Fail(p_, fmt::format("invalid UTF-8 {} in character", Describe(*p_)));
  }
  const char* name_end = p_ + n;
  while (name_end < end_ && IsTokenChar(*name_end) && IsAlpha(*p_)) ++name_end;
  if (name_end == end_ && !at_eof_) return NeedMore(start, "a character");
  std::string_view name(p_, static_cast<size_t>(name_end - p_));
  char32_t cp;
  if (static_cast<int>(name.size()) == n) {
    std::string tmp(name);
    cp = 0;
    // Decode the single code point.
    auto b0 = static_cast<unsigned char>(tmp[0]);
    cp = n == 1 ? b0 : (b0 & (0x7F >> n));
    for (int i = 1; i < n; ++i)
      cp = (cp << 6) | (static_cast<unsigned char>(tmp[i]) & 0x3F);
  } else if (name == "newline") {
    cp = '\n';
  } else if (name == "space") {
    cp = ' ';
  } else if (name == "tab") {
    cp = '\t';
  } else if (name == "return") {
    cp = '\r';
  } else if (name == "backspace") {
    cp = '\b';
  } else if (name == "formfeed") {
    cp = '\f';
  } else if (name.size() == 5 && name[0] == 'u') {
    cp = 0;
    for (char h : name.substr(1)) {
      int d = HexDigit(h);
      if (d < 0) return Fail(start, fmt::format("invalid character \\{}", name));
      cp = cp * 16 + static_cast<char32_t>(d);
    }
  } else if (name.size() >= 2 && name.size() <= 4 && name[0] == 'o') {
    cp = 0;
    for (char o : name.substr(1)) {
      if (o < '0' || o > '7')
        return Fail(start, fmt::format("invalid character \\{}", name));
      cp = cp * 8 + static_cast<char32_t>(o - '0');
    }
  } else {
    return Fail(start, fmt::format("unknown character name \\{}", name));
  }
  p_ = name_end;
  *out = Value::Char(cp);
  return true;
}

bool EdnParser::Keyword(Value* out) {
  const char* start = p_++;
  if (p_ < end_ && *p_ == ':')
    return Fail(start, "auto-resolved keywords (::) are not EDN");
  std::string_view token;
  if (!Token(&token)) return false;
  if (token.empty()) {
    if (p_ == end_) return NeedMore(start, "a keyword name after ':'");
    return Fail(start, "expected a keyword name after ':'");
  }
  *out = Value::Keyword(token);
  return true;
}

bool EdnParser::Number(Value* out) {
  const char* start = p_;
  std::string_view token;
  if (!Token(&token)) return false;
  auto invalid = [&] { return Fail(start, fmt::format("invalid number '{}'", token)); };
  std::string_view body = token;
  if (body.back() == 'N') {
    Value v = Value::BigInt(body.substr(0, body.size() - 1));
    if (v.is_nil()) return invalid();
    *out = std::move(v);
    return true;
  }
  bool decimal = body.back() == 'M';
  if (decimal) body.remove_suffix(1);
  std::string_view unsigned_body = body[0] == '+' ? body.substr(1) : body;
  if (size_t slash = body.find('/'); slash != std::string_view::npos) {  // ratio
    int64_t num = 0, den = 0;
    auto r1 = std::from_chars(unsigned_body.data(), body.data() + slash, num);
    auto r2 = std::from_chars(body.data() + slash + 1, body.data() + body.size(), den);
    if (r1.ec != std::errc() || r1.ptr != body.data() + slash || r2.ec != std::errc() ||
        r2.ptr != body.data() + body.size() || den == 0) {
      return invalid();
    }
    *out = Value(static_cast<double>(num) / static_cast<double>(den));
    return true;
  }
  bool is_float = decimal || body.find_first_of(".eE") != std::string_view::npos;
  if (is_float) {
    double d = 0;
    auto r = std::from_chars(unsigned_body.data(), body.data() + body.size(), d);
    if (r.ec == std::errc::result_out_of_range) {
      d = std::strtod(std::string(unsigned_body).c_str(), nullptr);  // inf or 0
    } else if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
      return invalid();
    }
    *out = Value(d);
    return true;
  }
  int64_t i = 0;
  auto r = std::from_chars(unsigned_body.data(), body.data() + body.size(), i);
  if (r.ec == std::errc::result_out_of_range) {
    Value v = Value::BigInt(body);
    if (v.is_nil()) return invalid();
    *out = std::move(v);
    return true;
  }
  if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return invalid();
  *out = Value::Int(i);
  return true;
}

bool EdnParser::SymbolLike(Value* out) {
  std::string_view token;
  if (!Token(&token)) return false;
  if (token == "nil") {
    *out = Value();
  } else if (token == "true") {
    *out = Value::Bool(true);
  } else if (token == "false") {
    *out = Value::Bool(false);
  } else {
    *out = Value::Symbol(token);
  }
  return true;
}

bool EdnParser::Dispatch(Value* out, int depth) {
  const char* start = p_;
  if (p_ + 1 == end_) return NeedMore(start, "a form after '#'");
  char c = p_[1];
  if (c == '{') return Set(out, depth, start);
  if (c == '#') {
    p_ += 2;
    std::string_view token;
    if (!Token(&token)) return false;
    if (token == "Inf") {
      *out = Value(std::numeric_limits<double>::infinity());
    } else if (token == "-Inf") {
      *out = Value(-std::numeric_limits<double>::infinity());
    } else if (token == "NaN") {
      *out = Value(std::numeric_limits<double>::quiet_NaN());
    } else {
      return Fail(start, fmt::format("unknown symbolic value ##{}", token));
    }
    return true;
  }
  if (c == ':') return NamespacedMap(out, depth);
  if (!IsAlpha(c)) return Fail(start, fmt::format("unknown dispatch '#{}'", c));
  ++p_;
  std::string_view tag;
  if (!Token(&tag)) return false;
  Value element;
  if (!Form(&element, depth + 1)) return false;
  *out = Value::Tagged(tag, std::move(element));
  return true;
}

// #:ns{:a 1, :_/b 2} is {:ns/a 1, :b 2}.
bool EdnParser::NamespacedMap(Value* out, int depth) {
  const char* start = p_;
  p_ += 2;
  std::string_view ns;
  if (!Token(&ns)) return false;
  std::string ns_copy(ns);
  if (!Space(depth)) return false;
  if (p_ == end_) return NeedMore(p_, "'{' after a map namespace");
  if (*p_ != '{') return Fail(p_, "expected '{' after #:" + ns_copy);
  Value map;
  if (!Map(&map, depth, start)) return false;
  std::vector<MapEntry> entries;
  for (const MapEntry& e : map.entries()) {
    Value key = e.key;
    if (key.is_keyword() || key.is_symbol()) {
      std::string_view name = key.AsString();
      bool plain = name.find('/') == std::string_view::npos || name == "/";
      std::string qualified = name.substr(0, 2) == "_/" ? std::string(name.substr(2))
                              : plain ? ns_copy + "/" + std::string(name)
                                      : std::string(name);
      if (IsValidName(qualified, key.is_keyword())) {
        key = key.is_keyword() ? Value::Keyword(qualified) : Value::Symbol(qualified);
      }
    }
    entries.push_back({std::move(key), e.value});
  }
  *out = Value::Map(std::move(entries));
  return true;
}

}  // namespace jepsen::internal
