// Shared by the OS setups: package-name checks, lock waits, and the Os itself.
#ifndef JEPSEN_SRC_OS_OS_UTIL_H_
#define JEPSEN_SRC_OS_OS_UTIL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/os.h"
#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen::os_internal {

// OK if every name looks like a package (letters, digits, + - . _ ~ : =), so nothing
// odd reaches a package manager's command line. `manager` names it in the error.
Status CheckPackageNames(const std::vector<std::string>& packages, const char* manager);

// A package argument without its "=version" part, as the package databases name it.
std::string PackageName(const std::string& package);

// How long to wait for jepsen's package lock and the package manager's own lock.
inline constexpr int kLockWaitSeconds = 600;

// What differs between the package-managing OS setups (debian, centos).
struct PackageOsOptions {
  // Names the OS in errors ("debian setup: ...").
  std::string name;
  // Installs the missing ones of `packages` (DebianInstallPackages, ...).
  Status (*install)(Remote& remote, const std::vector<std::string>& packages, bool sudo) = nullptr;
  std::vector<std::string> packages;
  // Node addresses for /etc/hosts; nodes not listed are resolved on this machine.
  std::map<std::string, std::string> addresses;
  bool hosts = true;
  bool sudo = false;
};

// An Os whose Setup installs the packages with `install` and then, with `hosts`,
// writes the /etc/hosts block naming every node; Teardown leaves both in place.
std::unique_ptr<Os> MakePackageOs(PackageOsOptions options);

// The same from an OS's public options (DebianOsOptions, CentosOsOptions: packages,
// addresses, hosts, sudo).
template <typename OsOptions>
std::unique_ptr<Os> MakePackageOs(std::string name, decltype(PackageOsOptions::install) install,
                                  OsOptions options) {
  return MakePackageOs({.name = std::move(name),
                        .install = install,
                        .packages = std::move(options.packages),
                        .addresses = std::move(options.addresses),
                        .hosts = options.hosts,
                        .sudo = options.sudo});
}

}  // namespace jepsen::os_internal

#endif  // JEPSEN_SRC_OS_OS_UTIL_H_
