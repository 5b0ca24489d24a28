#include "jepsen/control/local_remote.h"

#include <filesystem>

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/control/process.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;

// A shell command that unpacks a tar stream of one file (named `name` inside it) to
// `dest`: beside it first, then renamed, so a reader never sees half a file and a
// failure leaves nothing behind.
std::string UntarFileTo(const std::string& name, const std::string& dest) {
  std::string t = ShellQuote(dest + ".jepsen-transfer");
  return fmt::format(
      "rm -rf {t} && mkdir -p {t} && {{ tar -C {t} -xpf - --no-same-owner && "
      "mv -f {t}/{name} {dest} && rmdir {t} || {{ rm -rf {t}; false; }}; }}",
      fmt::arg("t", t), fmt::arg("name", ShellQuote(name)), fmt::arg("dest", ShellQuote(dest)));
}

std::string UntarDirTo(const std::string& dest) {
  return fmt::format("mkdir -p {0} && tar -C {0} -xpf - --no-same-owner", ShellQuote(dest));
}

// Local files and directories as a tar stream (following symlinks, as SFTP upload).
Result<std::string> TarLocal(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return NotFoundError(fmt::format("upload: no such file {}", path));
  fs::path p(path);
  // A directory's contents under ".", a file under its own name.
  std::vector<std::string> argv = {"tar", "-ch", "-f", "-"};
  if (fs::is_directory(st)) {
    argv.insert(argv.end(), {"-C", path, "."});
  } else {
    argv.insert(argv.end(), {"-C", p.parent_path().empty() ? "." : p.parent_path().string(),
                             "--", p.filename().string()});
  }
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, RunProcess(argv));
  if (r.exit_code != 0) return CommandError(fmt::format("upload: tar of {}", path), r);
  return std::move(r.out);
}

// Runs sh -c in some context (this machine, or a node's namespaces). Transfers go as
// tar streams so that both files and directories keep their permission bits: the
// destination path is the copy itself, as over SFTP (a directory is created or merged
// into).
class ShellRemote : public Remote {
 public:
  explicit ShellRemote(std::vector<std::string> prefix) : prefix_(std::move(prefix)) {}

  Result<CommandResult> Exec(const std::string& command) override {
    return ExecWithInput(command, "");
  }

  Status Upload(const std::string& local, const std::string& remote) override {
    JEPSEN_ASSIGN_OR_RETURN(std::string tar, TarLocal(local));
    std::string cmd = fs::is_directory(local)
                          ? UntarDirTo(remote)
                          : UntarFileTo(fs::path(local).filename().string(), remote);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult r, ExecWithInput(cmd, tar));
    if (r.exit_code != 0) return CommandError(cmd, r);
    return OkStatus();
  }

  Status Download(const std::string& remote, const std::string& local) override {
    std::string q = ShellQuote(remote);
    // The first line says what it is; a tar stream of it follows.
    std::string cmd = fmt::format(
        "if [ -d {0} ]; then echo d && tar -C {0} -cf - .; "
        "elif [ -e {0} ]; then echo f && tar -C \"$(dirname -- {0})\" -cf - -- \"$(basename -- {0})\"; "
        "else echo \"no such file {1}\" >&2; exit 2; fi",
        q, remote);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult r, Exec(cmd));
    if (r.exit_code == 2) {
      while (!r.err.empty() && r.err.back() == '\n') r.err.pop_back();
      return NotFoundError(fmt::format("download: {}", r.err));
    }
    if (r.exit_code != 0 || r.out.size() < 2) return CommandError(cmd, r);
    bool dir = r.out[0] == 'd';
    std::string tar = r.out.substr(2);
    std::string untar =
        dir ? UntarDirTo(local) : UntarFileTo(fs::path(remote).filename().string(), local);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult u, RunProcess({"sh", "-c", untar}, {.input = tar}));
    if (u.exit_code != 0) return CommandError(fmt::format("download into {}", local), u);
    return OkStatus();
  }

 private:
  Result<CommandResult> ExecWithInput(const std::string& command, const std::string& input) {
    std::vector<std::string> argv = prefix_;
    argv.insert(argv.end(), {"sh", "-c", command});
    return RunProcess(argv, {.input = input});
  }

  std::vector<std::string> prefix_;
};

}  // namespace

std::unique_ptr<Remote> MakeLocalRemote() {
  return std::make_unique<ShellRemote>(std::vector<std::string>{});
}

std::unique_ptr<Remote> MakeNamespaceRemote(int pid) {
  return std::make_unique<ShellRemote>(std::vector<std::string>{
      "nsenter", "-t", std::to_string(pid), "-n", "-m", "-u", "-p", "--"});
}

}  // namespace jepsen
