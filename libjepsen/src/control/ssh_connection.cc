#include "control/ssh_connection.h"

#include <fmt/format.h>
#include <libssh/callbacks.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <utility>

namespace jepsen {
namespace {

// The user's home directory, for ~/.ssh/known_hosts.
std::string HomeDir() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return home;
  if (const passwd* pw = ::getpwuid(::getuid()); pw != nullptr) return pw->pw_dir;
  return "/root";
}

// Frees a libssh session that never became an SshConnection.
struct SessionDeleter {
  void operator()(ssh_session_struct* s) const {
    if (ssh_is_connected(s)) ssh_disconnect(s);
    ssh_free(s);
  }
};
using SessionPtr = std::unique_ptr<ssh_session_struct, SessionDeleter>;

Status SetOptions(ssh_session s, const SshRemoteOptions& o) {
  const long timeout_s = static_cast<long>(o.connect_timeout.count() / 1000);
  const long timeout_us = static_cast<long>(o.connect_timeout.count() % 1000) * 1000;
  const unsigned int port = static_cast<unsigned int>(o.port);
  const int verbosity = SSH_LOG_NOLOG;
  // Our options are the whole configuration: ~/.ssh/config is not read, so a run does
  // not depend on the invoking user's files.
  const bool process_config = false;
  const std::string known_hosts =
      o.known_hosts.empty() ? HomeDir() + "/.ssh/known_hosts" : o.known_hosts;
  if (ssh_options_set(s, SSH_OPTIONS_HOST, o.host.c_str()) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_PORT, &port) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_USER, o.username.c_str()) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout_s) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &timeout_us) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config) < 0 ||
      ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, known_hosts.c_str()) < 0) {
    return InvalidArgumentError(
        fmt::format("ssh {}: bad option: {}", SshLabel(o), ssh_get_error(s)));
  }
  return OkStatus();
}

// Makes the kernel notice a peer that stopped answering: keepalive probes on an idle
// connection, and a limit on how long sent data may stay unacknowledged (which also
// bounds the probes). Without this a partitioned node holds a command for hours.
Status SetKeepalive(int fd, const SshRemoteOptions& o) {
  if (o.keepalive_interval.count() <= 0) return OkStatus();
  const int on = 1;
  const int idle_s =
      std::max<int>(1, static_cast<int>(o.keepalive_interval.count() / 1000));
  const int count = std::max(1, o.keepalive_count);
  const unsigned int user_timeout_ms =
      static_cast<unsigned int>(o.keepalive_interval.count()) *
      static_cast<unsigned int>(count);
  if (::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof(idle_s)) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &idle_s, sizeof(idle_s)) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count)) != 0 ||
      ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms,
                   sizeof(user_timeout_ms)) != 0) {
    return UnavailableError(fmt::format("ssh {}: cannot set keepalive on the socket: {}",
                                        SshLabel(o), std::strerror(errno)));
  }
  return OkStatus();
}

// "SHA256:..." of the server's host key, or "" if unavailable.
std::string HostKeyFingerprint(ssh_session s) {
  ssh_key key = nullptr;
  if (ssh_get_server_publickey(s, &key) != SSH_OK) return "";
  unsigned char* hash = nullptr;
  size_t len = 0;
  std::string result;
  if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) == 0) {
    char* hex = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    if (hex != nullptr) result = hex;
    ssh_string_free_char(hex);
    ssh_clean_pubkey_hash(&hash);
  }
  ssh_key_free(key);
  return result;
}

Status VerifyHostKey(ssh_session s, const SshRemoteOptions& o) {
  if (!o.strict_host_key_checking) return OkStatus();
  const std::string label = SshLabel(o);
  const std::string known_hosts =
      o.known_hosts.empty() ? "~/.ssh/known_hosts" : o.known_hosts;
  const std::string entry =
      o.port == 22 ? o.host : fmt::format("[{}]:{}", o.host, o.port);
  const std::string fingerprint = HostKeyFingerprint(s);
  switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
      return OkStatus();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return FailedPreconditionError(fmt::format(
          "ssh {}: the host key ({}) does not match the one for {} in {}: the node was "
          "reinstalled or someone is intercepting the connection. If the change is "
          "expected, remove the old entry (ssh-keygen -R '{}' -f {}) and add the new "
          "one, "
          "or turn strict host key checking off",
          label, fingerprint, entry, known_hosts, entry, known_hosts));
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      return FailedPreconditionError(fmt::format(
          "ssh {}: host {} is not in {} (its key is {}) and strict host key checking is "
          "on. Add it (ssh-keyscan -p {} {} >> {}) after checking the fingerprint, or "
          "turn strict host key checking off",
          label, entry, known_hosts, fingerprint, o.port, o.host, known_hosts));
    case SSH_KNOWN_HOSTS_ERROR:
      break;
  }
  return FailedPreconditionError(
      fmt::format("ssh {}: cannot check the host key against {}: {}", label, known_hosts,
                  ssh_get_error(s)));
}

Status Authenticate(ssh_session s, const SshRemoteOptions& o) {
  const std::string label = SshLabel(o);
  int rc = SSH_AUTH_DENIED;
  std::string tried;
  if (!o.private_key.empty()) {
    ssh_key key = nullptr;
    if (ssh_pki_import_privkey_file(o.private_key.c_str(), nullptr, nullptr, nullptr,
                                    &key) != SSH_OK) {
      return FailedPreconditionError(fmt::format(
          "ssh {}: cannot read private key {} (missing, unreadable, encrypted or not a "
          "key)",
          label, o.private_key));
    }
    rc = ssh_userauth_publickey(s, nullptr, key);
    ssh_key_free(key);
    tried = fmt::format("key {}", o.private_key);
  } else if (o.password.empty()) {
    rc = ssh_userauth_publickey_auto(s, nullptr, nullptr);
    tried = "the default keys (~/.ssh/id_ed25519, id_ecdsa, id_rsa) and ssh-agent";
  }
  if (rc != SSH_AUTH_SUCCESS && rc != SSH_AUTH_ERROR && !o.password.empty()) {
    rc = ssh_userauth_password(s, nullptr, o.password.c_str());
    tried += tried.empty() ? "a password" : " and a password";
  }
  if (rc == SSH_AUTH_SUCCESS) return OkStatus();
  if (rc == SSH_AUTH_ERROR && !ssh_is_connected(s)) {
    return UnavailableError(fmt::format(
        "ssh {}: connection lost while authenticating: {}", label, ssh_get_error(s)));
  }
  return FailedPreconditionError(fmt::format(
      "ssh {}: authentication refused (tried {}). Check that the public key is in the "
      "node's ~{}/.ssh/authorized_keys, or the password",
      label, tried, o.username));
}

// How a command ended when the server reports a signal instead of an exit status.
struct ExitState {
  int signal = 0;
};

int SignalNumber(std::string_view name) {
  static constexpr std::pair<std::string_view, int> kSignals[] = {
      {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"BUS", SIGBUS},   {"FPE", SIGFPE},
      {"HUP", SIGHUP},   {"ILL", SIGILL},   {"INT", SIGINT},   {"KILL", SIGKILL},
      {"PIPE", SIGPIPE}, {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV}, {"TERM", SIGTERM},
      {"USR1", SIGUSR1}, {"USR2", SIGUSR2}};
  for (const auto& [n, number] : kSignals) {
    if (n == name) return number;
  }
  return 0;
}

void OnExitSignal(ssh_session, ssh_channel, const char* signal, int, const char*,
                  const char*, void* userdata) {
  static_cast<ExitState*>(userdata)->signal =
      SignalNumber(signal == nullptr ? "" : signal);
}

}  // namespace

std::string SshLabel(const SshRemoteOptions& options) {
  return fmt::format("{}@{}:{}", options.username, options.host, options.port);
}

Result<std::unique_ptr<SshConnection>> SshConnection::Open(
    const SshRemoteOptions& options) {
  SessionPtr session(ssh_new());
  if (session == nullptr) return InternalError("ssh_new failed");
  JEPSEN_RETURN_IF_ERROR(SetOptions(session.get(), options));
  if (ssh_connect(session.get()) != SSH_OK) {
    return UnavailableError(fmt::format("ssh {}: cannot connect: {}", SshLabel(options),
                                        ssh_get_error(session.get())));
  }
  JEPSEN_RETURN_IF_ERROR(SetKeepalive(ssh_get_fd(session.get()), options));
  JEPSEN_RETURN_IF_ERROR(VerifyHostKey(session.get(), options));
  JEPSEN_RETURN_IF_ERROR(Authenticate(session.get(), options));
  return std::unique_ptr<SshConnection>(new SshConnection(session.release(), options));
}

SshConnection::SshConnection(ssh_session session, const SshRemoteOptions& options)
    : session_(session),
      fd_(ssh_get_fd(session)),
      label_(SshLabel(options)),
      command_timeout_(options.command_timeout),
      keepalive_interval_(options.keepalive_interval) {}

SshConnection::~SshConnection() {
  MutexLock lock(mu_);
  SessionDeleter()(session_);
}

Status SshConnection::Failure(std::string_view what) {
  if (!ssh_is_connected(session_)) broken_.store(true);
  return UnavailableError(
      fmt::format("ssh {}: {}: {}", label_, what, ssh_get_error(session_)));
}

void SshConnection::WaitReadable(int ms) {
  pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
  ::poll(&p, 1, ms);
}

Result<bool> SshConnection::Drain(ssh_channel channel, std::string& out,
                                  std::string& err) {
  char buf[16384];
  bool progress = false;
  for (int is_stderr = 0; is_stderr < 2; ++is_stderr) {
    while (true) {
      const int n = ssh_channel_read_nonblocking(channel, buf, sizeof(buf), is_stderr);
      if (n == SSH_ERROR) return Failure("reading the command's output");
      if (n <= 0) break;  // nothing buffered, or SSH_EOF
      (is_stderr ? err : out).append(buf, static_cast<size_t>(n));
      progress = true;
    }
  }
  return progress;
}

Result<CommandResult> SshConnection::Exec(const std::string& command,
                                          std::string_view input, bool* may_have_run) {
  *may_have_run = false;
  ExitState exit_state;
  ssh_channel_callbacks_struct callbacks{};
  ssh_callbacks_init(&callbacks);
  callbacks.userdata = &exit_state;
  callbacks.channel_exit_signal_function = OnExitSignal;

  ssh_channel channel = nullptr;
  // Frees the channel on every path, under the lock.
  auto release = [&] {
    MutexLock lock(mu_);
    if (ssh_channel_is_open(channel)) ssh_channel_close(channel);
    ssh_channel_free(channel);
  };
  {
    MutexLock lock(mu_);
    if (broken()) return UnavailableError(fmt::format("ssh {}: connection lost", label_));
    channel = ssh_channel_new(session_);
    if (channel == nullptr) return Failure("cannot create a channel");
    ssh_set_channel_callbacks(channel, &callbacks);
    if (ssh_channel_open_session(channel) != SSH_OK) {
      Status s = Failure("cannot open a channel");
      ssh_channel_free(channel);
      return s;
    }
    // From here the command may run: a failure must not be retried.
    *may_have_run = true;
    if (ssh_channel_request_exec(channel, command.c_str()) != SSH_OK) {
      Status s = Failure("exec request failed");
      ssh_channel_free(channel);
      return s;
    }
    size_t written = 0;
    while (written < input.size()) {
      const int n = ssh_channel_write(channel, input.data() + written,
                                      static_cast<uint32_t>(input.size() - written));
      if (n == SSH_ERROR) break;  // the command may have exited without reading
      written += static_cast<size_t>(n);
    }
    ssh_channel_send_eof(channel);
  }

  CommandResult result;
  int exit_status = -1;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  Clock::time_point last_heard = start;  // the command's last output
  Clock::time_point last_sent = start;   // our last keepalive
  while (true) {
    bool progress = false;
    bool done = false;
    {
      MutexLock lock(mu_);
      Result<bool> drained = Drain(channel, result.out, result.err);
      if (!drained.ok()) {
        ssh_channel_free(channel);
        const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(
            Clock::now() - last_heard);
        if (keepalive_interval_.count() > 0 && silent >= keepalive_interval_) {
          return UnavailableError(fmt::format(
              "{} (no answer from the node for {} ms: cut off by a partition, or down?)",
              drained.status().message(), silent.count()));
        }
        return drained.status();
      }
      progress = *drained;
      if (!progress && ssh_channel_is_eof(channel)) {
        // Output is complete; the exit status follows. Pump packets without blocking.
        ssh_set_blocking(session_, 0);
        exit_status = ssh_channel_get_exit_status(channel);
        ssh_set_blocking(session_, 1);
        if (!ssh_is_connected(session_)) {
          Status s = Failure("connection lost waiting for the exit status");
          ssh_channel_free(channel);
          return s;
        }
        done =
            exit_status != -1 || exit_state.signal != 0 || ssh_channel_is_closed(channel);
      }
    }
    if (done) break;
    const Clock::time_point now = Clock::now();
    if (progress) last_heard = now;
    if (command_timeout_.count() > 0 && now - start >= command_timeout_) {
      release();
      return DeadlineExceededError(fmt::format(
          "ssh {}: the command did not finish within {} ms (the node may be cut off or "
          "overloaded, or the command stuck); its channel was closed",
          label_, command_timeout_.count()));
    }
    // Traffic the node must acknowledge: if it cannot (a partition), the socket's
    // TCP_USER_TIMEOUT fails the connection and the read above reports it.
    if (keepalive_interval_.count() > 0 &&
        now - std::max(last_heard, last_sent) >= keepalive_interval_) {
      MutexLock lock(mu_);
      if (ssh_send_ignore(session_, "keepalive") != SSH_OK) {
        Status s = Failure("sending a keepalive");
        ssh_channel_free(channel);
        return s;
      }
      last_sent = now;
    }
    if (!progress) WaitReadable(5);
  }
  release();
  if (exit_status != -1) {
    result.exit_code = exit_status;
  } else {
    // Killed by a signal (128 + n, as the shell reports it), or no status at all.
    result.exit_code = exit_state.signal != 0 ? 128 + exit_state.signal : -1;
  }
  return result;
}

}  // namespace jepsen
