// Integration: a real local cluster (root, namespaces, sshd). Skips, saying why, when
// it cannot run here.
#include "jepsen/local_cluster.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "jepsen/control/command.h"
#include "jepsen/control/local_remote.h"
#include "jepsen/control/process.h"
#include "jepsen/ssh_remote.h"
#include "jepsen/test.h"
#include "support/scoped_cluster.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

std::string Output(Remote& r, const std::string& cmd) {
  Result<CommandResult> out = Run(r, cmd);
  REQUIRE(out.ok());
  return out->out;
}

// The pid namespace of a process ("pid:[4026532...]"), or "" if it is gone.
std::string PidNamespace(const std::string& pid) {
  std::error_code ec;
  std::filesystem::path ns = std::filesystem::read_symlink("/proc/" + pid + "/ns/pid", ec);
  return ec ? "" : ns.string();
}

// Host pids of the processes living in any of the pid namespaces `namespaces`.
std::vector<std::string> ProcessesIn(const std::set<std::string>& namespaces) {
  std::vector<std::string> pids;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (namespaces.count(PidNamespace(name))) pids.push_back(name);
  }
  return pids;
}

// The host's filter and nat rules (without counters, which traffic changes).
std::string HostRules() {
  return RunProcess({"sh", "-c", "iptables -w -S && iptables -w -t nat -S"}).value().out;
}

TEST_CASE("Local cluster nodes are isolated machines that come and go without a trace",
          "[integration][cluster]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  std::string dir = tmp.File("cluster");
  const std::string rules_before = HostRules();
  {
    testing::ScopedCluster scope(dir);
    auto start = std::chrono::steady_clock::now();
    Result<LocalCluster> c = LocalClusterUp(scope.options());
    REQUIRE(c.ok());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    REQUIRE(c->nodes.size() == 3);
    std::vector<std::unique_ptr<Remote>> nodes;
    for (const LocalNode& n : c->nodes) {
      REQUIRE(n.up);
      nodes.push_back(MakeNamespaceRemote(n.pid));
    }
    // Own hostname, /etc/hosts naming every node, own process table, own data dir.
    CHECK(Output(*nodes[1], "hostname") == "n2\n");
    CHECK(Output(*nodes[0], "cat /etc/hosts").find("10.77.213.3 n3") != std::string::npos);
    CHECK(Output(*nodes[0], "ps -e -o comm= | sort -u | tr '\\n' ' '").find("sshd") !=
          std::string::npos);
    CHECK(std::stoi(Output(*nodes[0], "ps -e -o pid= | wc -l")) < 10);
    REQUIRE(Run(*nodes[0], "echo mine > /var/jepsen-test-node/f").ok());
    CHECK(Output(*nodes[0], "cat /var/jepsen-test-node/f") == "mine\n");
    CHECK(Output(*nodes[1], "ls /var/jepsen-test-node") == "");
    CHECK(Output(*nodes[0], "ls -A /root") == "");
    // Nodes reach each other by address and name; only lo and eth0, no default route.
    CHECK(Output(*nodes[2], "bash -c 'exec 3<>/dev/tcp/n1/22 && head -c 7 <&3'") == "SSH-2.0");
    CHECK(Output(*nodes[2], "ip route").find("default") == std::string::npos);
    // up again reuses the running cluster.
    Result<LocalCluster> again = LocalClusterUp(scope.options());
    REQUIRE(again.ok());
    CHECK(again->nodes[0].pid == c->nodes[0].pid);
    // ssh with the generated key.
    Result<CommandResult> ssh = RunProcess(
        {"ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o",
         "BatchMode=yes", "-o", "ConnectTimeout=5", "-i", c->key_path, "root@10.77.213.2",
         "hostname"},
        {.timeout = std::chrono::seconds(20)});
    REQUIRE(ssh.ok());
    CHECK(ssh->out == "n2\n");
    // A namespace remote copies whole trees into the node's private data directory.
    REQUIRE(RunProcess({"sh", "-c", "mkdir -p " + tmp.File("tree/sub") + " && printf a > " +
                                        tmp.File("tree/sub/f") + " && chmod 640 " +
                                        tmp.File("tree/sub/f")})
                .value()
                .exit_code == 0);
    REQUIRE(nodes[0]->Upload(tmp.File("tree"), "/var/jepsen-test-node/tree").ok());
    CHECK(Output(*nodes[0], "stat -c %a:%s /var/jepsen-test-node/tree/sub/f") == "640:1\n");
    CHECK(Output(*nodes[1], "ls /var/jepsen-test-node") == "");
    REQUIRE(nodes[0]->Download("/var/jepsen-test-node/tree", tmp.File("back")).ok());
    CHECK(testing::ReadFile(tmp.File("back/sub/f")) == "a");

    // Every process of every node, as the host sees them (init, sshd, what we start).
    REQUIRE(Run(*nodes[1], "setsid sleep 600 >/dev/null 2>&1 < /dev/null &").ok());
    std::set<std::string> namespaces;
    for (const LocalNode& n : c->nodes) namespaces.insert(PidNamespace(std::to_string(n.pid)));
    CHECK(namespaces.size() == 3);
    CHECK(ProcessesIn(namespaces).size() == 4);  // each node's init (its sshd), a sleep
    // Another cluster's names that merely start like ours are not ours to delete.
    struct Decoys {
      Decoys() {
        (void)RunProcess({"ip", "netns", "add", "jtest-nx-n1"});
        (void)RunProcess({"ip", "link", "add", "jtestv1v1", "type", "veth", "peer", "name", "jtestpeer"});
      }
      ~Decoys() {
        (void)RunProcess({"ip", "netns", "del", "jtest-nx-n1"});
        (void)RunProcess({"ip", "link", "del", "jtestv1v1"});
      }
    } decoys;
    REQUIRE(LocalClusterDown(scope.options()).ok());
    CHECK(RunProcess({"ip", "netns", "pids", "jtest-nx-n1"}).value().exit_code == 0);
    CHECK(RunProcess({"ip", "link", "show", "jtestv1v1"}).value().exit_code == 0);
    std::vector<std::string> left = ProcessesIn(namespaces);
    for (const std::string& pid : left) {
      INFO("left behind: pid " << pid << " " << testing::ReadFile("/proc/" + pid + "/stat"));
      CHECK(false);
    }
  }
  // Nothing left: namespaces, links, processes, files, the mount point, host rules.
  CHECK(HostRules() == rules_before);
  CHECK(RunProcess({"sh", "-c", "ip netns list | grep -c jtest-"}).value().out == "0\n");
  CHECK(RunProcess({"sh", "-c", "ip -o link | grep -c jtest"}).value().out == "0\n");
  CHECK(RunProcess({"sh", "-c", "grep -c jepsen-test-node /proc/mounts"}).value().out == "0\n");
  CHECK_FALSE(std::filesystem::exists(dir));
  CHECK_FALSE(std::filesystem::exists("/var/jepsen-test-node"));
}

TEST_CASE("Local cluster nodes are reached over SSH with the generated key",
          "[integration][cluster][ssh]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  testing::ScopedCluster scope(tmp.File("cluster"));
  Result<LocalCluster> c = LocalClusterUp(scope.options());
  REQUIRE(c.ok());
  SshOptions ssh{.username = "root", .private_key = c->key_path};
  for (const LocalNode& n : c->nodes) {
    Result<std::unique_ptr<Remote>> remote = OpenSshRemote(ssh, n.address);
    REQUIRE(remote.ok());
    CHECK(Output(**remote, "hostname") == n.name + "\n");
    testing::WriteFile(tmp.File("up-" + n.name), "payload of " + n.name);
    REQUIRE((*remote)->Upload(tmp.File("up-" + n.name), "/var/jepsen-test-node/p").ok());
    REQUIRE((*remote)->Download("/var/jepsen-test-node/p", tmp.File("down-" + n.name)).ok());
    CHECK(testing::ReadFile(tmp.File("down-" + n.name)) == "payload of " + n.name);
  }
  // Each node kept its own file.
  auto n2 = MakeNamespaceRemote(c->nodes[1].pid);
  CHECK(Output(*n2, "cat /var/jepsen-test-node/p") == "payload of n2");
}

TEST_CASE("Local cluster refuses to delete a directory that is not its own",
          "[integration][cluster]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  testing::WriteFile(tmp.File("precious"), "data");
  Status s = LocalClusterDown({.dir = tmp.path().string(), .name = "jtest"});
  CHECK(s.code() == StatusCode::kFailedPrecondition);
  CHECK(std::filesystem::exists(tmp.File("precious")));
}

}  // namespace
}  // namespace jepsen
