#include "jepsen/control/local_remote.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/control/process.h"

namespace jepsen {
namespace {

Result<std::string> ReadLocal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("cannot read {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs sh -c in some context (this machine, or a node's namespaces); files move as
// bytes through cat, directories through tar.
class ShellRemote : public Remote {
 public:
  explicit ShellRemote(std::vector<std::string> prefix) : prefix_(std::move(prefix)) {}

  Result<CommandResult> Exec(const std::string& command) override {
    return ExecWithInput(command, "");
  }

  Status Upload(const std::string& local, const std::string& remote) override {
    JEPSEN_ASSIGN_OR_RETURN(std::string bytes, ReadLocal(local));
    std::string cmd = "cat > " + ShellQuote(remote);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult r, ExecWithInput(cmd, bytes));
    if (r.exit_code != 0) return CommandError(cmd, r);
    return OkStatus();
  }

  Status Download(const std::string& remote, const std::string& local) override {
    std::string q = ShellQuote(remote);
    // A directory comes as a tar stream, unpacked into `local`.
    std::string cmd = fmt::format("if [ -d {0} ]; then tar -C {0} -cf - .; else cat {0}; fi", q);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult r, Exec(cmd));
    if (r.exit_code != 0) return CommandError(cmd, r);
    JEPSEN_ASSIGN_OR_RETURN(CommandResult is_dir, Exec("test -d " + q));
    if (is_dir.exit_code == 0) {
      JEPSEN_ASSIGN_OR_RETURN(CommandResult untar,
                              RunProcess({"sh", "-c", "mkdir -p " + ShellQuote(local) +
                                                          " && tar -C " + ShellQuote(local) +
                                                          " -xf -"},
                                         {.input = r.out}));
      if (untar.exit_code != 0) return CommandError("tar -x into " + local, untar);
      return OkStatus();
    }
    std::ofstream out(local, std::ios::binary | std::ios::trunc);
    out << r.out;
    out.close();
    if (!out) return IoError(fmt::format("cannot write {}", local));
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
