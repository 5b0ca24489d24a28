// Integration tests of the libssh remote against a private sshd on 127.0.0.1.
// They need root and /usr/sbin/sshd, and skip with a warning otherwise.
#include "jepsen/ssh_remote.h"

#include "jepsen/control/command.h"

#include <pwd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"
#include "support/test_sshd.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::TestSshd;
using testing::WriteFile;

#define SKIP_UNLESS_SSHD_CAN_RUN()                               \
  do {                                                           \
    if (std::string why = TestSshd::CannotRun(); !why.empty()) { \
      WARN(why);                                                 \
      return;                                                    \
    }                                                            \
  } while (false)

SshRemoteOptions Options(const TestSshd& sshd) {
  return SshRemoteOptions{.host = "127.0.0.1",
                          .port = sshd.port(),
                          .private_key = sshd.client_key(),
                          .connect_timeout = 5s,
                          .backoff_initial = 20ms,
                          .backoff_max = 200ms,
                          .seed = 7};
}

std::unique_ptr<Remote> MustOpen(const SshRemoteOptions& options) {
  Result<std::unique_ptr<Remote>> r = OpenSshRemote(options);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(*r);
}

std::string Bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i < 256 ? i : rng() & 0xff);
  return s;
}

TEST_CASE("An SSH remote reports a command's stdout, stderr and exit code",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  std::unique_ptr<Remote> remote = MustOpen(Options(sshd));

  Result<CommandResult> r = remote->Exec("echo out; echo err >&2; exit 3");
  REQUIRE(r.ok());
  CHECK(r->out == "out\n");
  CHECK(r->err == "err\n");
  CHECK(r->exit_code == 3);

  r = remote->Exec("true");
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out.empty());

  // More than the channel window, on both streams at once.
  r = remote->Exec("head -c 3000000 /dev/zero; head -c 1000000 /dev/zero >&2");
  REQUIRE(r.ok());
  CHECK(r->out.size() == 3000000);
  CHECK(r->err.size() == 1000000);

  // A death by signal reads as the shell reports it.
  r = remote->Exec("kill -9 $$");
  REQUIRE(r.ok());
  CHECK(r->exit_code == 128 + 9);

  SshRemote* ssh = AsSshRemote(*remote);
  REQUIRE(ssh != nullptr);
  const std::string input = Bytes(200000, 1);
  r = ssh->ExecWithInput("cat", input);
  REQUIRE(r.ok());
  CHECK(r->out == input);
}

TEST_CASE("An SSH remote runs commands from 8 threads at once over one connection",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  std::unique_ptr<Remote> remote = MustOpen(Options(sshd));
  TempDir barrier;

  // Each command waits on the node until all 8 have started: it can only finish if
  // the 8 really run at the same time (else it gives up after 30 s and exits 1).
  std::atomic<int> wrong{0};
  std::atomic<int> connections{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string dir = barrier.path().string();
      Result<CommandResult> r = remote->Exec(
          "touch " + dir + "/" + std::to_string(t) + "; i=0; while [ $(ls " + dir +
          " | wc -l) -lt 8 ]; do i=$((i+1)); [ $i -gt 600 ] && exit 1; sleep 0.05; done; "
          "echo " +
          std::to_string(t));
      if (!r.ok() || r->out != std::to_string(t) + "\n" || r->exit_code != 0) ++wrong;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong.load() == 0);

  // Many short commands from 8 threads, each with its own output and exit code.
  threads.clear();
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string word = std::to_string(t * 100 + i);
        Result<CommandResult> r = remote->Exec("echo " + word + "; echo e" + word +
                                               " >&2; exit " + std::to_string(i));
        if (!r.ok() || r->out != word + "\n" || r->err != "e" + word + "\n" ||
            r->exit_code != i) {
          ++wrong;
        }
        if (i == 5) connections.store(sshd.ConnectionCount());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong.load() == 0);
  CHECK(connections.load() == 1);
}

TEST_CASE("An SSH remote uploads and downloads files and directories byte for byte",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  std::unique_ptr<Remote> remote = MustOpen(Options(sshd));
  TempDir local;
  TempDir node;  // the "remote" side: sshd runs on this machine

  const std::string content = Bytes(300000, 2);
  WriteFile(local.File("blob"), content);
  ::chmod(local.File("blob").c_str(), 0750);
  REQUIRE(remote->Upload(local.File("blob"), node.File("blob")).ok());
  CHECK(ReadFile(node.File("blob")) == content);
  CHECK((fs::status(node.File("blob")).permissions() & fs::perms::mask) ==
        static_cast<fs::perms>(0750));
  REQUIRE(remote->Download(node.File("blob"), local.File("blob.back")).ok());
  CHECK(ReadFile(local.File("blob.back")) == content);

  fs::create_directories(local.path() / "tree" / "sub" / "deeper");
  WriteFile(local.File("tree/a"), Bytes(1000, 3));
  WriteFile(local.File("tree/sub/b"), "");
  WriteFile(local.File("tree/sub/deeper/c"), Bytes(70000, 4));
  ::chmod(local.File("tree/sub/deeper/c").c_str(), 0700);
  REQUIRE(remote->Upload(local.File("tree"), node.File("tree")).ok());
  CHECK(ReadFile(node.File("tree/a")) == Bytes(1000, 3));
  CHECK(ReadFile(node.File("tree/sub/deeper/c")) == Bytes(70000, 4));
  CHECK((fs::status(node.File("tree/sub/deeper/c")).permissions() & fs::perms::mask) ==
        static_cast<fs::perms>(0700));

  fs::create_symlink("a", node.path() / "tree" / "link");
  REQUIRE(remote->Download(node.File("tree"), local.File("back")).ok());
  CHECK(ReadFile(local.File("back/a")) == Bytes(1000, 3));
  CHECK(fs::exists(local.path() / "back" / "sub" / "b"));
  CHECK(ReadFile(local.File("back/sub/deeper/c")) == Bytes(70000, 4));
  CHECK(fs::read_symlink(local.path() / "back" / "link") == "a");

  Status missing = remote->Download(node.File("nope"), local.File("nope"));
  CHECK(missing.code() == StatusCode::kNotFound);
}

TEST_CASE("Strict host key checking rejects an unknown host and accepts a known one",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  TempDir dir;
  SshRemoteOptions options = Options(sshd);
  options.strict_host_key_checking = true;
  options.known_hosts = dir.File("known_hosts");

  WriteFile(options.known_hosts, "");
  Result<std::unique_ptr<Remote>> r = OpenSshRemote(options);
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
  const std::string entry = "[127.0.0.1]:" + std::to_string(sshd.port());
  CHECK_THAT(r.status().message(),
             Catch::Contains("host " + entry + " is not in " + options.known_hosts));
  CHECK_THAT(r.status().message(), Catch::Contains("ssh-keyscan"));

  WriteFile(options.known_hosts, sshd.KnownHostsLine());
  r = OpenSshRemote(options);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK((*r)->Exec("true").ok());

  // Off: any key is accepted, and known_hosts is left alone.
  options.strict_host_key_checking = false;
  WriteFile(options.known_hosts, "");
  CHECK(OpenSshRemote(options).ok());
  CHECK(ReadFile(options.known_hosts).empty());
}

TEST_CASE("An SSH remote with a key the node does not accept fails at once and says so",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  SshRemoteOptions options = Options(sshd);
  options.private_key = sshd.wrong_key();
  options.backoff_initial = 2s;  // a retry would show in the elapsed time
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Remote>> r = OpenSshRemote(options);
  REQUIRE(!r.ok());
  CHECK(std::chrono::steady_clock::now() - start < 1s);
  CHECK(r.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(r.status().message(), Catch::Contains("authentication refused"));
  CHECK_THAT(r.status().message(), Catch::Contains(sshd.wrong_key()));

  options.private_key = sshd.dir().File("no-such-key");
  r = OpenSshRemote(options);
  REQUIRE(!r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("cannot read private key"));

  // A refused password never appears in the message.
  options.private_key = sshd.wrong_key();
  options.password = "hunter2-secret";
  r = OpenSshRemote(options);
  REQUIRE(!r.ok());
  CHECK_THAT(r.status().message(), !Catch::Contains("hunter2-secret"));
}

// In a child process with a private mount namespace whose home is a fresh tmpfs, its
// ~/.ssh holding `key` as id_ed25519 (none when empty): whether a login with no private_key
// (the default keys) runs a command, as an exit code: 0 it did, 1 refused with a
// message naming the default keys, 2 anything else, 3 the namespace could not be made.
int DefaultKeyLogin(const TestSshd& sshd, const std::string& key) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::unsetenv("SSH_AUTH_SOCK");  // no agent: only the files count
    // libssh finds ~ through the password database; a tmpfs over it hides the real
    // home (and changes nothing outside this process).
    struct passwd* pw = ::getpwuid(::getuid());
    std::string home = pw != nullptr ? pw->pw_dir : "/root";
    std::string ssh_dir = home + "/.ssh";
    std::error_code ec;
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", home.c_str(), "tmpfs", 0, "mode=700") != 0 ||
        !fs::create_directories(ssh_dir, ec)) {
      ::_exit(3);
    }
    if (!key.empty()) {
      fs::copy_file(key, ssh_dir + "/id_ed25519", ec);
      ::chmod((ssh_dir + "/id_ed25519").c_str(), 0600);
    }
    SshRemoteOptions options = Options(sshd);
    options.private_key.clear();
    Result<std::unique_ptr<Remote>> r = OpenSshRemote(options);
    if (!r.ok()) {
      ::_exit(r.status().message().find("the default keys (~/.ssh/id_ed25519") != std::string::npos ? 1 : 2);
    }
    Result<CommandResult> out = (*r)->Exec("echo default");
    ::_exit(out.ok() && out->out == "default\n" ? 0 : 2);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

TEST_CASE("An SSH remote without a key file logs in with the default keys", "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  CHECK(DefaultKeyLogin(sshd, sshd.client_key()) == 0);
  CHECK(DefaultKeyLogin(sshd, sshd.wrong_key()) == 1);
  CHECK(DefaultKeyLogin(sshd, "") == 1);
}

TEST_CASE("Connecting where no sshd listens fails after the retries with kUnavailable",
          "[ssh][integration]") {
  SshRemoteOptions options{.host = "127.0.0.1",
                           .port = testing::FreeLoopbackPort(),
                           .private_key = "/nonexistent",
                           .connect_timeout = 2s,
                           .backoff_initial = 50ms,
                           .backoff_max = 400ms};
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<Remote>> r = OpenSshRemote(options);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("giving up after 5 tries"));
  // Four backoffs of at least 25, 50, 100, 200 ms, at most 50 + 100 + 200 + 400.
  CHECK(elapsed >= 375ms);
  CHECK(elapsed < 10s);  // bounded: a refused connect is quick, the backoffs are capped
}

TEST_CASE("An SSH remote reconnects after its sshd is killed, but never reruns a command",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  std::unique_ptr<Remote> remote = MustOpen(Options(sshd));
  TempDir dir;
  const std::string marker = dir.File("runs");

  // A command in flight when the connection dies: reported, not retried.
  std::thread killer([&] {
    // Once the command has started (the marker exists), kill the server under it.
    for (int i = 0; i < 500 && !fs::exists(marker); ++i) std::this_thread::sleep_for(20ms);
    sshd.Stop();
  });
  Result<CommandResult> r = remote->Exec("echo x >> " + marker + "; sleep 5");
  killer.join();
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("may have run"));
  CHECK(ReadFile(marker) == "x\n");

  // The next command reconnects to the restarted server.
  REQUIRE(sshd.Start() == "");
  r = remote->Exec("echo again");
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->out == "again\n");
  CHECK(ReadFile(marker) == "x\n");
}

// The password of the user AddPasswordUser makes, and its SHA-512 crypt(3) hash (salt
// "jepsentestsalt"), fixed so the test needs no hashing tool.
constexpr char kUserPassword[] = "correct horse battery";
constexpr char kUserHash[] =
    "$6$jepsentestsalt$cnwBW5W54rw5YYqwhlQ3YnWJMAcdeK2EYkCQAmGgg3HRVvImkwng44i9KOxCnpPfCT3Sc"
    "Wt.kJsmFdxrN6AlS1";

TEST_CASE("An SSH remote logs in with a password and runs sudo with its password on stdin",
          "[ssh][integration]") {
  SKIP_UNLESS_SSHD_CAN_RUN();
  if (::access("/usr/bin/sudo", X_OK) != 0) {
    WARN("SKIPPED: needs /usr/bin/sudo (apt-get install sudo; scripts/install-deps does)");
    return;
  }
  TestSshd sshd;
  sshd.AddPasswordUser("jepsen", kUserHash);
  REQUIRE(sshd.Start() == "");
  SshRemoteOptions o = Options(sshd);
  o.username = "jepsen";
  o.private_key = sshd.wrong_key();  // refused: the password must do it
  o.password = kUserPassword;
  std::unique_ptr<Remote> remote = MustOpen(o);
  Result<CommandResult> r = remote->Exec("id -un");
  REQUIRE(r.ok());
  CHECK(r->out == "jepsen\n");

  // Without a sudo password, sudo (asked with -k, so nothing cached helps) refuses.
  Command whoami{.argv = {"id", "-u"}, .sudo = true};
  r = remote->Exec(whoami.Render());
  REQUIRE(r.ok());
  CHECK(r->exit_code != 0);

  // With it, sudo reads the password from stdin and the command runs as root; sudo
  // consumes the password line, so none of it reaches the command's stdin.
  o.sudo_password = kUserPassword;
  remote = MustOpen(o);
  r = remote->Exec(whoami.Render());
  REQUIRE(r.ok());
  CHECK(r->out == "0\n");
  CHECK(r->exit_code == 0);
  Command cat{.argv = {"cat"}, .sudo = true};
  r = remote->Exec(cat.Render());
  REQUIRE(r.ok());
  CHECK(r->exit_code == 0);
  CHECK(r->out.empty());
  // The password is never part of a command line (ps would show it to every user).
  CHECK_THAT(whoami.Render() + cat.Render(), !Catch::Contains(kUserPassword));

  // A wrong sudo password fails the command, and the error does not repeat it.
  o.sudo_password = "not the password";
  remote = MustOpen(o);
  r = remote->Exec(whoami.Render());
  REQUIRE(r.ok());
  CHECK(r->exit_code != 0);
  CHECK(r->out.empty());
  CHECK_THAT(r->err, !Catch::Contains("not the password"));

  // A wrong login password is refused at once, without the password in the message.
  o.password = "wrong horse";
  Result<std::unique_ptr<Remote>> refused = OpenSshRemote(o);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(std::string(refused.status().message()), !Catch::Contains("wrong horse"));
}

}  // namespace
}  // namespace jepsen
