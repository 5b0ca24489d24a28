#include "json_parser.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "text_util.h"
#include "value_internal.h"

namespace jepsen::internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Describe(const char* p, const char* end) {
  if (p == end) return "the end of input";
  auto u = static_cast<unsigned char>(*p);
  if (u >= 0x21 && u < 0x7f) return fmt::format("'{}'", *p);
  return fmt::format("byte 0x{:02x}", u);
}

// Single-key objects {"~kind": x} carry the kinds JSON lacks.
bool DecodeMarker(std::string_view marker, Value& payload, Value* out) {
  if (marker == "~list" && payload.is_vector()) {
    *out = Value::List(
        std::vector<Value>(payload.elements().begin(), payload.elements().end()));
  } else if (marker == "~set" && payload.is_vector()) {
    *out = Value::Set(
        std::vector<Value>(payload.elements().begin(), payload.elements().end()));
  } else if (marker == "~map" && payload.is_vector()) {
    std::vector<MapEntry> entries;
    for (const Value& kv : payload.elements()) {
      if (!kv.is_vector() || kv.size() != 2) return false;
      entries.push_back({kv[0], kv[1]});
    }
    *out = Value::Map(std::move(entries));
  } else if (marker == "~symbol" && payload.is_string() &&
             IsValidName(payload.AsString(), false)) {
    *out = Value::Symbol(payload.AsString());
  } else if (marker == "~char" && payload.is_string()) {
    std::string_view s = payload.AsString();
    int n = s.empty() ? 0 : Utf8SequenceLength(s.data(), s.data() + s.size());
    if (n == 0 || static_cast<size_t>(n) != s.size()) return false;
    auto b0 = static_cast<unsigned char>(s[0]);
    char32_t cp = n == 1 ? b0 : (b0 & (0x7F >> n));
    for (int i = 1; i < n; ++i)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    *out = Value::Char(cp);
  } else if (marker == "~double" && payload.is_string()) {
    std::string_view s = payload.AsString();
    constexpr double kInf = std::numeric_limits<double>::infinity();
    if (s == "NaN") {
      *out = Value(std::numeric_limits<double>::quiet_NaN());
    } else if (s == "Infinity") {
      *out = Value(kInf);
    } else if (s == "-Infinity") {
      *out = Value(-kInf);
    } else {
      return false;
    }
  } else if (marker == "~tag" && payload.is_vector() && payload.size() == 2 &&
             payload[0].is_string() && IsValidName(payload[0].AsString(), false) &&
             std::isalpha(static_cast<unsigned char>(payload[0].AsString()[0]))) {
    *out = Value::Tagged(payload[0].AsString(), payload[1]);
  } else {
    return false;
  }
  return true;
}

}  // namespace

Value DecodeJsonString(std::string_view s) {
  // ":name" is a keyword when the name is one; other tools' ":-)" stays a string.
  if (!s.empty() && s[0] == ':' && IsValidName(s.substr(1), true)) {
    return Value::Keyword(s.substr(1));
  }
  if (!s.empty() && s[0] == '~') return Value::String(s.substr(1));
  return Value::String(s);
}

bool JsonParser::Fail(const char* at, std::string message) {
  error_ = std::move(message);
  error_pos_ = at;
  error_at_end_ = at == end_;
  return false;
}

bool JsonParser::Parse(std::string_view text, Value* out) {
  p_ = text.data();
  end_ = text.data() + text.size();
  error_.clear();
  error_at_end_ = false;
  stack_.clear();
  if (!Any(out, 0)) return false;
  Space();
  if (p_ != end_)
    return Fail(p_, fmt::format("expected the end of the line after the JSON "
                                "value, found {}",
                                Describe(p_, end_)));
  return true;
}

void JsonParser::Space() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
}

bool JsonParser::Expect(char c, std::string_view what) {
  Space();
  if (p_ < end_ && *p_ == c) {
    ++p_;
    return true;
  }
  return Fail(p_, fmt::format("expected {}, found {}", what, Describe(p_, end_)));
}

bool JsonParser::Any(Value* out, int depth) {
  if (depth > max_depth_)
    return Fail(p_, fmt::format("nesting deeper than {} levels", max_depth_));
  Space();
  if (p_ == end_) return Fail(p_, "expected a JSON value, found the end of input");
  switch (*p_) {
    case '{':
      return Object(out, depth);
    case '[':
      return Array(out, depth);
    case '"': {
      std::string s;
      if (!RawString(&s)) return false;
      *out = DecodeJsonString(s);
      return true;
    }
    case 't':
      return Literal("true", Value::Bool(true), out);
    case 'f':
      return Literal("false", Value::Bool(false), out);
    case 'n':
      return Literal("null", Value(), out);
    default:
      if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return Number(out);
      return Fail(p_, fmt::format("expected a JSON value, found {}", Describe(p_, end_)));
  }
}

bool JsonParser::Literal(std::string_view word, Value v, Value* out) {
  size_t avail = static_cast<size_t>(end_ - p_);
  if (avail < word.size() || std::string_view(p_, word.size()) != word) {
    if (avail < word.size() && word.substr(0, avail) == std::string_view(p_, avail)) {
      return Fail(end_, fmt::format("unexpected end of input in '{}'", word));
    }
    return Fail(p_, fmt::format("expected a JSON value, found {}", Describe(p_, end_)));
  }
  p_ += word.size();
  *out = std::move(v);
  return true;
}

bool JsonParser::Array(Value* out, int depth) {
  ++p_;
  size_t base = stack_.size();
  Space();
  if (p_ < end_ && *p_ == ']') {
    ++p_;
  } else {
    for (;;) {
      Value item;
      if (!Any(&item, depth + 1)) return false;
      stack_.push_back(std::move(item));
      Space();
      if (p_ < end_ && *p_ == ']') {
        ++p_;
        break;
      }
      if (!Expect(',', "',' or ']' in the array")) return false;
    }
  }
  *out = ValueBuilder::MoveVector({stack_.data() + base, stack_.size() - base});
  stack_.resize(base);
  return true;
}

bool JsonParser::Object(Value* out, int depth) {
  const char* open = p_++;
  size_t base = stack_.size();
  std::string first_key;
  Space();
  if (p_ < end_ && *p_ == '}') {
    ++p_;
  } else {
    for (;;) {
      Space();
      if (p_ == end_ || *p_ != '"') {
        return Fail(p_, fmt::format("expected a string key in the object, found {}",
                                    Describe(p_, end_)));
      }
      std::string key;
      if (!RawString(&key)) return false;
      if (stack_.size() == base) first_key = key;
      if (!Expect(':', "':' after the object key")) return false;
      Value item;
      if (!Any(&item, depth + 1)) return false;
      stack_.push_back(DecodeJsonString(key));
      stack_.push_back(std::move(item));
      Space();
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        break;
      }
      if (!Expect(',', "',' or '}' in the object")) return false;
    }
  }
  size_t n = stack_.size() - base;
  // {"~kind": payload} carries a kind JSON lacks. A real key "~kind" would have been
  // written "~~kind", so a raw key of '~' and a letter is always a marker.
  if (n == 2 && first_key.size() > 1 && first_key[0] == '~' && first_key[1] != '~' &&
      first_key[1] != ':') {
    Value payload = std::move(stack_[base + 1]);
    stack_.resize(base);
    if (!DecodeMarker(first_key, payload, out)) {
      return Fail(open, fmt::format("malformed {{\"{}\": ...}} encoding", first_key));
    }
    return true;
  }
  bool dup = false;
  *out = ValueBuilder::MoveMap({stack_.data() + base, n}, &dup);
  stack_.resize(base);
  if (dup) return Fail(open, "object has a duplicate key");
  return true;
}

bool JsonParser::RawString(std::string* out) {
  ++p_;
  const char* run = p_;
  for (;;) {
    if (p_ == end_) return Fail(end_, "unexpected end of input inside a string");
    char c = *p_;
    if (c == '"') break;
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20)
      return Fail(p_, fmt::format("control byte 0x{:02x} inside a string", u));
    if (u >= 0x80) {
      int n = Utf8SequenceLength(p_, end_);
      if (n == 0)
        return Fail(p_, fmt::format("invalid UTF-8 byte 0x{:02x} in string", u));
      p_ += n;
      continue;
    }
    if (c != '\\') {
      ++p_;
      continue;
    }
    out->append(run, p_);
    if (p_ + 1 == end_) return Fail(end_, "unexpected end of input inside a string");
    char e = p_[1];
    p_ += 2;
    switch (e) {
      case '"':
        *out += '"';
        break;
      case '\\':
        *out += '\\';
        break;
      case '/':
        *out += '/';
        break;
      case 'n':
        *out += '\n';
        break;
      case 't':
        *out += '\t';
        break;
      case 'r':
        *out += '\r';
        break;
      case 'b':
        *out += '\b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'u': {
        auto hex4 = [&](const char* at, char32_t* cp) {
          if (end_ - at < 4) return false;
          *cp = 0;
          for (int i = 0; i < 4; ++i) {
            int d = HexDigit(at[i]);
            if (d < 0) return false;
            *cp = *cp * 16 + static_cast<char32_t>(d);
          }
          return true;
        };
        char32_t cp;
        if (!hex4(p_, &cp)) return Fail(p_ - 2, "\\u needs four hex digits");
        p_ += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          char32_t lo;
          if (end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u' && hex4(p_ + 2, &lo) &&
              lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p_ += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        AppendUtf8(*out, cp);
        break;
      }
      default:
        return Fail(p_ - 2, fmt::format("unknown escape \\{} in string", e));
    }
    run = p_;
  }
  out->append(run, p_);
  ++p_;
  return true;
}

bool JsonParser::Number(Value* out) {
  const char* start = p_;
  if (*p_ == '-') ++p_;
  auto digits = [&] {
    const char* d = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > d;
  };
  auto bad = [&] {
    return Fail(start,
                fmt::format("invalid number '{}'",
                            std::string_view(start, static_cast<size_t>(p_ - start))));
  };
  if (p_ < end_ && *p_ == '0') {
    ++p_;
  } else if (!digits()) {
    return p_ == end_ ? Fail(end_, "unexpected end of input in a number") : bad();
  }
  bool is_float = false;
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    is_float = true;
    if (!digits()) return bad();
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    ++p_;
    is_float = true;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (!digits()) return bad();
  }
  std::string_view text(start, static_cast<size_t>(p_ - start));
  if (is_float) {
    double d = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec == std::errc::result_out_of_range) {
      d = std::strtod(std::string(text).c_str(), nullptr);
    } else if (r.ec != std::errc()) {
      return bad();
    }
    *out = Value(d);
    return true;
  }
  int64_t i = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), i);
  if (r.ec == std::errc::result_out_of_range) {
    *out = Value::BigInt(text);
    return true;
  }
  *out = Value::Int(i);
  return true;
}

}  // namespace jepsen::internal
