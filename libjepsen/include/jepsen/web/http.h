// The pieces of HTTP/1.1 the results browser speaks, as pure functions: parsing a
// request head, Range headers, content types by file name, and HTML escaping. The
// socket side lives in the server (jepsen/web/server.h).
//
//   HttpParse p = ParseRequestHead("GET /runs/ HTTP/1.1\r\nHost: x\r\n");
//   if (p.status != 0) answer p.status with p.reason;
//
// Thread safety: pure functions; call from any thread.
#ifndef JEPSEN_WEB_HTTP_H_
#define JEPSEN_WEB_HTTP_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jepsen::web {

struct HttpRequest {
  std::string method;     // "GET", as sent (case-sensitive)
  std::string target;     // the request target as sent: "/runs/a?zip"
  std::string path;       // the target up to '?'
  std::string query;      // after '?', or ""
  int minor_version = 1;  // HTTP/1.<minor_version>
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case

  // The value of the first header named `lower_name`, or nullptr.
  const std::string* Header(std::string_view lower_name) const;
  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
  bool KeepAlive() const;
};

struct HttpParse {
  int status = 0;      // 0 when parsed; else the status to answer (400, 431, 505)
  std::string reason;  // what was wrong, for the error page
  HttpRequest request;
};

// Parses a request head: the request line and the header lines, each ending in CRLF or
// LF, without the empty line that ends the head. At most `max_headers` header lines
// (431 beyond). Origin-form targets only ("/path?query"); obsolete line folding, a
// space before a header's colon, control characters and HTTP versions other than 1.0
// and 1.1 are refused.
HttpParse ParseRequestHead(std::string_view head, size_t max_headers = 100);

// "OK", "Not Found", ... ("Unknown" for codes the server never sends).
std::string_view StatusText(int status);

// The Content-Type for a file name, by extension: html, svg, json, jsonl, edn, txt,
// log, png and a few more; names with ".log" anywhere (node logs such as
// "tikv.log.1") are text; anything else application/octet-stream.
std::string_view ContentTypeFor(std::string_view file_name);

// A Range header applied to a file of `size` bytes. A single "bytes=" range is served
// (first-last, first-, -suffix); multiple ranges and other units are ignored (the
// whole file is sent, as RFC 9110 allows).
struct RangeRequest {
  enum class Kind { kWhole, kPartial, kUnsatisfiable } kind = Kind::kWhole;
  uint64_t first = 0;  // kPartial: the first and last byte, inclusive
  uint64_t last = 0;
};
RangeRequest ParseRange(std::string_view header, uint64_t size);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_HTTP_H_
