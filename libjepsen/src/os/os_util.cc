#include "os/os_util.h"

#include <fmt/format.h>

#include "jepsen/os/hosts.h"
#include "jepsen/test.h"

namespace jepsen::os_internal {
namespace {

class PackageOs : public Os {
 public:
  explicit PackageOs(PackageOsOptions options) : options_(std::move(options)) {}

  Status Setup(const Test& test, const std::string& node) override {
    Remote* remote = test.RemoteFor(node);
    if (remote == nullptr) {
      return FailedPreconditionError(
          fmt::format("{} setup: no remote for node {}", options_.name, node));
    }
    JEPSEN_RETURN_IF_ERROR(options_.install(*remote, options_.packages, options_.sudo));
    if (!options_.hosts) return OkStatus();
    JEPSEN_ASSIGN_OR_RETURN(auto addresses, NodeAddresses(test.nodes, options_.addresses));
    return WriteHostsBlock(*remote, HostsBlock(test.nodes, addresses), options_.sudo);
  }

  Status Teardown(const Test&, const std::string&) override { return OkStatus(); }

 private:
  const PackageOsOptions options_;
};

}  // namespace

std::unique_ptr<Os> MakePackageOs(PackageOsOptions options) {
  return std::make_unique<PackageOs>(std::move(options));
}

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
