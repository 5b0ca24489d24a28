#include "handler.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>

#include "jepsen/web/path.h"
#include "jepsen/web/zip.h"
#include "pages.h"

namespace jepsen::web {
namespace {

// The status line and headers; `length` < 0 leaves Content-Length out.
std::string ResponseHead(int status, std::string_view content_type, int64_t length,
                         bool keep_alive, const std::string& extra = "") {
  std::string h =
      fmt::format("HTTP/1.1 {} {}\r\nServer: jepsen\r\n", status, StatusText(status));
  if (!content_type.empty()) h += fmt::format("Content-Type: {}\r\n", content_type);
  if (length >= 0) h += fmt::format("Content-Length: {}\r\n", length);
  h += "X-Content-Type-Options: nosniff\r\n";
  h += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  h += extra;
  h += "\r\n";
  return h;
}

Handler::Outcome SendBody(Connection& conn, int status, std::string_view type,
                          const std::string& body, bool keep_alive, bool head_only,
                          const std::string& extra = "") {
  std::string out =
      ResponseHead(status, type, static_cast<int64_t>(body.size()), keep_alive, extra);
  if (!head_only) out += body;
  Status s = conn.Write(out);
  return {.status = status, .keep_alive = keep_alive && s.ok()};
}

// A file name for Content-Disposition: printable ASCII without quotes or backslashes.
std::string SafeFileName(const std::vector<std::string>& segments) {
  std::string name;
  for (const std::string& s : segments) name += (name.empty() ? "" : "-") + s;
  for (char& c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\' || c == ';') c = '_';
  }
  return name + ".zip";
}

// A validator for the file's current contents: inode, size and modification time in
// nanoseconds (a run's files only grow or are rewritten, each of which changes it).
std::string ETagFor(const struct stat& st) {
  uint64_t ns = static_cast<uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000u +
                static_cast<uint64_t>(st.st_mtim.tv_nsec);
  return fmt::format("\"{:x}-{:x}-{:x}\"", static_cast<uint64_t>(st.st_ino),
                     static_cast<uint64_t>(st.st_size), ns);
}

// True if an If-None-Match or If-Range list names `etag` ("*" names any). Weak tags
// (W/"...") compare by their opaque part, as If-None-Match's weak comparison does.
bool ETagListMatches(std::string_view list, const std::string& etag) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

// An IMF-fixdate, as HTTP dates are written: "Wed, 25 Nov 2026 06:20:28 GMT".
std::string HttpDate(time_t t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm;
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

// Parses an IMF-fixdate; -1 if it is not one.
time_t ParseHttpDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return -1;
  return timegm(&tm);
}

}  // namespace

Handler::Handler(std::string root, std::string display_root)
    : root_(std::move(root)), display_root_(std::move(display_root)), index_(root_) {}

Handler::Outcome Handler::SendError(Connection& conn, int status,
                                    const std::string& reason, bool keep_alive,
                                    bool head_only) {
  std::string extra = status == 405 ? "Allow: GET, HEAD\r\n" : "";
  return SendBody(conn, status, "text/html; charset=utf-8", RenderError(status, reason),
                  keep_alive, head_only, extra);
}

Handler::Outcome Handler::Handle(Connection& conn, const HttpRequest& request) {
  bool keep_alive = request.KeepAlive();
  bool head_only = request.method == "HEAD";
  if (request.method != "GET" && !head_only) {
    return SendError(conn, 405,
                     fmt::format("{} is not served: only GET and HEAD", request.method),
                     keep_alive);
  }
  const std::string* length = request.Header("content-length");
  if (request.Header("transfer-encoding") != nullptr ||
      (length != nullptr && *length != "0")) {
    return SendError(conn, 400, "requests with a body are not accepted", false,
                     head_only);
  }
  SplitPath split = SplitRequestPath(request.path);
  if (split.status != 200)
    return SendError(conn, split.status, split.reason, keep_alive, head_only);
  const std::vector<std::string>& segs = split.segments;
  if (segs.empty()) {
    return SendBody(conn, 200, "text/html; charset=utf-8",
                    RenderRunList(index_.Runs(), display_root_), keep_alive, head_only,
                    "Cache-Control: no-store\r\n");
  }
  std::vector<std::string> rest(segs.begin() + 1, segs.end());
  if (segs[0] == "runs") {
    return ServeStorePath(conn, request, keep_alive, head_only, rest, split.trailing_slash);
  }
  if (segs[0] == "zip" && !rest.empty()) {
    ResolvedPath r = ResolveInStore(root_, rest);
    if (r.status != 200)
      return SendError(conn, r.status, r.reason, keep_alive, head_only);
    if (!r.is_dir)
      return SendError(conn, 404, "not a directory of the store", keep_alive, head_only);
    return ServeZip(conn, request, keep_alive, head_only, rest, r.path);
  }
  return SendError(conn, 404, "no such page: see / for the runs", keep_alive, head_only);
}

Handler::Outcome Handler::ServeStorePath(Connection& conn, const HttpRequest& request,
                                         bool keep_alive, bool head_only,
                                         const std::vector<std::string>& segments,
                                         bool trailing_slash) {
  ResolvedPath r = ResolveInStore(root_, segments);
  if (r.status != 200) return SendError(conn, r.status, r.reason, keep_alive, head_only);
  if (!r.is_dir) {
    if (trailing_slash)
      return SendError(conn, 404, "not a directory", keep_alive, head_only);
    return ServeFile(conn, request, keep_alive, head_only, r.path);
  }
  if (!trailing_slash) {  // relative links in the run's pages need the slash
    std::string location =
        RunsUrl(segments) + (request.query.empty() ? "" : "?" + request.query);
    return SendBody(conn, 301, "text/html; charset=utf-8",
                    RenderError(301, "moved to " + location), keep_alive, head_only,
                    fmt::format("Location: {}\r\n", location));
  }
  if (request.query == "zip" && !segments.empty()) {
    return ServeZip(conn, request, keep_alive, head_only, segments, r.path);
  }
  if (request.query != "list") {
    std::string index = r.path + "/index.html";
    struct stat st;
    if (::lstat(index.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      return ServeFile(conn, request, keep_alive, head_only, index);
    }
  }
  return SendBody(conn, 200, "text/html; charset=utf-8",
                  RenderDirectory(segments, r.path, root_), keep_alive, head_only,
                  "Cache-Control: no-store\r\n");
}

Handler::Outcome Handler::ServeFile(Connection& conn, const HttpRequest& request,
                                    bool keep_alive, bool head_only,
                                    const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    return SendError(conn, 404, "the file cannot be opened", keep_alive, head_only);
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  // Conditional requests (RFC 9110 13.2.2): a browser reopening a 20 MB timeline gets
  // 304 Not Modified while the file is unchanged.
  std::string etag = ETagFor(st);
  std::string validators =
      fmt::format("ETag: {}\r\nLast-Modified: {}\r\n", etag, HttpDate(st.st_mtime));
  bool not_modified = false;
  if (const std::string* h = request.Header("if-none-match")) {
    not_modified = ETagListMatches(*h, etag);
  } else if (const std::string* since = request.Header("if-modified-since")) {
    time_t t = ParseHttpDate(*since);
    not_modified = t >= 0 && st.st_mtime <= t;
  }
  if (not_modified) {
    ::close(fd);
    Status s = conn.Write(ResponseHead(304, "", -1, keep_alive,
                                       validators + "Cache-Control: no-cache\r\n"));
    return {.status = 304, .keep_alive = keep_alive && s.ok()};
  }
  RangeRequest range;
  const std::string* if_range = request.Header("if-range");
  // If-Range: the range only if the client's copy is current (its ETag, not a weak
  // one); otherwise the whole file.
  bool range_allowed = if_range == nullptr || *if_range == etag;
  if (const std::string* h = request.Header("range"); h && range_allowed) {
    range = ParseRange(*h, size);
  }
  if (range.kind == RangeRequest::Kind::kUnsatisfiable) {
    ::close(fd);
    return SendBody(conn, 416, "text/plain; charset=utf-8", "range not satisfiable\n",
                    keep_alive, head_only,
                    fmt::format("Content-Range: bytes */{}\r\n", size));
  }
  size_t slash = path.rfind('/');
  std::string_view type = ContentTypeFor(std::string_view(path).substr(slash + 1));
  int status = 200;
  uint64_t first = 0, count = size;
  std::string extra = "Accept-Ranges: bytes\r\nCache-Control: no-cache\r\n" + validators;
  if (range.kind == RangeRequest::Kind::kPartial) {
    status = 206;
    first = range.first;
    count = range.last - range.first + 1;
    extra +=
        fmt::format("Content-Range: bytes {}-{}/{}\r\n", range.first, range.last, size);
  }
  Status s = conn.Write(
      ResponseHead(status, type, static_cast<int64_t>(count), keep_alive, extra));
  if (s.ok() && !head_only) s = conn.SendFile(fd, static_cast<off_t>(first), count);
  ::close(fd);
  return {.status = status, .keep_alive = keep_alive && s.ok()};
}

Handler::Outcome Handler::ServeZip(Connection& conn, const HttpRequest& request,
                                   bool keep_alive, bool head_only,
                                   const std::vector<std::string>& segments,
                                   const std::string& dir) {
  // HTTP/1.1 gets a chunked body and may keep the connection; HTTP/1.0 has no chunks,
  // so the end of the body is the end of the connection.
  bool chunked = request.minor_version >= 1;
  keep_alive = keep_alive && chunked;
  std::string extra = fmt::format("Content-Disposition: attachment; filename=\"{}\"\r\n",
                                  SafeFileName(segments));
  if (chunked) extra += "Transfer-Encoding: chunked\r\n";
  Status s = conn.Write(ResponseHead(200, "application/zip", -1, keep_alive, extra));
  if (!s.ok() || head_only) return {.status = 200, .keep_alive = keep_alive && s.ok()};
  std::string chunk;
  ZipWriter zip([&](std::string_view bytes) {
    if (!chunked) return conn.Write(bytes);
    chunk = fmt::format("{:x}\r\n", bytes.size());
    chunk.append(bytes);
    chunk += "\r\n";
    return conn.Write(chunk);
  });
  std::string prefix;
  for (const std::string& seg : segments) prefix += (prefix.empty() ? "" : "/") + seg;
  s = zip.AddTree(prefix, dir);
  if (s.ok()) s = zip.Finish();
  if (s.ok() && chunked) s = conn.Write("0\r\n\r\n");
  // On an error the body is cut short; closing the connection tells the client.
  return {.status = 200, .keep_alive = keep_alive && s.ok()};
}

}  // namespace jepsen::web
