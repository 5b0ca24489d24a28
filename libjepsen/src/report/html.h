// Private: helpers for the HTML pages.
#ifndef JEPSEN_SRC_REPORT_HTML_H_
#define JEPSEN_SRC_REPORT_HTML_H_

#include <string>
#include <string_view>

namespace jepsen::report {

// A JSON string literal safe inside <script>: quotes, backslashes, control
// characters, < > & and U+2028/U+2029 escaped; invalid UTF-8 bytes become U+FFFD.
void AppendScriptJsonString(std::string& out, std::string_view s);

// The CSS both pages share.
extern const char kPageCss[];

}  // namespace jepsen::report

#endif  // JEPSEN_SRC_REPORT_HTML_H_
