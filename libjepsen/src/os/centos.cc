#include "jepsen/os/centos.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "jepsen/control/command.h"
#include "os/os_util.h"

namespace jepsen {

std::vector<std::string> DefaultCentosPackages() {
  return {"bash", "curl", "iproute", "iptables", "procps-ng", "tar", "unzip", "xz"};
}

Result<std::vector<std::string>> CentosMissingPackages(
    Remote& remote, const std::vector<std::string>& packages) {
  JEPSEN_RETURN_IF_ERROR(os_internal::CheckPackageNames(packages, "yum"));
  if (packages.empty()) return std::vector<std::string>{};
  Command query{.argv = {"rpm", "-q", "--queryformat", "%{NAME}\\n"}};
  for (const std::string& p : packages) query.argv.push_back(os_internal::PackageName(p));
  const std::string line = query.Render();
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote.Exec(line));
  // rpm exits with the number of packages that are not installed (and prints "package
  // X is not installed" for each): any exit up to that count is an answer.
  if (r.exit_code < 0 || r.exit_code > static_cast<int>(packages.size())) {
    return CommandError(line, r);
  }
  std::set<std::string> installed;
  std::istringstream in(r.out);
  for (std::string entry; std::getline(in, entry);) installed.insert(entry);
  std::vector<std::string> missing;
  for (const std::string& p : packages) {
    if (!installed.count(os_internal::PackageName(p))) missing.push_back(p);
  }
  return missing;
}

Status CentosInstallPackages(Remote& remote, const std::vector<std::string>& packages,
                             bool sudo) {
  JEPSEN_ASSIGN_OR_RETURN(std::vector<std::string> missing,
                          CentosMissingPackages(remote, packages));
  if (missing.empty()) return OkStatus();
  Command install{.argv = {"flock", "-w", std::to_string(os_internal::kLockWaitSeconds),
                           kYumLockFile, "yum", "install", "-y", "-q"},
                  .sudo = sudo};
  install.argv.insert(install.argv.end(), missing.begin(), missing.end());
  return Run(remote, install)
      .status()
      .WithContext(fmt::format("installing {}", fmt::join(missing, " ")));
}

std::unique_ptr<Os> MakeCentosOs(CentosOsOptions options) {
  return os_internal::MakePackageOs("centos", CentosInstallPackages, std::move(options));
}

}  // namespace jepsen
