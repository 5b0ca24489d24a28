// CentOS (and other yum/rpm systems) OS setup (as Jepsen's jepsen.os.centos): the
// packages a test needs, installed only when missing, and /etc/hosts naming every
// node. Chosen with `--os centos`.
//
//   JEPSEN_RETURN_IF_ERROR(CentosInstallPackages(*test.RemoteFor(node), {"etcd"}));
//
// Installed packages are found with `rpm -q`; the missing ones are installed with
// `yum install -y` under `flock` on kYumLockFile (yum also waits for its own lock).
// yum refreshes its metadata itself, so there is no separate update step.
//
// Thread safety: Setup runs concurrently for different nodes.
#ifndef JEPSEN_OS_CENTOS_H_
#define JEPSEN_OS_CENTOS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/os.h"
#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

inline constexpr const char* kYumLockFile = "/var/lock/jepsen-yum.lock";

// jepsen's own node helpers' needs, by their CentOS names (libfaketime lives in EPEL,
// so it is not among them).
std::vector<std::string> DefaultCentosPackages();

// The packages of `packages` that are not installed, in order.
Result<std::vector<std::string>> CentosMissingPackages(
    Remote& remote, const std::vector<std::string>& packages);
// Installs the missing packages. Errors: the command failed (with yum's output).
Status CentosInstallPackages(Remote& remote, const std::vector<std::string>& packages,
                             bool sudo = false);

struct CentosOsOptions {
  // Installed on every node when missing.
  std::vector<std::string> packages = DefaultCentosPackages();
  // Node addresses for /etc/hosts; nodes not listed are resolved on this machine.
  std::map<std::string, std::string> addresses;
  // Write the /etc/hosts block (jepsen/os/hosts.h).
  bool hosts = true;
  // Run privileged commands through sudo (the SSH user is not root).
  bool sudo = false;
};

// Setup installs the packages and writes /etc/hosts; Teardown leaves both in place.
std::unique_ptr<Os> MakeCentosOs(CentosOsOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_OS_CENTOS_H_
