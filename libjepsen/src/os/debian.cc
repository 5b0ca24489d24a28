#include "jepsen/os/debian.h"

#include <fmt/format.h>

#include <set>
#include <sstream>

#include "jepsen/control/command.h"
#include "os/os_util.h"

namespace jepsen {
namespace {

using os_internal::kLockWaitSeconds;

// apt-get, waiting for jepsen's lock (other jepsen setups on this machine) and dpkg's
// (anything else), never asking questions.
Command AptGet(std::vector<std::string> args, bool sudo) {
  std::vector<std::string> argv = {
      "flock",      "-w",      std::to_string(kLockWaitSeconds),
      kAptLockFile, "apt-get", "-q",
      "-y",         "-o",      fmt::format("DPkg::Lock::Timeout={}", kLockWaitSeconds)};
  argv.insert(argv.end(), args.begin(), args.end());
  return Command{.argv = std::move(argv),
                 .env = {{"DEBIAN_FRONTEND", "noninteractive"}},
                 .sudo = sudo};
}

}  // namespace

std::vector<std::string> DefaultDebianPackages() {
  return {"bash",   "curl", "faketime", "iproute2", "iptables",
          "procps", "tar",  "unzip",    "xz-utils"};
}

Result<std::vector<std::string>> Apt::Missing(const std::vector<std::string>& packages) {
  JEPSEN_RETURN_IF_ERROR(os_internal::CheckPackageNames(packages, "apt"));
  if (packages.empty()) return std::vector<std::string>{};
  Command query{.argv = {"dpkg-query", "-W", "-f", "${Package} ${Status}\\n"}};
  for (const std::string& p : packages) query.argv.push_back(os_internal::PackageName(p));
  const std::string line = query.Render();
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote_.Exec(line));
  // dpkg-query exits 1 when some name is unknown to it (never installed): still an
  // answer.
  if (r.exit_code != 0 && r.exit_code != 1) return CommandError(line, r);
  std::set<std::string> installed;
  std::istringstream in(r.out);
  for (std::string entry; std::getline(in, entry);) {
    const size_t space = entry.find(' ');
    if (space == std::string::npos) continue;
    if (entry.substr(space + 1) == "install ok installed")
      installed.insert(entry.substr(0, space));
  }
  std::vector<std::string> missing;
  for (const std::string& p : packages) {
    std::string name = os_internal::PackageName(p);
    // dpkg-query prints names without an architecture qualifier.
    if (!installed.count(name) && !installed.count(name.substr(0, name.find(':')))) {
      missing.push_back(p);
    }
  }
  return missing;
}

Status Apt::Install(const std::vector<std::string>& packages) {
  JEPSEN_ASSIGN_OR_RETURN(std::vector<std::string> missing, Missing(packages));
  if (missing.empty()) return OkStatus();
  if (!updated_) {
    JEPSEN_RETURN_IF_ERROR(
        Run(remote_, AptGet({"update"}, sudo_)).status().WithContext("apt-get update"));
    updated_ = true;
  }
  std::vector<std::string> args = {"install", "--no-install-recommends"};
  args.insert(args.end(), missing.begin(), missing.end());
  return Run(remote_, AptGet(args, sudo_))
      .status()
      .WithContext(fmt::format("installing {}", fmt::join(missing, " ")));
}

Status DebianInstallPackages(Remote& remote, const std::vector<std::string>& packages,
                             bool sudo) {
  return Apt(remote, sudo).Install(packages);
}

std::unique_ptr<Os> MakeDebianOs(DebianOsOptions options) {
  return os_internal::MakePackageOs("debian", DebianInstallPackages, std::move(options));
}

}  // namespace jepsen
