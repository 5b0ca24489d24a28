// Request paths of the results browser: decoding a URL path and mapping it to a file
// inside the store directory without ever leaving it.
//
//   SplitPath p = SplitRequestPath("/runs/demo/20261125T010203.456Z/history.txt");
//   if (p.status != 200) answer p.status with p.reason;
//   ResolvedPath r = ResolveInStore("/abs/store", {p.segments.begin() + 1, ...});
//   if (r.status == 200) open r.path (canonical, inside the store)
//
// The rules, all checked on the decoded segments:
//   - a malformed escape (%zz, a truncated %4) is a bad request (400);
//   - a segment that is empty in the middle of the path ("//", an absolute path smuggled
//     in), starts with '.' (".", "..", hidden files) or decodes to something holding '/',
//     '\\' or NUL ("%2f", "%2e%2e", "%00") is refused (403);
//   - the joined path is canonicalized (every symlink followed) and must still be the
//     store root or below it, else 403; a path that does not exist is 404.
//
// Thread safety: every function is pure or reads the file system only; call from any
// thread.
#ifndef JEPSEN_WEB_PATH_H_
#define JEPSEN_WEB_PATH_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jepsen::web {

// Decodes %XX escapes ('+' stays '+', as in a path). nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s);

// Encodes one path segment for a link: everything but unreserved characters
// (A-Z a-z 0-9 - . _ ~) becomes %XX.
std::string PercentEncodeSegment(std::string_view s);

// The path of a request target, split into decoded segments.
struct SplitPath {
  int status = 200;    // 200, or 400/403 when refused
  std::string reason;  // why it was refused, for the error page
  std::vector<std::string> segments;
  bool trailing_slash = false;  // "/runs/a/" (a directory was asked for)
};

// Splits the path part (no query) of a request target, which must start with '/'.
SplitPath SplitRequestPath(std::string_view path);

// A path inside the store.
struct ResolvedPath {
  int status = 200;    // 200, or 403/404 when refused
  std::string reason;  // why it was refused
  std::string path;    // canonical absolute path, the root or below it
  bool is_dir = false;
};

// Maps decoded segments (already checked by SplitRequestPath) below `canonical_root`
// (an absolute path without symlinks, e.g. from std::filesystem::canonical).
ResolvedPath ResolveInStore(const std::string& canonical_root,
                            const std::vector<std::string>& segments);

// True if `path` is `root` or below it (textually; both canonical).
bool IsWithin(std::string_view root, std::string_view path);

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_PATH_H_
