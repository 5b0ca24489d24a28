#include "jepsen/web/http.h"

#include <algorithm>
#include <charconv>

namespace jepsen::web {
namespace {

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
    return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

// Visible ASCII, spaces, tabs and obs-text; never CR, LF, NUL or other controls.
bool IsFieldValue(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u == '\t' || u >= 0x20 ? u != 0x7F : false;
  });
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Next line of `rest` without its CRLF or LF.
std::string_view NextLine(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

HttpParse Fail(int status, std::string reason) {
  HttpParse p;
  p.status = status;
  p.reason = std::move(reason);
  return p;
}

bool ParseNumber(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

const std::string* HttpRequest::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

bool HttpRequest::KeepAlive() const {
  const std::string* c = Header("connection");
  std::string v = c ? Lower(*c) : "";
  if (minor_version == 0) return v.find("keep-alive") != std::string::npos;
  return v.find("close") == std::string::npos;
}

HttpParse ParseRequestHead(std::string_view head, size_t max_headers) {
  std::string_view rest = head;
  std::string_view line = NextLine(rest);
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "the request line must be METHOD TARGET HTTP/1.x");
  }
  HttpParse p;
  HttpRequest& r = p.request;
  r.method = std::string(line.substr(0, sp1));
  r.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(r.method)) return Fail(400, "the method is not a token");
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return Fail(400, "the request line must end in HTTP/1.0 or HTTP/1.1");
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return Fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
  }
  r.minor_version = version[7] - '0';
  if (r.target.empty() || r.target[0] != '/') {
    return Fail(400, "the request target must be a path starting with '/'");
  }
  for (char c : r.target) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F)
      return Fail(400, "the request target holds a control or non-ASCII byte");
  }
  size_t q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
  size_t hash = r.query.find('#');
  if (hash != std::string::npos) r.query.resize(hash);

  while (!rest.empty()) {
    line = NextLine(rest);
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t')
      return Fail(400, "obsolete header line folding");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(400, "a header line without ':'");
    std::string_view name = line.substr(0, colon);
    if (!IsToken(name))
      return Fail(400, "a header name that is not a token (or a space before ':')");
    std::string_view value = TrimSpace(line.substr(colon + 1));
    if (!IsFieldValue(value)) return Fail(400, "a control character in a header value");
    if (r.headers.size() >= max_headers) return Fail(431, "too many header lines");
    r.headers.emplace_back(Lower(name), std::string(value));
  }
  if (!rest.empty()) return Fail(400, "bytes after the end of the head");
  return p;
}

std::string_view StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".jsonl", "text/plain; charset=utf-8"},
      {".edn", "text/plain; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".log", "text/plain; charset=utf-8"},
      {".out", "text/plain; charset=utf-8"},
      {".err", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".gif", "image/gif"},
      {".zip", "application/zip"},
      {".gz", "application/gzip"},
      {".tar", "application/x-tar"},
  };
  std::string lower = Lower(file_name);
  size_t dot = lower.rfind('.');
  if (dot != std::string::npos) {
    std::string_view ext = std::string_view(lower).substr(dot);
    for (const auto& [e, type] : kTypes) {
      if (e == ext) return type;
    }
  }
  if (lower.find(".log") != std::string::npos) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

RangeRequest ParseRange(std::string_view header, uint64_t size) {
  RangeRequest whole;
  header = TrimSpace(header);
  if (header.substr(0, 6) != "bytes=") return whole;
  std::string_view spec = TrimSpace(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return whole;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  std::string_view a = TrimSpace(spec.substr(0, dash));
  std::string_view b = TrimSpace(spec.substr(dash + 1));
  RangeRequest r{.kind = RangeRequest::Kind::kPartial};
  uint64_t first = 0, last = 0;
  if (a.empty()) {  // the last b bytes
    if (!ParseNumber(b, &last)) return whole;
    if (last == 0 || size == 0) return {.kind = RangeRequest::Kind::kUnsatisfiable};
    r.first = last >= size ? 0 : size - last;
    r.last = size - 1;
    return r;
  }
  if (!ParseNumber(a, &first)) return whole;
  if (!b.empty() && (!ParseNumber(b, &last) || last < first)) return whole;
  if (first >= size) return {.kind = RangeRequest::Kind::kUnsatisfiable};
  r.first = first;
  r.last = b.empty() || last >= size ? size - 1 : last;
  return r;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace jepsen::web
