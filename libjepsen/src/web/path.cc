#include "jepsen/web/path.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <memory>

namespace jepsen::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Why a decoded segment may not name anything in the store, or "".
std::string RefuseSegment(const std::string& s) {
  if (s.empty()) return "an empty path segment";
  if (s[0] == '.') return "a path segment starting with '.'";
  for (char c : s) {
    if (c == '/') return "an encoded '/' in a path segment";
    if (c == '\\') return "a '\\' in a path segment";
    if (c == '\0') return "a NUL byte in a path segment";
  }
  return "";
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;  // truncated: "%" or "%4" at the end
    int hi = HexValue(s[i + 1]);
    int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::string PercentEncodeSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                      (u >= '0' && u <= '9') || u == '-' || u == '.' || u == '_' ||
                      u == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

SplitPath SplitRequestPath(std::string_view path) {
  SplitPath out;
  if (path.empty() || path[0] != '/') {
    out.status = 400;
    out.reason = "the request path must start with '/'";
    return out;
  }
  path.remove_prefix(1);
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view raw = path.substr(0, slash);
    if (slash == std::string_view::npos) {
      path = {};
    } else {
      path.remove_prefix(slash + 1);
      if (path.empty()) out.trailing_slash = true;
    }
    std::optional<std::string> decoded = PercentDecode(raw);
    if (!decoded) {
      out.status = 400;
      out.reason = "a malformed %-escape in the path";
      out.segments.clear();
      return out;
    }
    if (std::string why = RefuseSegment(*decoded); !why.empty()) {
      out.status = 403;
      out.reason = "refused: " + why;
      out.segments.clear();
      return out;
    }
    out.segments.push_back(std::move(*decoded));
  }
  return out;
}

bool IsWithin(std::string_view root, std::string_view path) {
  if (path.size() < root.size() || path.substr(0, root.size()) != root) return false;
  if (path.size() == root.size()) return true;
  return root == "/" || path[root.size()] == '/';
}

ResolvedPath ResolveInStore(const std::string& canonical_root,
                            const std::vector<std::string>& segments) {
  ResolvedPath out;
  std::string joined = canonical_root;
  for (const std::string& s : segments) {
    if (!RefuseSegment(s).empty()) {  // callers should have refused it already
      out.status = 403;
      out.reason = "refused: " + RefuseSegment(s);
      return out;
    }
    joined += "/" + s;
  }
  std::unique_ptr<char, decltype(&::free)> real(::realpath(joined.c_str(), nullptr),
                                                &::free);
  if (!real) {
    out.status = errno == EACCES ? 403 : 404;
    out.reason = errno == EACCES ? "permission denied" : "no such file in the store";
    return out;
  }
  out.path = real.get();
  if (!IsWithin(canonical_root, out.path)) {
    out.status = 403;
    out.reason = "refused: the path leads outside the store";
    out.path.clear();
    return out;
  }
  struct stat st;
  if (::stat(out.path.c_str(), &st) != 0) {
    out.status = 404;
    out.reason = "no such file in the store";
    out.path.clear();
    return out;
  }
  out.is_dir = S_ISDIR(st.st_mode);
  if (!out.is_dir && !S_ISREG(st.st_mode)) {
    out.status = 403;
    out.reason = "refused: not a regular file or directory";
    out.path.clear();
  }
  return out;
}

}  // namespace jepsen::web
