#include "report/html.h"

#include <cstdio>

#include "text_util.h"

namespace jepsen::report {

void AppendScriptJsonString(std::string& out, std::string_view s) {
  out += '"';
  const char* p = s.data();
  const char* end = p + s.size();
  char buf[8];
  while (p < end) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {
      int n = internal::Utf8SequenceLength(p, end);
      if (n == 0) {
        out += "\\ufffd";
        ++p;
      } else if (n == 3 && c == 0xE2 && static_cast<unsigned char>(p[1]) == 0x80 &&
                 (static_cast<unsigned char>(p[2]) == 0xA8 ||
                  static_cast<unsigned char>(p[2]) == 0xA9)) {
        out += static_cast<unsigned char>(p[2]) == 0xA8 ? "\\u2028" : "\\u2029";
        p += 3;
      } else {
        out.append(p, static_cast<size_t>(n));
        p += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x7F) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++p;
  }
  out += '"';
}

const char kPageCss[] = R"css(
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 16px 24px;
       color: #222; background: #fff; }
h1 { font-size: 22px; margin: 0 0 8px 0; word-break: break-all; }
h2 { font-size: 17px; margin: 20px 0 6px 0; }
table { border-collapse: collapse; margin: 4px 0; }
td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top;
         font-size: 13px; }
th { background: #f4f4f4; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; }
.valid { background: #c8efc8; } .invalid { background: #f7c0c0; }
.unknown { background: #f7e3a8; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: bold; }
.muted { color: #777; }
a { color: #1a5fb4; }
)css";

}  // namespace jepsen::report
