// SSH remotes: a Remote that reaches a node over one SSH connection (libssh, hidden
// behind the factory), as Jepsen drives real clusters.
//
//   Result<std::unique_ptr<Remote>> r = OpenSshRemote({.host = "n1",
//                                                      .private_key = "/root/.ssh/id"});
//   if (!r.ok()) return r.status();
//   Result<CommandResult> ls = (*r)->Exec("ls /var/log");
//
// One remote holds one SSH connection and runs any number of commands over it at
// once, each on its own channel. Commands can have a time limit, and keepalives make
// a node that stops answering (a partition) fail its commands within about
// keepalive_interval * keepalive_count instead of hanging them. A transport failure
// (refused, reset, timed out) is answered by reconnecting and retrying, with jittered exponential backoff, up to
// `tries` attempts -- but a command whose exec request was already sent is never
// retried: its Exec returns kUnavailable saying the command may have run.
//
// Host keys: with strict_host_key_checking the node's key must be in `known_hosts`;
// otherwise any key is accepted (and nothing is written).
//
// Secrets: passwords never appear in logs or error messages. The sudo password is
// written to the command's standard input when the command starts with the sudo
// wrapper that Command renders (`sudo -k -S -p '' `), never put on a command line.
#ifndef JEPSEN_SSH_REMOTE_H_
#define JEPSEN_SSH_REMOTE_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

class Logger;
struct SshOptions;  // jepsen/test.h

struct SshRemoteOptions {
  // The node's name or address.
  std::string host;
  int port = 22;
  std::string username = "root";
  // Password authentication when not empty (tried after any key).
  std::string password;
  // Private key file (unencrypted). Empty and no password: the default keys
  // (~/.ssh/id_ed25519, id_ecdsa, id_rsa) and a running ssh-agent.
  std::string private_key;
  // Written to stdin of commands that start with `sudo -k -S -p '' ` (see above).
  std::string sudo_password;
  // Verify the node's host key against `known_hosts` (on) or accept any key (off).
  bool strict_host_key_checking = false;
  // The known_hosts file; empty: ~/.ssh/known_hosts.
  std::string known_hosts;
  // Limit for the TCP connect and for each blocking protocol step.
  std::chrono::milliseconds connect_timeout{10000};
  // A command still running after this long fails with kDeadlineExceeded naming the
  // node and the command; its channel is closed and it is not retried (it may still be
  // running on the node). 0: no limit.
  std::chrono::milliseconds command_timeout{0};
  // Liveness of the connection, so a node cut off by a partition fails commands
  // instead of hanging them: TCP keepalive probes after this much idle time, an SSH
  // keepalive message whenever a running command has been silent this long, and the
  // socket gives up once data goes unacknowledged for keepalive_interval *
  // keepalive_count (TCP_USER_TIMEOUT). A command in flight then fails with
  // kUnavailable ("may have run", not retried). 0: off (the kernel's defaults, hours).
  std::chrono::milliseconds keepalive_interval{5000};
  int keepalive_count = 3;
  // Attempts to connect (and to run a command that has not started) before giving up.
  int tries = 5;
  // Backoff before attempt k+1 is uniform in [d/2, d] with d = min(initial * 2^k, max).
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{2000};
  // Seeds the backoff jitter, so a run can be replayed.
  uint64_t seed = 0;
  // Reconnects and retries are logged here; null: not logged. Borrowed: must outlive
  // the remote.
  Logger* logger = nullptr;
};

// A Remote over SSH, with one extra: standard input for a command.
//
// Thread safety: all methods may be called concurrently from several threads.
class SshRemote : public Remote {
 public:
  // Like Exec, and writes `input` to the command's standard input, then closes it.
  // With a sudo password set and a sudo-wrapped command, the password line comes
  // first, then `input`.
  virtual Result<CommandResult> ExecWithInput(const std::string& command,
                                              std::string_view input) = 0;
};

// Connects and authenticates now (retrying transport failures as above), so a bad
// address, key or host key shows up before the test starts.
// Errors: kUnavailable (unreachable after all tries), kFailedPrecondition (host key
// not known or changed, authentication refused, unreadable key file: not retried),
// kInvalidArgument (empty host, bad port).
// Upload and Download copy files and, recursively, directories: the destination path
// is the copy itself (created, or overwritten / merged into). Upload preserves modes.
Result<std::unique_ptr<Remote>> OpenSshRemote(const SshRemoteOptions& options);

// The same, from a test's SSH options; reconnects and retries are logged to `logger`
// (e.g. test.logger) when given.
Result<std::unique_ptr<Remote>> OpenSshRemote(const SshOptions& ssh,
                                              const std::string& host, uint64_t seed = 0,
                                              Logger* logger = nullptr);

// The remote as an SshRemote (for ExecWithInput), or null if it is another kind.
SshRemote* AsSshRemote(Remote& remote);

}  // namespace jepsen

#endif  // JEPSEN_SSH_REMOTE_H_
