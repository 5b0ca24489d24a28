#include "jepsen/edn.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "edn_parser.h"

namespace jepsen {

Result<Value> ParseEdn(std::string_view text, const EdnOptions& options) {
  internal::EdnParser parser(options.max_depth);
  const char* begin = text.data();
  parser.Reset(begin, begin + text.size(), /*at_eof=*/true);
  auto fail = [&](const char* at, const std::string& what) {
    auto [line, col] = internal::LineColumn(begin, at);
    return InvalidArgumentError(
        fmt::format("{}:{}:{}: {}", options.source, line, col, what));
  };
  Value v;
  switch (parser.Next(&v)) {
    case internal::EdnParser::Outcome::kValue:
      break;
    case internal::EdnParser::Outcome::kEnd:
      return fail(parser.pos(), "expected a form, found none");
    default:
      return fail(parser.error_pos(), parser.error());
  }
  switch (parser.SkipSpace()) {
    case internal::EdnParser::Outcome::kEnd:
      return v;
    case internal::EdnParser::Outcome::kValue:
      return fail(parser.pos(), "expected the end of input after one form");
    default:
      return fail(parser.error_pos(), parser.error());
  }
}

namespace {

void AppendChar(std::string& out, char32_t cp) {
  switch (cp) {
    case '\n':
      out += "\\newline";
      return;
    case ' ':
      out += "\\space";
      return;
    case '\t':
      out += "\\tab";
      return;
    case '\r':
      out += "\\return";
      return;
    case '\b':
      out += "\\backspace";
      return;
    case '\f':
      out += "\\formfeed";
      return;
    default:
      break;
  }
  if (cp < 0x20 || cp == 0x7f || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<uint32_t>(cp));
    return;
  }
  out += '\\';
  internal::AppendUtf8(out, cp);
}

}  // namespace

void AppendEdn(std::string& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::kNil:
      out += "nil";
      return;
    case ValueKind::kBool:
      out += v.AsBool() ? "true" : "false";
      return;
    case ValueKind::kInt:
      internal::AppendInt(out, v.AsInt());
      return;
    case ValueKind::kBigInt:
      out += v.AsString();
      out += 'N';
      return;
    case ValueKind::kDouble:
      internal::AppendDouble(out, v.AsDouble(), true);
      return;
    case ValueKind::kChar:
      AppendChar(out, v.AsChar());
      return;
    case ValueKind::kString:
      internal::AppendQuotedString(out, v.AsString());
      return;
    case ValueKind::kKeyword:
      out += ':';
      out += v.AsString();
      return;
    case ValueKind::kSymbol:
      out += v.AsString();
      return;
    case ValueKind::kVector:
    case ValueKind::kList:
    case ValueKind::kSet: {
      out += v.is_vector() ? "[" : v.is_list() ? "(" : "#{";
      bool first = true;
      for (const Value& e : v.elements()) {
        if (!first) out += ' ';
        first = false;
        AppendEdn(out, e);
      }
      out += v.is_vector() ? ']' : v.is_list() ? ')' : '}';
      return;
    }
    case ValueKind::kMap: {
      out += '{';
      bool first = true;
      for (const MapEntry& e : v.entries()) {
        if (!first) out += ", ";
        first = false;
        AppendEdn(out, e.key);
        out += ' ';
        AppendEdn(out, e.value);
      }
      out += '}';
      return;
    }
    case ValueKind::kTagged: {
      out += '#';
      out += v.tag();
      // Records print as #ns.Record{...}; other tags take a space.
      bool record =
          v.tagged_value().is_map() && v.tag().find('.') != std::string_view::npos;
      if (!record) out += ' ';
      AppendEdn(out, v.tagged_value());
      return;
    }
  }
}

}  // namespace jepsen
