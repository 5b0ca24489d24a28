// Node automation helpers, as Jepsen's jepsen.control.util: files, daemons by pidfile,
// signals, ports, temporary directories, archives. Each takes the node's Remote.
//
//   JEPSEN_RETURN_IF_ERROR(StartDaemon(remote, {.pidfile = "/var/jepsen/etcd.pid",
//                                               .logfile = "/var/jepsen/etcd.log",
//                                               .command = {.argv = {"etcd", ...}}}));
//   JEPSEN_RETURN_IF_ERROR(AwaitTcpPort(remote, 2379, 30s));
//
// Daemons are tracked by pidfile only, never by process name: local nodes may share a
// process table view in other setups, and pkill would hit the wrong node.
//
// Thread safety: as the Remote's.
#ifndef JEPSEN_CONTROL_UTIL_H_
#define JEPSEN_CONTROL_UTIL_H_

#include <chrono>
#include <string>
#include <string_view>

#include "jepsen/control/command.h"
#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

// True if `path` exists on the node.
Result<bool> Exists(Remote& remote, const std::string& path);
// Writes `content` to `path` on the node (through a local temporary file).
Status WriteFile(Remote& remote, const std::string& path, const std::string& content);
// The node's file `path`.
Result<std::string> ReadFile(Remote& remote, const std::string& path);
// A new directory under /tmp on the node.
Result<std::string> TmpDir(Remote& remote);

// Copies the control machine's file `local_path` to `remote_path` on the node with
// permission bits `mode` (e.g. 0755 for a script), creating the parent directories.
// The file is uploaded beside its destination and renamed into place after its mode
// is set, so a process on the node never sees it half written or with the wrong mode.
// Errors: kNotFound (no such local file; the node is not touched), kInvalidArgument
// (mode outside 0..07777, empty path), or the Remote's upload / command failure.
Status UploadResource(Remote& remote, const std::string& local_path,
                      const std::string& remote_path, int mode = 0644);
// The same for a resource held in memory (e.g. a config template built into the
// binary): `content` becomes the node's `remote_path`.
Status UploadResourceContent(Remote& remote, std::string_view content,
                             const std::string& remote_path, int mode = 0644);

struct DaemonOptions {
  // Where the daemon's pid is written (it must not already hold a running pid).
  std::string pidfile;
  // Where its stdout and stderr go (appended).
  std::string logfile;
  // What to run (cd and env honoured; sudo ignored: run remotes as the right user).
  Command command;
};

// Starts a daemon in the background (nohup, setsid), writes its pid to the pidfile.
// If the pidfile names a running process, does nothing (already started).
Status StartDaemon(Remote& remote, const DaemonOptions& options);
// Stops the daemon of `pidfile`: SIGTERM, then SIGKILL after `grace`; removes the
// pidfile. A missing pidfile or dead process is fine.
Status StopDaemon(Remote& remote, const std::string& pidfile,
                  std::chrono::milliseconds grace = std::chrono::seconds(5));
// Sends `signal` (e.g. "STOP", "CONT", "KILL") to the process of `pidfile`.
Status SignalDaemon(Remote& remote, const std::string& pidfile, const std::string& signal);
// True if the process of `pidfile` is running.
Result<bool> DaemonRunning(Remote& remote, const std::string& pidfile);

// Waits until something on the node listens on TCP `port` (or `timeout` passes).
Status AwaitTcpPort(Remote& remote, int port, std::chrono::milliseconds timeout,
                    const std::string& host = "127.0.0.1");

// Installs an archive (.tar.gz, .tgz, .tar.xz, .zip) from http(s):// or file:// into
// `dir` on the node, stripping a single top-level directory (the type comes from the
// URL path's suffix; a query is ignored). Downloads are cached on
// the node under /var/cache/jepsen by URL, so a second install does not download.
Status InstallArchive(Remote& remote, const std::string& url, const std::string& dir);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_UTIL_H_
