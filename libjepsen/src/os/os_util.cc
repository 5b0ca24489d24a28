#include "os/os_util.h"

#include <fmt/format.h>

namespace jepsen::os_internal {

Status CheckPackageNames(const std::vector<std::string>& packages, const char* manager) {
  for (const std::string& p : packages) {
    bool ok = !p.empty() && p[0] != '-';
    for (char c : p) {
      ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' ||
                  c == '_' || c == '~' || c == ':' || c == '=');
    }
    if (!ok) {
      return InvalidArgumentError(
          fmt::format("{}: '{}' is not a package name", manager, p));
    }
  }
  return OkStatus();
}

std::string PackageName(const std::string& package) {
  return package.substr(0, package.find('='));
}

}  // namespace jepsen::os_internal
