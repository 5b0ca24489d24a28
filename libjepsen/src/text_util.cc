#include "text_util.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

namespace jepsen::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

// Characters that may appear in symbols, keywords and number tokens. Bytes of
// multi-byte UTF-8 sequences count too, as Clojure allows non-ASCII symbols.
bool IsTokenChar(char c) {
  if (IsAlpha(c) || IsDigit(c) || static_cast<unsigned char>(c) >= 0x80) return true;
  return std::strchr(".*+!-_?$%&=<>/:#'|", c) != nullptr && c != '\0';
}

bool IsValidName(std::string_view name, bool keyword) {
  if (name.empty()) return false;
  const char* p = name.data();
  const char* end = p + name.size();
  for (const char* q = p; q < end;) {
    if (!IsTokenChar(*q)) return false;
    int n = Utf8SequenceLength(q, end);
    if (n == 0) return false;
    q += n;
  }
  if (keyword) return name[0] != ':';
  if (IsDigit(name[0]) || name[0] == ':' || name[0] == '#' || name[0] == '\'')
    return false;
  if ((name[0] == '-' || name[0] == '+') && name.size() > 1 && IsDigit(name[1]))
    return false;
  return name != "nil" && name != "true" && name != "false";
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int Utf8SequenceLength(const char* p, const char* end) {
  auto b0 = static_cast<unsigned char>(*p);
  int n;
  char32_t min;
  if (b0 < 0x80) return 1;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (end - p < n) return 0;
  char32_t cp = b0 & (0x7F >> n);
  for (int i = 1; i < n; ++i) {
    auto b = static_cast<unsigned char>(p[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::pair<int64_t, int64_t> LineColumn(const char* begin, const char* at) {
  int64_t line = 1;
  const char* line_start = begin;
  for (const char* p = begin; p < at; ++p) {
    if (*p == '\n') {
      ++line;
      line_start = p + 1;
    }
  }
  return {line, at - line_start + 1};
}

const char* FindInvalidUtf8(const char* p, const char* end) {
  while (p < end) {
    if (static_cast<unsigned char>(*p) < 0x80) {
      ++p;
      continue;
    }
    int n = Utf8SequenceLength(p, end);
    if (n == 0) return p;
    p += n;
  }
  return nullptr;
}

void AppendQuotedString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendInt(std::string& out, int64_t i) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), i);
  out.append(buf, r.ptr);
}

void AppendDouble(std::string& out, double d, bool edn) {
  if (std::isnan(d)) {
    out += edn ? "##NaN" : "NaN";
    return;
  }
  if (std::isinf(d)) {
    out += d > 0 ? (edn ? "##Inf" : "Infinity") : (edn ? "##-Inf" : "-Infinity");
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof(buf), d);
  std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
  out += text;
  // Keep it a double when read back: 1 would read as an integer.
  if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

}  // namespace jepsen::internal
