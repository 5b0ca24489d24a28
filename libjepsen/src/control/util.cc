#include "jepsen/control/util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include <fmt/format.h>

namespace jepsen {
namespace {

using namespace std::chrono_literals;

// Exit status of `cmd` (0 true, 1 false); other codes and transport errors are errors.
Result<bool> Test(Remote& remote, const std::string& cmd) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote.Exec(cmd));
  if (r.exit_code == 0) return true;
  if (r.exit_code == 1) return false;
  return CommandError(cmd, r);
}

// The pid in the pidfile if that process runs; 0 otherwise.
std::string RunningPidScript(const std::string& pidfile) {
  std::string q = ShellQuote(pidfile);
  return fmt::format("p=$(cat {0} 2>/dev/null) && [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null", q);
}

}  // namespace

Result<bool> Exists(Remote& remote, const std::string& path) {
  return Test(remote, "test -e " + ShellQuote(path));
}

Status WriteFile(Remote& remote, const std::string& path, const std::string& content) {
  char tmpl[] = "/tmp/jepsen-upload-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return IoError("cannot create a temporary file for an upload");
  ::close(fd);
  {
    std::ofstream out(tmpl, std::ios::binary | std::ios::trunc);
    out << content;
  }
  Status s = remote.Upload(tmpl, path);
  std::remove(tmpl);
  return s;
}

Result<std::string> ReadFile(Remote& remote, const std::string& path) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, Run(remote, "cat " + ShellQuote(path)));
  return r.out;
}

Status UploadResource(Remote& remote, const std::string& local_path,
                      const std::string& remote_path, int mode) {
  if (remote_path.empty()) {
    return InvalidArgumentError("UploadResource: empty destination path");
  }
  if (mode < 0 || mode > 07777) {
    return InvalidArgumentError(fmt::format(
        "UploadResource {}: mode {:o} is not a permission mode", remote_path, mode));
  }
  struct stat st {};
  if (::stat(local_path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return NotFoundError(fmt::format(
        "UploadResource: {} is not a readable file on this machine", local_path));
  }
  // Staged beside the destination (same filesystem), so the rename is atomic.
  const std::string staged = remote_path + ".jepsen-part";
  const size_t slash = remote_path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    const std::string parent = remote_path.substr(0, slash);
    JEPSEN_RETURN_IF_ERROR(Run(remote, "mkdir -p " + ShellQuote(parent)).status());
  }
  JEPSEN_RETURN_IF_ERROR(remote.Upload(local_path, staged));
  Result<CommandResult> placed =
      Run(remote, fmt::format("chmod {:04o} {} && mv -f {} {}", mode, ShellQuote(staged),
                              ShellQuote(staged), ShellQuote(remote_path)));
  if (!placed.ok()) (void)remote.Exec("rm -f " + ShellQuote(staged));
  return placed.status();
}

Status UploadResourceContent(Remote& remote, std::string_view content,
                             const std::string& remote_path, int mode) {
  char tmpl[] = "/tmp/jepsen-resource-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return IoError("UploadResourceContent: cannot create a temporary file");
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  Status s = written == content.size()
                 ? UploadResource(remote, tmpl, remote_path, mode)
                 : IoError(fmt::format("UploadResourceContent: cannot write {}", tmpl));
  std::remove(tmpl);
  return s;
}

Result<std::string> TmpDir(Remote& remote) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, Run(remote, "mktemp -d /tmp/jepsen.XXXXXXXX"));
  std::string dir = r.out;
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
  return dir;
}

Status StartDaemon(Remote& remote, const DaemonOptions& o) {
  if (o.pidfile.empty() || o.command.argv.empty()) {
    return InvalidArgumentError("StartDaemon needs a pidfile and a command");
  }
  Command inner = o.command;
  inner.sudo = false;
  inner.stdout_to.clear();
  inner.stderr_to.clear();
  inner.stderr_to_stdout = false;
  // `exec` must apply to the program, not to a leading "cd DIR &&".
  std::string cd = inner.cd.empty() ? "" : "cd " + ShellQuote(inner.cd) + " && ";
  inner.cd.clear();
  std::string log = o.logfile.empty() ? "/dev/null" : o.logfile;
  // setsid detaches it from the command's session; the shell records its pid before
  // exec'ing, so the pid is the daemon's own.
  std::string launch = fmt::format(
      "if {running}; then exit 0; fi; "
      "mkdir -p \"$(dirname {pidfile})\"; "
      "setsid sh -c {body} </dev/null >>{log} 2>&1 &",
      fmt::arg("running", RunningPidScript(o.pidfile)), fmt::arg("pidfile", ShellQuote(o.pidfile)),
      fmt::arg("body", ShellQuote("echo $$ > " + ShellQuote(o.pidfile) + "; " + cd + "exec " + inner.Render())),
      fmt::arg("log", ShellQuote(log)));
  JEPSEN_RETURN_IF_ERROR(Run(remote, launch).status());
  // Wait for the pidfile, so a following Signal or Stop finds it.
  for (int i = 0; i < 100; ++i) {
    JEPSEN_ASSIGN_OR_RETURN(bool there, Test(remote, "test -s " + ShellQuote(o.pidfile)));
    if (there) return OkStatus();
    std::this_thread::sleep_for(20ms);
  }
  return UnavailableError(fmt::format("daemon {} did not write {}", o.command.argv[0], o.pidfile));
}

Result<bool> DaemonRunning(Remote& remote, const std::string& pidfile) {
  return Test(remote, RunningPidScript(pidfile));
}

Status SignalDaemon(Remote& remote, const std::string& pidfile, const std::string& signal) {
  std::string cmd = fmt::format("kill -{} \"$(cat {})\"", signal, ShellQuote(pidfile));
  return Run(remote, cmd).status();
}

Status StopDaemon(Remote& remote, const std::string& pidfile, std::chrono::milliseconds grace) {
  std::string q = ShellQuote(pidfile);
  // A paused daemon cannot act on SIGTERM: continue it first.
  std::string cmd = fmt::format(
      "if {running}; then kill -CONT \"$p\"; kill -TERM \"$p\"; "
      "i=0; while kill -0 \"$p\" 2>/dev/null && [ $i -lt {ticks} ]; do sleep 0.1; i=$((i+1)); done; "
      "kill -KILL \"$p\" 2>/dev/null; fi; rm -f {q}",
      fmt::arg("running", RunningPidScript(pidfile)), fmt::arg("ticks", grace.count() / 100),
      fmt::arg("q", q));
  return Run(remote, cmd).status();
}

Status AwaitTcpPort(Remote& remote, int port, std::chrono::milliseconds timeout,
                    const std::string& host) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // bash's /dev/tcp needs no tools on the node.
  std::string probe = "bash -c " + ShellQuote(fmt::format("exec 3<>/dev/tcp/{}/{}", host, port)) +
                      " 2>/dev/null";
  for (;;) {
    JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote.Exec(probe));
    if (r.exit_code == 0) return OkStatus();
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError(fmt::format("nothing listened on {}:{} within {} ms", host,
                                               port, timeout.count()));
    }
    std::this_thread::sleep_for(100ms);
  }
}

Status InstallArchive(Remote& remote, const std::string& url, const std::string& dir) {
  bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  bool file = url.rfind("file://", 0) == 0;
  if (!http && !file) {
    return InvalidArgumentError(fmt::format("archive URL must be http(s):// or file://, not {}", url));
  }
  // The file name (its suffix tells the archive type): the path's last part, without
  // a query or fragment (".../etcd.tar.gz?raw=true").
  std::string path = url.substr(0, url.find_first_of("?#"));
  std::string cached = fmt::format("/var/cache/jepsen/{:016x}-{}", std::hash<std::string>()(url),
                                   path.substr(path.find_last_of('/') + 1));
  std::string qc = ShellQuote(cached);
  std::string fetch =
      file ? fmt::format("cp {} {}.part", ShellQuote(path.substr(7)), qc)
           : fmt::format("(curl -fsSL -o {0}.part {1} || wget -q -O {0}.part {1})", qc, ShellQuote(url));
  std::string unpack;
  if (cached.ends_with(".zip")) {
    unpack = fmt::format("unzip -q {} -d \"$t\"", qc);
  } else {
    unpack = fmt::format("tar -xf {} -C \"$t\"", qc);
  }
  // Unpack into a scratch directory; if it holds one directory, that is the root.
  std::string cmd = fmt::format(
      "set -e; mkdir -p /var/cache/jepsen; "
      "if [ ! -s {qc} ]; then {fetch} || {{ rm -f {qc}.part; exit 1; }}; mv {qc}.part {qc}; fi; "
      "t=$(mktemp -d); {unpack}; "
      "set -- \"$t\"/*; if [ $# -eq 1 ] && [ -d \"$1\" ]; then src=\"$1\"; else src=\"$t\"; fi; "
      "mkdir -p {dir}; cp -a \"$src\"/. {dir}/; rm -rf \"$t\"",
      fmt::arg("qc", qc), fmt::arg("fetch", fetch), fmt::arg("unpack", unpack),
      fmt::arg("dir", ShellQuote(dir)));
  return Run(remote, cmd).status();
}

}  // namespace jepsen
