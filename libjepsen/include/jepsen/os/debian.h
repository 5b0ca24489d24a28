// Debian OS setup (as Jepsen's jepsen.os.debian): the packages a test needs, installed
// only when missing, and /etc/hosts naming every node. Chosen with `--os debian`.
//
//   test.os = MakeDebianOs({.packages = {"curl", "iptables"}, .addresses = addresses});
//
//   // From a DB's setup: install what the database needs.
//   JEPSEN_RETURN_IF_ERROR(DebianInstallPackages(*test.RemoteFor(node),
//   {"etcd-server"}));
//
// apt runs with DEBIAN_FRONTEND=noninteractive under `flock` on kAptLockFile, so
// concurrent setups that land on one machine (several local nodes share a root
// filesystem) take turns instead of failing on dpkg's lock; apt itself also waits for
// dpkg's lock (DPkg::Lock::Timeout) held by anything else. Installed packages are
// found with dpkg-query, so a second setup changes nothing and runs no apt at all.
//
// Thread safety: Setup runs concurrently for different nodes; an Apt is used by one
// thread at a time.
#ifndef JEPSEN_OS_DEBIAN_H_
#define JEPSEN_OS_DEBIAN_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/os.h"
#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

inline constexpr const char* kAptLockFile = "/var/lock/jepsen-apt.lock";

// What jepsen's own node helpers use: bash (port probes), curl (archives), faketime
// (clock faults), iproute2 (tc tbf), iptables (partitions, packet loss), procps (ps),
// tar, unzip and xz-utils (archives).
std::vector<std::string> DefaultDebianPackages();

// apt on one node. Updates the package lists at most once per Apt, and only when
// something is missing.
class Apt {
 public:
  // `remote` is borrowed and must outlive the Apt. `sudo`: run apt through sudo (for a
  // login that is not root).
  explicit Apt(Remote& remote, bool sudo = false) : remote_(remote), sudo_(sudo) {}

  // The packages of `packages` that are not installed (dpkg-query), in order.
  Result<std::vector<std::string>> Missing(const std::vector<std::string>& packages);
  // Installs the missing ones (apt-get update first, once). Errors: the command failed
  // (the message carries apt's output).
  Status Install(const std::vector<std::string>& packages);

 private:
  Remote& remote_;
  bool sudo_;
  bool updated_ = false;
};

// Apt(remote, sudo).Install(packages).
Status DebianInstallPackages(Remote& remote, const std::vector<std::string>& packages,
                             bool sudo = false);

struct DebianOsOptions {
  // Installed on every node when missing.
  std::vector<std::string> packages = DefaultDebianPackages();
  // Node addresses for /etc/hosts; nodes not listed are resolved on this machine.
  std::map<std::string, std::string> addresses;
  // Write the /etc/hosts block (jepsen/os/hosts.h).
  bool hosts = true;
  // Run privileged commands through sudo (the SSH user is not root).
  bool sudo = false;
};

// Setup installs the packages and writes /etc/hosts; Teardown leaves both in place.
std::unique_ptr<Os> MakeDebianOs(DebianOsOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_OS_DEBIAN_H_
