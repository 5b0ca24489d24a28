#include "jepsen/json.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "json_parser.h"
#include "text_util.h"

namespace jepsen {
namespace {

bool IsPlainKey(const Value& k) { return k.is_string() || k.is_keyword(); }

// Strings and keywords as JSON strings: keywords get a ':', and strings that would read
// back as something else get a '~'.
void AppendNameString(std::string& out, const Value& v, bool plain) {
  if (plain) {
    internal::AppendQuotedString(out, v.is_string() || v.is_keyword() || v.is_symbol()
                                          ? std::string(v.AsString())
                                          : v.ToEdn());
    return;
  }
  if (v.is_keyword()) {
    std::string text = ":";
    text += v.AsString();
    internal::AppendQuotedString(out, text);
    return;
  }
  std::string_view s = v.AsString();
  if (!s.empty() && (s[0] == ':' || s[0] == '~')) {
    std::string text = "~";
    text += s;
    internal::AppendQuotedString(out, text);
    return;
  }
  internal::AppendQuotedString(out, s);
}

void Encode(std::string& out, const Value& v, bool plain);

// {"~kind": v}, or just v in plain JSON.
void AppendTagged(std::string& out, std::string_view marker, const Value& v, bool plain) {
  if (plain) {
    Encode(out, v, plain);
    return;
  }
  out += "{\"";
  out += marker;
  out += "\":";
  Encode(out, v, plain);
  out += '}';
}

void AppendArray(std::string& out, std::span<const Value> elements, bool plain) {
  out += '[';
  bool first = true;
  for (const Value& e : elements) {
    if (!first) out += ',';
    first = false;
    Encode(out, e, plain);
  }
  out += ']';
}

void Encode(std::string& out, const Value& v, bool plain) {
  switch (v.kind()) {
    case ValueKind::kNil:
      out += "null";
      return;
    case ValueKind::kBool:
      out += v.AsBool() ? "true" : "false";
      return;
    case ValueKind::kInt:
      internal::AppendInt(out, v.AsInt());
      return;
    case ValueKind::kBigInt:
      out += v.AsString();
      return;
    case ValueKind::kDouble: {
      double d = v.AsDouble();
      if (std::isfinite(d)) {
        internal::AppendDouble(out, d, false);
      } else {
        std::string text;
        internal::AppendDouble(text, d, false);
        AppendTagged(out, "~double", Value::String(text), plain);
      }
      return;
    }
    case ValueKind::kChar: {
      std::string text;
      internal::AppendUtf8(text, v.AsChar());
      AppendTagged(out, "~char", Value::String(text), plain);
      return;
    }
    case ValueKind::kString:
    case ValueKind::kKeyword:
      AppendNameString(out, v, plain);
      return;
    case ValueKind::kSymbol:
      AppendTagged(out, "~symbol", Value::String(v.AsString()), plain);
      return;
    case ValueKind::kVector:
      AppendArray(out, v.elements(), plain);
      return;
    case ValueKind::kList:
    case ValueKind::kSet:
      if (plain) {
        AppendArray(out, v.elements(), plain);
        return;
      }
      out += v.is_list() ? "{\"~list\":" : "{\"~set\":";
      AppendArray(out, v.elements(), plain);
      out += '}';
      return;
    case ValueKind::kMap: {
      bool string_keys = true;
      for (const MapEntry& e : v.entries())
        string_keys = string_keys && IsPlainKey(e.key);
      if (!string_keys && !plain) {
        out += "{\"~map\":[";
        bool first = true;
        for (const MapEntry& e : v.entries()) {
          if (!first) out += ',';
          first = false;
          out += '[';
          Encode(out, e.key, plain);
          out += ',';
          Encode(out, e.value, plain);
          out += ']';
        }
        out += "]}";
        return;
      }
      out += '{';
      bool first = true;
      for (const MapEntry& e : v.entries()) {
        if (!first) out += ',';
        first = false;
        AppendNameString(out, e.key, plain);
        out += ':';
        Encode(out, e.value, plain);
      }
      out += '}';
      return;
    }
    case ValueKind::kTagged:
      if (plain) {
        Encode(out, v.tagged_value(), plain);
        return;
      }
      out += "{\"~tag\":[";
      internal::AppendQuotedString(out, v.tag());
      out += ',';
      Encode(out, v.tagged_value(), plain);
      out += "]}";
      return;
  }
}

}  // namespace

void AppendJson(std::string& out, const Value& v) { Encode(out, v, false); }
void AppendPlainJson(std::string& out, const Value& v) { Encode(out, v, true); }

Result<Value> ParseJson(std::string_view text, const JsonOptions& options) {
  internal::JsonParser parser(options.max_depth);
  Value v;
  if (parser.Parse(text, &v)) return v;
  auto [line, col] = internal::LineColumn(text.data(), parser.error_pos());
  return InvalidArgumentError(
      fmt::format("{}:{}:{}: {}", options.source, line, col, parser.error()));
}

}  // namespace jepsen
