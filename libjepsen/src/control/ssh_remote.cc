// SshRemoteImpl: the retry policy around SshConnection.
//
// Invariants:
// - At most one live connection per remote; a broken one is replaced by the first
//   thread that needs it, while commands still running on the old one finish or fail
//   on their own (they hold it through a shared_ptr).
// - A command is retried only if its exec request was never sent. Transfers are
//   idempotent (the destination is overwritten), so a broken transfer is redone whole.
// - Permanent failures (host key, authentication) are returned at once, not retried.
// - At most kMaxChannels channels are open at once, below OpenSSH's default
//   MaxSessions (10), so a burst of commands waits here instead of being refused.
#include "jepsen/ssh_remote.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <semaphore>
#include <string_view>
#include <thread>
#include <utility>

#include "control/annotated_mutex.h"
#include "control/ssh_connection.h"
#include "control/ssh_sftp.h"
#include "jepsen/log.h"
#include "jepsen/random.h"
#include "jepsen/test.h"

namespace jepsen {
namespace {

// The prefix Command renders for sudo; such commands read the sudo password first.
constexpr std::string_view kSudoPrefix = "sudo -k -S -p '' ";
constexpr std::ptrdiff_t kMaxChannels = 8;

// The command as shown in messages: long ones are cut.
std::string Shown(const std::string& command) {
  constexpr size_t kMax = 200;
  if (command.size() <= kMax) return command;
  return command.substr(0, kMax) + "...";
}

class SshRemoteImpl final : public SshRemote {
 public:
  explicit SshRemoteImpl(SshRemoteOptions options)
      : options_(std::move(options)), label_(SshLabel(options_)), rng_(options_.seed) {}

  // Connects now, with retries.
  Status Connect() {
    Status last;
    for (int attempt = 0; attempt < options_.tries; ++attempt) {
      if (attempt > 0) Backoff(attempt - 1, last);
      Result<std::shared_ptr<SshConnection>> c = Connection();
      if (c.ok()) return OkStatus();
      if (c.status().code() != StatusCode::kUnavailable) return c.status();
      last = c.status();
    }
    return GiveUp(last);
  }

  Result<CommandResult> Exec(const std::string& command) override {
    return ExecWithInput(command, "");
  }

  Result<CommandResult> ExecWithInput(const std::string& command,
                                      std::string_view input) override {
    std::string stdin_data;
    // Root is never asked for a password, so the line would reach the command.
    if (!options_.sudo_password.empty() && options_.username != "root" &&
        command.starts_with(kSudoPrefix)) {
      stdin_data = options_.sudo_password + "\n";
    }
    stdin_data.append(input);
    ChannelSlot slot(channels_);
    Status last;
    for (int attempt = 0; attempt < options_.tries; ++attempt) {
      if (attempt > 0) Backoff(attempt - 1, last);
      Result<std::shared_ptr<SshConnection>> c = Connection();
      if (!c.ok()) {
        if (c.status().code() != StatusCode::kUnavailable) return c.status();
        last = c.status();
        continue;
      }
      bool may_have_run = false;
      Result<CommandResult> r = (*c)->Exec(command, stdin_data, &may_have_run);
      if (r.ok()) return r;
      if (r.status().code() == StatusCode::kDeadlineExceeded) {
        return DeadlineExceededError(fmt::format(
            "{}; the command `{}` may still be running, so it was not retried",
            r.status().message(), Shown(command)));
      }
      if (may_have_run) {
        return UnavailableError(
            fmt::format("{}; the command `{}` may have run, so it was not retried",
                        r.status().message(), Shown(command)));
      }
      last = r.status();
    }
    return GiveUp(last);
  }

  Status Upload(const std::string& local_path, const std::string& remote_path) override {
    return Transfer(
        [&](SshConnection& c) { return SftpUpload(c, local_path, remote_path); });
  }

  Status Download(const std::string& remote_path,
                  const std::string& local_path) override {
    return Transfer(
        [&](SshConnection& c) { return SftpDownload(c, remote_path, local_path); });
  }

 private:
  // Holds one of kMaxChannels channel slots for its scope.
  class ChannelSlot {
   public:
    explicit ChannelSlot(std::counting_semaphore<kMaxChannels>& s) : s_(s) {
      s_.acquire();
    }
    ~ChannelSlot() { s_.release(); }
    ChannelSlot(const ChannelSlot&) = delete;
    ChannelSlot& operator=(const ChannelSlot&) = delete;

   private:
    std::counting_semaphore<kMaxChannels>& s_;
  };

  template <typename F>
  Status Transfer(F&& copy) {
    ChannelSlot slot(channels_);
    Status last;
    for (int attempt = 0; attempt < options_.tries; ++attempt) {
      if (attempt > 0) Backoff(attempt - 1, last);
      Result<std::shared_ptr<SshConnection>> c = Connection();
      Status s = c.ok() ? copy(**c) : c.status();
      if (s.code() != StatusCode::kUnavailable) return s;
      last = s;
    }
    return GiveUp(last);
  }

  // The live connection, opening a new one (one attempt) if there is none or it broke.
  Result<std::shared_ptr<SshConnection>> Connection() EXCLUDES(mu_) {
    MutexLock lock(mu_);
    if (connection_ != nullptr && !connection_->broken()) return connection_;
    if (connection_ != nullptr && options_.logger != nullptr) {
      options_.logger->Warn("ssh {}: connection lost, reconnecting", label_);
    }
    connection_.reset();
    JEPSEN_ASSIGN_OR_RETURN(std::unique_ptr<SshConnection> c,
                            SshConnection::Open(options_));
    connection_ = std::move(c);
    return connection_;
  }

  // Sleeps before the retry that follows failed attempt `k` (0-based).
  void Backoff(int k, const Status& why) EXCLUDES(rng_mu_) {
    const int64_t initial = std::max<int64_t>(1, options_.backoff_initial.count());
    const int64_t cap = std::max<int64_t>(initial, options_.backoff_max.count());
    const int64_t d = std::min<int64_t>(cap, initial << std::min(k, 20));
    int64_t ms = 0;
    {
      MutexLock lock(rng_mu_);
      ms = rng_.UniformIn(d / 2, d);
    }
    if (options_.logger != nullptr) {
      options_.logger->Warn("{}; retrying in {} ms", why.message(), ms);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  }

  Status GiveUp(const Status& last) const {
    return UnavailableError(
        fmt::format("giving up after {} tries: {}", options_.tries, last.message()));
  }

  const SshRemoteOptions options_;
  const std::string label_;
  std::counting_semaphore<kMaxChannels> channels_{kMaxChannels};

  Mutex mu_;
  // shared_ptr: a command in flight keeps its connection alive while another thread
  // replaces a broken one.
  std::shared_ptr<SshConnection> connection_ GUARDED_BY(mu_);

  Mutex rng_mu_;
  Random rng_ GUARDED_BY(rng_mu_);
};

}  // namespace

Result<std::unique_ptr<Remote>> OpenSshRemote(const SshRemoteOptions& options) {
  if (options.host.empty()) return InvalidArgumentError("ssh: no host given");
  if (options.port < 1 || options.port > 65535) {
    return InvalidArgumentError(
        fmt::format("ssh {}: bad port {}", options.host, options.port));
  }
  if (options.command_timeout.count() < 0 || options.keepalive_interval.count() < 0 ||
      options.keepalive_count < 1) {
    return InvalidArgumentError(fmt::format(
        "ssh {}: command_timeout and keepalive_interval must not be negative, "
        "keepalive_count must be at least 1",
        options.host));
  }
  if (options.tries < 1) {
    return InvalidArgumentError(
        fmt::format("ssh {}: tries must be at least 1", options.host));
  }
  auto remote = std::make_unique<SshRemoteImpl>(options);
  JEPSEN_RETURN_IF_ERROR(remote->Connect());
  return std::unique_ptr<Remote>(std::move(remote));
}

Result<std::unique_ptr<Remote>> OpenSshRemote(const SshOptions& ssh,
                                              const std::string& host, uint64_t seed,
                                              Logger* logger) {
  return OpenSshRemote(
      SshRemoteOptions{.host = host,
                       .port = ssh.port,
                       .username = ssh.username,
                       .password = ssh.password,
                       .private_key = ssh.private_key,
                       .sudo_password = ssh.sudo_password,
                       .strict_host_key_checking = ssh.strict_host_key_checking,
                       .known_hosts = ssh.known_hosts,
                       .command_timeout = ssh.command_timeout,
                       .seed = seed,
                       .logger = logger});
}

SshRemote* AsSshRemote(Remote& remote) { return dynamic_cast<SshRemote*>(&remote); }

}  // namespace jepsen
