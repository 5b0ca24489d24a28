#include "handler.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

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
  RangeRequest range;
  if (const std::string* h = request.Header("range")) range = ParseRange(*h, size);
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
  std::string extra = "Accept-Ranges: bytes\r\nCache-Control: no-cache\r\n";
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
