// SshConnection: one authenticated libssh session to one node, shared by the threads
// of an SshRemote.
//
// libssh is not thread-safe per session, so every libssh call on the session happens
// with `mu()` held. Commands interleave because each Exec holds the lock only for
// short, non-blocking steps (read what has arrived, pump packets) and waits for the
// socket to become readable without it.
//
// Once a transport error is seen the connection is marked broken for good; the owner
// replaces it with a new one.
//
// Thread safety: all public methods may be called concurrently.
#ifndef JEPSEN_CONTROL_SSH_CONNECTION_H_
#define JEPSEN_CONTROL_SSH_CONNECTION_H_

#include <libssh/libssh.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "control/annotated_mutex.h"
#include "jepsen/remote.h"
#include "jepsen/ssh_remote.h"
#include "jepsen/status.h"

namespace jepsen {

class SshConnection {
 public:
  // Connects, checks the host key and authenticates.
  // Errors: kUnavailable (transport: may be retried), kFailedPrecondition (host key,
  // authentication, key file: retrying will not help).
  static Result<std::unique_ptr<SshConnection>> Open(const SshRemoteOptions& options);

  ~SshConnection();
  SshConnection(const SshConnection&) = delete;
  SshConnection& operator=(const SshConnection&) = delete;

  // Runs `command`, feeding it `input` then EOF. On failure, `*may_have_run` tells
  // whether the exec request had been sent (then the command must not be retried).
  // Errors: kUnavailable (transport), kDeadlineExceeded (options.command_timeout
  // passed: the channel is closed, the connection stays usable).
  Result<CommandResult> Exec(const std::string& command, std::string_view input,
                             bool* may_have_run) EXCLUDES(mu_);

  // True once a transport error was seen on this connection.
  bool broken() const { return broken_.load(); }

  // "root@n1:22", for messages.
  const std::string& label() const { return label_; }

  // For the SFTP code: the lock and the session it guards.
  Mutex& mu() RETURN_CAPABILITY(mu_) { return mu_; }
  ssh_session session() REQUIRES(mu_) { return session_; }

  // Returns a Status for a failed libssh call: marks the connection broken when the
  // session is no longer connected. `what` says what was being done.
  Status Failure(std::string_view what) REQUIRES(mu_);

  // Waits (without the lock) up to `ms` for the socket to become readable.
  void WaitReadable(int ms) EXCLUDES(mu_);

 private:
  SshConnection(ssh_session session, const SshRemoteOptions& options);

  // Non-blocking: drains the channel's buffered output into `out`/`err`. Returns
  // whether anything arrived, or an error.
  Result<bool> Drain(ssh_channel channel, std::string& out, std::string& err)
      REQUIRES(mu_);

  Mutex mu_;
  ssh_session session_ GUARDED_BY(mu_);
  int fd_ = -1;  // the socket, fixed once connected
  const std::string label_;
  const std::chrono::milliseconds command_timeout_;     // 0: none
  const std::chrono::milliseconds keepalive_interval_;  // 0: no keepalives
  std::atomic<bool> broken_{false};
};

// "root@host:port", the form used in messages.
std::string SshLabel(const SshRemoteOptions& options);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_SSH_CONNECTION_H_
