#include "jepsen/etcd/db.h"

#include <algorithm>
#include <future>
#include <thread>

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/control/util.h"
#include "jepsen/etcd/kv_client.h"
#include "jepsen/os/debian.h"
#include "jepsen/test.h"

namespace jepsen::etcd {
namespace {

using namespace std::chrono_literals;

class EtcdDb : public Db, public Killable, public Pausable, public HasPrimaries, public HasLogFiles {
 public:
  explicit EtcdDb(EtcdDbOptions o) : o_(std::move(o)) {}

  Status Setup(const Test& test, const std::string& node) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * remote, RemoteOf(test, node));
    JEPSEN_RETURN_IF_ERROR(Install(*remote));
    JEPSEN_RETURN_IF_ERROR(Run(*remote, Command{.argv = {"mkdir", "-p", o_.dir}}).status());
    test.log().Info("{}: starting etcd member {} ({})", node, node, o_.topology.ClientUrl(node));
    JEPSEN_RETURN_IF_ERROR(StartMember(test, *remote, node));
    // Every member must be started before any can elect a leader.
    if (test.barrier) JEPSEN_RETURN_IF_ERROR(test.barrier());
    return AwaitHealthy(test, node);
  }

  Status Teardown(const Test& test, const std::string& node) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * remote, RemoteOf(test, node));
    // The data is wiped next, so there is nothing to shut down cleanly for: SIGKILL at
    // once (StopDaemon with no grace; it continues a paused member first).
    JEPSEN_RETURN_IF_ERROR(StopDaemon(*remote, Pidfile(), 0ms));
    return Run(*remote, Command{.argv = {"rm", "-rf", o_.dir}}).status();
  }

  Status Start(const Test& test, const std::string& node) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * remote, RemoteOf(test, node));
    return StartMember(test, *remote, node);
  }

  Status Kill(const Test& test, const std::string& node) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * remote, RemoteOf(test, node));
    JEPSEN_ASSIGN_OR_RETURN(bool running, DaemonRunning(*remote, Pidfile()));
    if (!running) return OkStatus();  // already dead: killing twice is fine
    JEPSEN_RETURN_IF_ERROR(SignalDaemon(*remote, Pidfile(), "KILL"));
    // Wait until it is gone, so a Start right after finds its ports free.
    for (int i = 0; i < 50; ++i) {
      JEPSEN_ASSIGN_OR_RETURN(running, DaemonRunning(*remote, Pidfile()));
      if (!running) return OkStatus();
      std::this_thread::sleep_for(100ms);
    }
    return UnavailableError(fmt::format("etcd on {} survived SIGKILL for 5 s", node));
  }

  Status Pause(const Test& test, const std::string& node) override {
    return Signal(test, node, "STOP");
  }
  Status Resume(const Test& test, const std::string& node) override {
    return Signal(test, node, "CONT");
  }

  Result<std::vector<std::string>> Primaries(const Test& test) override {
    // Ask every member at once; a member that says it leads is a primary. Two may say
    // so for a while (an isolated old leader has not stepped down yet): both count.
    std::vector<std::future<std::pair<RpcError, MemberStatus>>> answers;
    for (const std::string& node : test.nodes) {
      answers.push_back(std::async(std::launch::async, [this, node] {
        MemberStatus s;
        RpcError e = ConnectEtcd(o_.topology.ClientEndpoint(node), {.timeout = 1s})->Status(&s);
        return std::make_pair(e, s);
      }));
    }
    std::vector<std::string> leaders;
    for (size_t i = 0; i < answers.size(); ++i) {
      auto [e, s] = answers[i].get();
      if (e.ok() && s.leader != 0 && s.leader == s.member_id) leaders.push_back(test.nodes[i]);
    }
    return leaders;
  }

  std::vector<std::string> LogFiles(const Test&, const std::string&) override {
    return {Logfile()};
  }

 private:
  std::string Pidfile() const { return o_.dir + "/etcd.pid"; }
  std::string Logfile() const { return o_.dir + "/etcd.log"; }

  static Result<Remote*> RemoteOf(const Test& test, const std::string& node) {
    Remote* remote = test.RemoteFor(node);
    if (!remote) return FailedPreconditionError("no remote for node " + node);
    return remote;
  }

  // Debian's package when the binary is missing (local nodes share this machine's
  // files, where scripts/install-deps put it).
  Status Install(Remote& remote) {
    JEPSEN_ASSIGN_OR_RETURN(bool present, Exists(remote, o_.binary));
    if (present) return OkStatus();
    JEPSEN_RETURN_IF_ERROR(DebianInstallPackages(remote, {o_.package}, o_.sudo));
    JEPSEN_ASSIGN_OR_RETURN(present, Exists(remote, o_.binary));
    if (!present) {
      return FailedPreconditionError(fmt::format(
          "{} is still missing after installing {}", o_.binary, o_.package));
    }
    return OkStatus();
  }

  Status StartMember(const Test& test, Remote& remote, const std::string& node) {
    const Topology& t = o_.topology;
    Command etcd{.argv = {o_.binary,
                          "--name", node,
                          "--data-dir", o_.dir + "/data",
                          "--listen-client-urls", fmt::format("http://0.0.0.0:{}", t.client_port),
                          "--advertise-client-urls", t.ClientUrl(node),
                          "--listen-peer-urls", fmt::format("http://0.0.0.0:{}", t.peer_port),
                          "--initial-advertise-peer-urls", t.PeerUrl(node),
                          "--initial-cluster", t.InitialCluster(test.nodes),
                          "--initial-cluster-state", "new",
                          "--initial-cluster-token", "jepsen-" + test.name,
                          "--heartbeat-interval", std::to_string(o_.heartbeat.count()),
                          "--election-timeout", std::to_string(o_.election_timeout.count()),
                          "--logger", "zap",
                          "--log-outputs", "stderr"}};
    return StartDaemon(remote, {.pidfile = Pidfile(), .logfile = Logfile(), .command = etcd});
  }

  Status Signal(const Test& test, const std::string& node, const std::string& signal) {
    JEPSEN_ASSIGN_OR_RETURN(Remote * remote, RemoteOf(test, node));
    JEPSEN_ASSIGN_OR_RETURN(bool running, DaemonRunning(*remote, Pidfile()));
    if (!running) return OkStatus();  // a killed member has nothing to pause
    return SignalDaemon(*remote, Pidfile(), signal);
  }

  // Healthy: this member serves a linearizable read, which needs a leader and a
  // quorum that has applied everything up to the read index.
  Status AwaitHealthy(const Test& test, const std::string& node) {
    auto deadline = std::chrono::steady_clock::now() + o_.health_timeout;
    RpcError last;
    while (std::chrono::steady_clock::now() < deadline) {
      // A fresh connection each time: one made before the member served may hang.
      std::unique_ptr<KvClient> kv = ConnectEtcd(o_.topology.ClientEndpoint(node), {.timeout = 1s});
      std::vector<KeyValue> found;
      last = kv->Range({.key = "jepsen-health"}, &found);
      if (last.ok()) {
        test.log().Info("{}: etcd is healthy", node);
        return OkStatus();
      }
      std::this_thread::sleep_for(200ms);
    }
    return UnavailableError(fmt::format(
        "etcd on {} ({}) did not serve a linearizable read within {} s: {}; see {}", node,
        o_.topology.ClientEndpoint(node), o_.health_timeout.count(), last.message, Logfile()));
  }

  EtcdDbOptions o_;
};

}  // namespace

std::unique_ptr<Db> MakeEtcdDb(EtcdDbOptions options) {
  return std::make_unique<EtcdDb>(std::move(options));
}

}  // namespace jepsen::etcd
