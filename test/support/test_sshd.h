// TestSshd: a private OpenSSH server on 127.0.0.1 for integration tests of SSH code.
//
// It lives in a temp directory with its own host key, a client key that is authorized
// and one that is not, and listens on a free port. The destructor kills exactly the
// sshd it started and that sshd's descendants (by pid), also when a test fails; the
// child also gets PR_SET_PDEATHSIG so a crashed test leaves no server behind. sshd
// runs in a mount namespace of its own with an empty tmpfs on /root.
//
//   if (std::string why = TestSshd::CannotRun(); !why.empty()) { WARN(why); return; }
//   TestSshd sshd;
//   REQUIRE(sshd.Start() == "");
//
// Thread safety: none; drive it from the test's main thread.
#ifndef JEPSEN_TEST_SUPPORT_TEST_SSHD_H_
#define JEPSEN_TEST_SUPPORT_TEST_SSHD_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace jepsen::testing {

inline constexpr const char* kSshdPath = "/usr/sbin/sshd";

// A port on 127.0.0.1 that nothing listens on right now.
inline int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool LoopbackPortAccepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(fd);
  return ok;
}

// All descendants of `root` (not `root` itself), from /proc.
inline std::vector<int> Descendants(int root) {
  std::multimap<int, int> children;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + paren + 1, " %c %d", &state, &ppid) == 2) {
      children.emplace(ppid, std::stoi(name));
    }
  }
  std::vector<int> result;
  std::vector<int> todo{root};
  while (!todo.empty()) {
    const int p = todo.back();
    todo.pop_back();
    auto [b, e] = children.equal_range(p);
    for (auto it = b; it != e; ++it) {
      result.push_back(it->second);
      todo.push_back(it->second);
    }
  }
  return result;
}

class TestSshd {
 public:
  // Why the test cannot run here, or "" if it can.
  static std::string CannotRun() {
    if (::geteuid() != 0)
      return "SKIPPED: SSH integration tests need root (sshd runs as root)";
    if (::access(kSshdPath, X_OK) != 0) {
      return "SKIPPED: SSH integration tests need /usr/sbin/sshd (apt-get install "
             "openssh-server)";
    }
    if (std::system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
      return "SKIPPED: SSH integration tests need ssh-keygen";
    }
    if (std::system("unshare --mount true >/dev/null 2>&1") != 0) {
      return "SKIPPED: SSH integration tests need unshare --mount (for a private /root)";
    }
    return "";
  }

  TestSshd() : port_(FreeLoopbackPort()) {
    Keygen("host_key");
    Keygen("client_key");
    Keygen("wrong_key");
    std::filesystem::copy_file(dir_.File("client_key.pub"), dir_.File("authorized_keys"));
    std::ofstream cfg(dir_.File("sshd_config"));
    cfg << "Port " << port_ << "\n"
        << "ListenAddress 127.0.0.1\n"
        << "HostKey " << dir_.File("host_key") << "\n"
        << "PidFile " << dir_.File("sshd.pid") << "\n"
        << "UsePAM no\nStrictModes no\nPermitRootLogin yes\n"
        << "AuthorizedKeysFile " << dir_.File("authorized_keys") << "\n"
        << "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        << "Subsystem sftp internal-sftp\nLogLevel ERROR\n";
  }
  ~TestSshd() { Stop(); }

  // Before Start: sshd also takes passwords, and knows a user `name` (uid 4242, home in
  // the temp directory) whose password has the crypt(3) hash `hash` and who may sudo
  // anything with that password. The user exists only inside sshd's mount namespace:
  // /etc/passwd, /etc/shadow, /etc/group and /etc/sudoers are bind-mounted copies with
  // the user added, so the machine's own accounts never change.
  void AddPasswordUser(const std::string& name, const std::string& hash) {
    namespace fs = std::filesystem;
    const std::string home = dir_.File("home-" + name);
    fs::create_directories(home);
    (void)::chown(home.c_str(), 4242, 4242);
    auto copy_with = [&](const char* etc, const std::string& file, const std::string& line,
                         fs::perms perms) {
      std::string text = ReadFile(etc);
      if (!text.empty() && text.back() != '\n') text += '\n';
      std::ofstream(dir_.File(file)) << text << line << "\n";
      fs::permissions(dir_.File(file), perms);
      binds_ += "mount --bind '" + dir_.File(file) + "' " + etc + " && ";
    };
    using P = fs::perms;
    copy_with("/etc/passwd", "passwd", name + ":x:4242:4242::" + home + ":/bin/sh",
              P::owner_read | P::owner_write | P::group_read | P::others_read);
    copy_with("/etc/shadow", "shadow", name + ":" + hash + ":19000:0:99999:7:::",
              P::owner_read | P::owner_write);
    copy_with("/etc/group", "group", name + ":x:4242:",
              P::owner_read | P::owner_write | P::group_read | P::others_read);
    copy_with("/etc/sudoers", "sudoers", name + " ALL=(ALL:ALL) ALL",
              P::owner_read | P::group_read);
    std::ofstream(dir_.File("sshd_config"), std::ios::app)
        << "Match User " << name << "\n  PasswordAuthentication yes\n";
    // The tests' homes are under /tmp: sshd must be able to enter them as the user.
    fs::permissions(dir_.path(), P::owner_all | P::group_exec | P::others_exec);
  }
  TestSshd(const TestSshd&) = delete;
  TestSshd& operator=(const TestSshd&) = delete;

  // Starts sshd and waits until it accepts connections. Returns "" or why not.
  std::string Start() {
    std::error_code ec;
    std::filesystem::create_directories("/run/sshd", ec);  // sshd's privsep directory
    const std::string cfg = dir_.File("sshd_config");
    const std::string log = dir_.File("sshd.log");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      // The host's /root/.bashrc is slow (and bash sources it for commands run by
      // sshd), so sshd gets a private, empty /root in its own mount namespace.
      const std::string script =
          std::string("mount -t tmpfs jepsen-test-root /root && ") + binds_ + "exec " + kSshdPath +
          " -D -e -f '" + cfg + "'";
      ::execlp("unshare", "unshare", "--mount", "sh", "-c", script.c_str(),
               static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (LoopbackPortAccepts(port_)) return "";
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "sshd exited: " + ReadFile(log);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    return "sshd did not accept connections within 10 s: " + ReadFile(log);
  }

  // Kills the sshd and every process it started (open sessions included), by pid.
  void Stop() {
    if (pid_ <= 0) return;
    for (int child : Descendants(pid_)) ::kill(child, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // Connections open now: sshd forks one process per connection.
  int ConnectionCount() const {
    int n = 0;
    for (int p : Descendants(pid_)) {
      std::ifstream in("/proc/" + std::to_string(p) + "/stat");
      std::string stat((std::istreambuf_iterator<char>(in)),
                       std::istreambuf_iterator<char>());
      const size_t paren = stat.rfind(')');
      int ppid = 0;
      char state = 0;
      if (paren != std::string::npos &&
          std::sscanf(stat.c_str() + paren + 1, " %c %d", &state, &ppid) == 2 &&
          ppid == pid_) {
        ++n;
      }
    }
    return n;
  }

  int port() const { return port_; }
  const TempDir& dir() const { return dir_; }
  std::string client_key() const { return dir_.File("client_key"); }
  std::string wrong_key() const { return dir_.File("wrong_key"); }
  // A known_hosts line for this server, as ssh-keyscan would print it.
  std::string KnownHostsLine() const {
    return "[127.0.0.1]:" + std::to_string(port_) + " " +
           ReadFile(dir_.File("host_key.pub"));
  }

 private:
  void Keygen(const std::string& name) {
    const std::string cmd = "ssh-keygen -q -t ed25519 -N '' -C jepsen-test -f '" +
                            dir_.File(name) + "' </dev/null >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::abort();
  }

  TempDir dir_;
  std::string binds_;  // mount --bind commands run before sshd (AddPasswordUser)
  int port_;
  int pid_ = -1;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_TEST_SSHD_H_
