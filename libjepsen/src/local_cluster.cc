#include "jepsen/local_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/control/process.h"

namespace jepsen {
namespace fs = std::filesystem;
namespace {

// True if any process on this machine sees a mount at `path` (its mountinfo's fifth
// field), e.g. the node of another local cluster using the same data path.
bool MountedInAnyNamespace(const std::string& path) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/proc", ec)) {
    const std::string pid = e.path().filename().string();
    if (pid.empty() || !std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    std::ifstream in(e.path() / "mountinfo");
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string id, parent, dev, root, mount_point;
      if (fields >> id >> parent >> dev >> root >> mount_point && mount_point == path) {
        return true;
      }
    }
  }
  return false;
}

using namespace std::chrono_literals;

std::string NodeName(int i) { return fmt::format("n{}", i); }
std::string Netns(const LocalClusterOptions& o, int i) { return fmt::format("{}-n{}", o.name, i); }
std::string HostVeth(const LocalClusterOptions& o, int i) { return fmt::format("{}v{}", o.name, i); }
std::string Bridge(const LocalClusterOptions& o) { return o.name + "br"; }
std::string Address(const LocalClusterOptions& o, int i) { return fmt::format("{}.{}", o.subnet, i); }
fs::path NodeDir(const LocalClusterOptions& o, int i) { return fs::path(o.dir) / NodeName(i); }

// Runs a host command; a nonzero exit is an error naming the command.
Status Host(const std::vector<std::string>& argv) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, RunProcess(argv, {.timeout = 30s}));
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : argv) cmd += (cmd.empty() ? "" : " ") + ShellQuote(a);
    return CommandError(cmd, r);
  }
  return OkStatus();
}

// Runs a host command whose failure does not matter (cleanup of what may not exist).
void HostQuietly(const std::vector<std::string>& argv) { (void)RunProcess(argv, {.timeout = 30s}); }

Status WriteText(const fs::path& path, const std::string& text, fs::perms perms = fs::perms(0644)) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IoError(fmt::format("cannot write {}", path.string()));
  std::error_code ec;
  fs::permissions(path, perms, ec);
  return OkStatus();
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first child of `pid` (the node's init under `unshare --fork`), or -1.
int FirstChild(int pid) {
  std::istringstream children(ReadText(fmt::format("/proc/{}/task/{}/children", pid, pid)));
  int child = -1;
  children >> child;
  return child;
}

// `s` is `prefix` followed by a node number ("jepsen-n3" for "jepsen-n"), so that down
// never takes another cluster's "jepsen-nx-n1" or "jepsenv1v2" for its own.
bool PrefixThenNumber(std::string_view s, std::string_view prefix) {
  if (s.size() <= prefix.size() || s.substr(0, prefix.size()) != prefix) return false;
  return std::all_of(s.begin() + static_cast<long>(prefix.size()), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// True if `pid` runs (a zombie waiting to be reaped does not count).
bool Alive(int pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::string stat = ReadText(fmt::format("/proc/{}/stat", pid));
  size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

int ReadPid(const fs::path& path) {
  std::istringstream in(ReadText(path));
  int pid = -1;
  in >> pid;
  return pid;
}

// True once something accepts TCP connections at address:port.
bool CanConnect(const std::string& address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, address.c_str(), &sa.sin_addr);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
  bool ok = rc == 0;
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, 200) == 1) {
      int err = 0;
      socklen_t len = sizeof(err);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      ok = err == 0;
    }
  }
  ::close(fd);
  return ok;
}

std::string SshdConfig(const LocalClusterOptions& o, int i) {
  fs::path node = NodeDir(o, i);
  return fmt::format(
      "# sshd of local node {name}, generated by jepsen\n"
      "Port 22\n"
      "ListenAddress {address}\n"
      "HostKey {node}/ssh_host_ed25519_key\n"
      "PidFile {node}/sshd.pid\n"
      "AuthorizedKeysFile {dir}/authorized_keys\n"
      "PermitRootLogin prohibit-password\n"
      "PasswordAuthentication no\n"
      "KbdInteractiveAuthentication no\n"
      "UsePAM no\n"
      "StrictModes no\n"
      "UseDNS no\n"
      "PrintMotd no\n"
      "Subsystem sftp internal-sftp\n",
      fmt::arg("name", NodeName(i)), fmt::arg("address", Address(o, i)),
      fmt::arg("node", node.string()), fmt::arg("dir", o.dir));
}

// What runs as the node's first process, inside its new PID, UTS and mount
// namespaces: name the node, mount its private directories, become its sshd.
std::string InitScript(const LocalClusterOptions& o, int i) {
  fs::path node = NodeDir(o, i);
  return fmt::format(
      "set -e\n"
      "hostname {name}\n"
      "mount --bind {node}/data {data}\n"
      "mount --bind {node}/root /root\n"
      "mount --bind {node}/hosts /etc/hosts\n"
      "mkdir -p /run/sshd\n"
      "exec /usr/sbin/sshd -D -e -f {node}/sshd_config\n",
      fmt::arg("name", NodeName(i)), fmt::arg("node", ShellQuote(node.string())),
      fmt::arg("data", ShellQuote(o.data_path)));
}

std::string Signature(const LocalClusterOptions& o) {
  return fmt::format("nodes={} subnet={} name={} data_path={}\n", o.nodes, o.subnet, o.name,
                     o.data_path);
}

Status Validate(const LocalClusterOptions& o) {
  if (geteuid() != 0) {
    return FailedPreconditionError("a local cluster needs root (network namespaces, mounts)");
  }
  if (o.nodes < 1 || o.nodes > 250) return InvalidArgumentError("a local cluster has 1 to 250 nodes");
  if (o.name.empty() || o.name.size() > 10) {
    return InvalidArgumentError("the cluster name must have 1 to 10 characters");
  }
  in_addr probe{};
  if (inet_pton(AF_INET, (o.subnet + ".1").c_str(), &probe) != 1) {
    return InvalidArgumentError(fmt::format("subnet '{}' is not three octets like 10.77.0", o.subnet));
  }
  return OkStatus();
}

Status StartNode(const LocalClusterOptions& o, int i, const std::string& hosts) {
  fs::path node = NodeDir(o, i);
  for (const char* sub : {"data", "root"}) fs::create_directories(node / sub);
  JEPSEN_RETURN_IF_ERROR(WriteText(node / "hosts", hosts));
  JEPSEN_RETURN_IF_ERROR(WriteText(node / "sshd_config", SshdConfig(o, i)));
  if (!fs::exists(node / "ssh_host_ed25519_key")) {
    JEPSEN_RETURN_IF_ERROR(Host({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C",
                                 NodeName(i), "-f", (node / "ssh_host_ed25519_key").string()}));
  }
  std::string ns = Netns(o, i), veth = HostVeth(o, i);
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "netns", "add", ns}));
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0",
                               "netns", ns}));
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "link", "set", veth, "master", Bridge(o), "up"}));
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "-n", ns, "addr", "add", Address(o, i) + "/24", "dev", "eth0"}));
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "-n", ns, "link", "set", "eth0", "up"}));
  JEPSEN_RETURN_IF_ERROR(Host({"ip", "-n", ns, "link", "set", "lo", "up"}));
  JEPSEN_ASSIGN_OR_RETURN(
      int pid, SpawnDetached({"ip", "netns", "exec", ns, "unshare", "--pid", "--fork",
                              "--mount-proc", "--uts", "--mount", "--propagation", "private",
                              "--", "sh", "-c", InitScript(o, i)},
                             (node / "init.log").string()));
  return WriteText(node / "init.pid", std::to_string(pid) + "\n");
}

}  // namespace

Result<LocalCluster> LocalClusterStatus(const LocalClusterOptions& o) {
  LocalCluster c{.options = o,
                 .key_path = (fs::path(o.dir) / "id_ed25519").string(),
                 .nodes_file = (fs::path(o.dir) / "nodes").string()};
  for (int i = 1; i <= o.nodes; ++i) {
    LocalNode n{.name = NodeName(i), .address = Address(o, i)};
    int unshare_pid = ReadPid(NodeDir(o, i) / "init.pid");
    if (Alive(unshare_pid)) n.pid = FirstChild(unshare_pid);
    n.up = Alive(n.pid) && fs::exists("/run/netns/" + Netns(o, i));
    c.nodes.push_back(n);
  }
  return c;
}

Result<LocalClusterOptions> ReadLocalClusterOptions(const std::string& dir) {
  fs::path record = fs::path(dir) / "cluster";
  if (!fs::exists(record)) {
    return NotFoundError(fmt::format("no local cluster in {} (no {})", dir, record.string()));
  }
  LocalClusterOptions o{.dir = dir};
  std::istringstream words(ReadText(record));
  std::string word;
  int seen = 0;
  while (words >> word) {
    size_t eq = word.find('=');
    std::string key = word.substr(0, eq), value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (key == "nodes") {
      o.nodes = std::atoi(value.c_str());
    } else if (key == "subnet") {
      o.subnet = value;
    } else if (key == "name") {
      o.name = value;
    } else if (key == "data_path") {
      o.data_path = value;
    } else {
      continue;
    }
    ++seen;
  }
  if (seen != 4 || o.nodes < 1) {
    return InvalidArgumentError(fmt::format("{} is not a local cluster record", record.string()));
  }
  return o;
}

Result<LocalCluster> LocalClusterUp(const LocalClusterOptions& o) {
  JEPSEN_RETURN_IF_ERROR(Validate(o));
  fs::path dir(o.dir);
  if (ReadText(dir / "cluster") == Signature(o)) {
    JEPSEN_ASSIGN_OR_RETURN(LocalCluster running, LocalClusterStatus(o));
    bool all_up = std::all_of(running.nodes.begin(), running.nodes.end(),
                              [](const LocalNode& n) { return n.up; });
    if (all_up) return running;  // reuse
  }
  // Whatever is there (another size, half up) goes first.
  JEPSEN_RETURN_IF_ERROR(LocalClusterDown(o));
  auto fail = [&](const Status& s) -> Status {
    (void)LocalClusterDown(o);
    return s.WithContext("bringing up the local cluster");
  };
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::create_directories(o.data_path, ec);  // the mount point, empty on the host
  if (ec) return fail(IoError(fmt::format("cannot create {}: {}", o.data_path, ec.message())));
  if (Status s = WriteText(dir / "cluster", Signature(o)); !s.ok()) return fail(s);
  if (Status s = Host({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "jepsen-local-cluster",
                       "-f", (dir / "id_ed25519").string()});
      !s.ok()) {
    return fail(s);
  }
  fs::copy_file(dir / "id_ed25519.pub", dir / "authorized_keys",
                fs::copy_options::overwrite_existing, ec);
  std::string hosts = "127.0.0.1 localhost\n";
  std::string nodes_file;
  for (int i = 1; i <= o.nodes; ++i) {
    hosts += fmt::format("{} {}\n", Address(o, i), NodeName(i));
    nodes_file += fmt::format("{} {}\n", NodeName(i), Address(o, i));
  }
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"ip", "link", "add", Bridge(o), "type", "bridge"},
           {"ip", "addr", "add", o.subnet + ".254/24", "dev", Bridge(o)},
           {"ip", "link", "set", Bridge(o), "up"}}) {
    if (Status s = Host(argv); !s.ok()) return fail(s);
  }
  for (int i = 1; i <= o.nodes; ++i) {
    if (Status s = StartNode(o, i, hosts); !s.ok()) return fail(s.WithContext(NodeName(i)));
  }
  // Every node's sshd must answer before the cluster is up.
  auto deadline = std::chrono::steady_clock::now() + 15s;
  for (int i = 1; i <= o.nodes; ++i) {
    while (!CanConnect(Address(o, i), 22)) {
      if (std::chrono::steady_clock::now() > deadline) {
        return fail(UnavailableError(fmt::format(
            "{}'s sshd did not come up; see {}", NodeName(i), (NodeDir(o, i) / "init.log").string())));
      }
      std::this_thread::sleep_for(20ms);
    }
  }
  if (Status s = WriteText(dir / "nodes", nodes_file); !s.ok()) return fail(s);
  return LocalClusterStatus(o);
}

Status LocalClusterDown(const LocalClusterOptions& o) {
  if (geteuid() != 0) return FailedPreconditionError("taking a local cluster down needs root");
  // Processes first: killing a PID namespace's init kills every process in it, which
  // also drops the namespace's mounts.
  for (int i = 1; i <= 250; ++i) {
    fs::path pid_file = NodeDir(o, i) / "init.pid";
    if (!fs::exists(pid_file)) {
      if (i > o.nodes) break;
      continue;
    }
    int unshare_pid = ReadPid(pid_file);
    if (!Alive(unshare_pid)) continue;
    int init = FirstChild(unshare_pid);
    // unshare waits for its child: let it reap the init (killing unshare first would
    // hand the dead init to the host's init, a zombie where that does not reap).
    if (Alive(init)) ::kill(init, SIGKILL);
    for (int tries = 0; tries < 400 && Alive(unshare_pid); ++tries) {
      if (tries == 200) ::kill(unshare_pid, SIGKILL);
      ::waitpid(unshare_pid, nullptr, WNOHANG);  // reap it if it is our child
      std::this_thread::sleep_for(5ms);
    }
  }
  // Then every namespace and link of this cluster's name, known to the state or not.
  Result<CommandResult> netns = RunProcess({"ip", "netns", "list"});
  if (netns.ok()) {
    std::istringstream lines(netns->out);
    std::string line;
    while (std::getline(lines, line)) {
      std::string ns = line.substr(0, line.find(' '));
      if (PrefixThenNumber(ns, o.name + "-n")) HostQuietly({"ip", "netns", "del", ns});
    }
  }
  Result<CommandResult> links = RunProcess({"ip", "-o", "link", "show"});
  if (links.ok()) {
    std::istringstream lines(links->out);
    std::string line;
    while (std::getline(lines, line)) {
      // "12: jepsenv1@if2: <...>"
      size_t colon = line.find(": ");
      if (colon == std::string::npos) continue;
      std::string name = line.substr(colon + 2, line.find_first_of(":@", colon + 2) - colon - 2);
      bool ours = name == Bridge(o) || PrefixThenNumber(name, o.name + "v");
      if (ours) HostQuietly({"ip", "link", "del", name});
    }
  }
  std::error_code ec;
  // Only ever delete a directory that is a cluster's (guards against --dir /).
  bool ours = !fs::exists(o.dir) || fs::exists(fs::path(o.dir) / "cluster") ||
              fs::is_empty(o.dir, ec);
  if (!ours) {
    return FailedPreconditionError(fmt::format(
        "{} is not a jepsen local cluster directory; not removing it", o.dir));
  }
  fs::remove_all(o.dir, ec);
  if (ec) return IoError(fmt::format("cannot remove {}: {}", o.dir, ec.message()));
  // The mount point (data_path) goes only when no other mount namespace still mounts
  // something there: another cluster may use the same path (the default /var/jepsen),
  // and removing a directory that is a mount point elsewhere detaches those mounts,
  // i.e. it would silently take the private directory away from every node of the
  // other cluster.
  if (!MountedInAnyNamespace(o.data_path)) fs::remove(o.data_path, ec);  // only if empty
  return OkStatus();
}

}  // namespace jepsen
