// The managed PD + TiKV cluster (the seed's db.clj).
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "jepsen/control/command.h"
#include "jepsen/control/util.h"
#include "jepsen/random.h"
#include "jepsen/tikv/db.h"
#include "pd_http.h"

namespace jepsen::tikv {
namespace {

constexpr char kPdConf[] = "/opt/tidb/pd.conf";
constexpr char kKvConf[] = "/opt/tidb/kv.conf";

std::string NodeUrl(const std::string& node, int port) {
  return fmt::format("http://{}:{}", node, port);
}

// pd1=http://n1:2380,pd2=http://n2:2380,...
std::string InitialCluster(const Test& test) {
  std::string out;
  for (size_t i = 0; i < test.nodes.size(); ++i) {
    out += fmt::format("{}pd{}={}", i ? "," : "", i + 1, NodeUrl(test.nodes[i], 2380));
  }
  return out;
}

// n1:2379,n2:2379,...
std::string PdEndpoints(const Test& test) {
  std::string out;
  for (size_t i = 0; i < test.nodes.size(); ++i) out += fmt::format("{}{}:2379", i ? "," : "", test.nodes[i]);
  return out;
}

std::string PdName(const Test& test, const std::string& node) {
  for (size_t i = 0; i < test.nodes.size(); ++i) {
    if (test.nodes[i] == node) return fmt::format("pd{}", i + 1);
  }
  return "pd?";
}

Remote& RemoteOf(const Test& test, const std::string& node) {
  Remote* r = test.RemoteFor(node);
  if (r == nullptr) {
    // The runner opens a remote per node before any DB call; a missing one is a bug.
    std::fprintf(stderr, "tikv: no remote for node %s\n", node.c_str());
    std::abort();
  }
  return *r;
}

bool VersionBefore5(const std::string& version) {
  std::string v = version;
  if (!v.empty() && v[0] == 'v') v = v.substr(1);
  return !v.empty() && std::isdigit(static_cast<unsigned char>(v[0])) && std::atoi(v.c_str()) < 5;
}

class TikvDb : public Db, public Killable, public Pausable, public HasPrimaries,
               public HasLogFiles, public PdControl, public TikvProcesses {
 public:
  explicit TikvDb(DbOptions options) : options_(std::move(options)) {}

  Status Setup(const Test& test, const std::string& node) override {
    Remote& r = RemoteOf(test, node);
    test.log().Info("{}: installing TiKV", node);
    JEPSEN_RETURN_IF_ERROR(Install(r));
    JEPSEN_RETURN_IF_ERROR(WriteFile(r, kPdConf, PdConfig()));
    JEPSEN_RETURN_IF_ERROR(WriteFile(r, kKvConf, TikvConfig()));
    JEPSEN_RETURN_IF_ERROR(RestartLoop(test, node, "pd", [&] { return StartPd(test, node); },
                                       "http://127.0.0.1:2379/health", kPdPidfile));
    // TiKV crashes if PD is not available yet: wait for every PD.
    JEPSEN_RETURN_IF_ERROR(test.barrier());
    std::this_thread::sleep_for(options_.settle);
    JEPSEN_RETURN_IF_ERROR(RestartLoop(test, node, "kv", [&] { return StartKv(test, node); },
                                       "http://127.0.0.1:20180/status", kKvPidfile));
    JEPSEN_RETURN_IF_ERROR(test.barrier());
    std::this_thread::sleep_for(options_.settle);
    return OkStatus();
  }

  Status Teardown(const Test& test, const std::string& node) override {
    Remote& r = RemoteOf(test, node);
    test.log().Info("{}: tearing down TiKV", node);
    JEPSEN_RETURN_IF_ERROR(StopDaemon(r, kKvPidfile));
    JEPSEN_RETURN_IF_ERROR(StopDaemon(r, kPdPidfile));
    // Everything but bin/, so the next run needs no download.
    return Run(r, "if [ -d /opt/tidb ]; then find /opt/tidb -mindepth 1 -maxdepth 1 ! -name bin "
                  "-exec rm -rf {} +; fi")
        .status();
  }

  // ---- TikvProcesses ----
  Status StartPd(const Test& test, const std::string& node) override {
    const std::string& n = node;
    return StartDaemon(RemoteOf(test, node),
                       {.pidfile = kPdPidfile,
                        .logfile = kPdStdout,
                        .command = {.argv = {"./bin/pd-server",
                                             "--name", PdName(test, n),
                                             "--data-dir", "/opt/tidb/data/pd",
                                             "--client-urls", "http://0.0.0.0:2379",
                                             "--peer-urls", "http://0.0.0.0:2380",
                                             "--advertise-client-urls", NodeUrl(n, 2379),
                                             "--advertise-peer-urls", NodeUrl(n, 2380),
                                             "--initial-cluster", InitialCluster(test),
                                             "--log-file", kPdLog,
                                             "--config", kPdConf},
                                    .cd = kTidbDir}});
  }
  Status StartKv(const Test& test, const std::string& node) override {
    return StartDaemon(RemoteOf(test, node),
                       {.pidfile = kKvPidfile,
                        .logfile = kKvStdout,
                        .command = {.argv = {"./bin/tikv-server",
                                             "--pd", PdEndpoints(test),
                                             "--addr", "0.0.0.0:20160",
                                             "--advertise-addr", node + ":20160",
                                             "--data-dir", "/opt/tidb/data/kv",
                                             "--log-file", kKvLog,
                                             "--config", kKvConf},
                                    .cd = kTidbDir}});
  }
  Status KillPd(const Test& test, const std::string& node) override {
    return StopDaemon(RemoteOf(test, node), kPdPidfile);
  }
  Status KillKv(const Test& test, const std::string& node) override {
    return StopDaemon(RemoteOf(test, node), kKvPidfile);
  }
  Status SignalPd(const Test& test, const std::string& node, const std::string& sig) override {
    return SignalDaemon(RemoteOf(test, node), kPdPidfile, sig);
  }
  Status SignalKv(const Test& test, const std::string& node, const std::string& sig) override {
    return SignalDaemon(RemoteOf(test, node), kKvPidfile, sig);
  }

  // ---- Killable / Pausable (the generic nemeses hit both processes) ----
  Status Start(const Test& test, const std::string& node) override {
    JEPSEN_RETURN_IF_ERROR(StartPd(test, node));
    return StartKv(test, node);
  }
  Status Kill(const Test& test, const std::string& node) override {
    JEPSEN_RETURN_IF_ERROR(KillKv(test, node));
    return KillPd(test, node);
  }
  Status Pause(const Test& test, const std::string& node) override {
    JEPSEN_RETURN_IF_ERROR(SignalPd(test, node, "STOP"));
    return SignalKv(test, node, "STOP");
  }
  Status Resume(const Test& test, const std::string& node) override {
    JEPSEN_RETURN_IF_ERROR(SignalPd(test, node, "CONT"));
    return SignalKv(test, node, "CONT");
  }

  // ---- PD ----
  Result<std::string> PdLeaderNode(const Test& test) override {
    const std::string& node = test.nodes[static_cast<size_t>(Pick(test.nodes.size()))];
    JEPSEN_ASSIGN_OR_RETURN(std::string json, RunPd(RemoteOf(test, node), PdLeaderCommand("127.0.0.1:2379"),
                                                    "asking PD on " + node + " for its leader"));
    return LeaderNodeFromJson(json, test.nodes, {});
  }
  Status AddScheduler(const Test& test, const std::string& name) override {
    const std::string& node = test.nodes[static_cast<size_t>(Pick(test.nodes.size()))];
    return RunPd(RemoteOf(test, node), AddSchedulerCommand("127.0.0.1:2379", name),
                 "adding PD scheduler " + name + " on " + node)
        .status();
  }
  Status RemoveScheduler(const Test& test, const std::string& name) override {
    const std::string& node = test.nodes[static_cast<size_t>(Pick(test.nodes.size()))];
    return RunPd(RemoteOf(test, node), RemoveSchedulerCommand("127.0.0.1:2379", name),
                 "removing PD scheduler " + name + " on " + node)
        .status();
  }
  Result<std::vector<std::string>> Primaries(const Test& test) override {
    JEPSEN_ASSIGN_OR_RETURN(std::string leader, PdLeaderNode(test));
    return std::vector<std::string>{leader};
  }

  std::vector<std::string> LogFiles(const Test&, const std::string&) override {
    return {kKvLog, kKvStdout, kPdLog, kPdStdout};
  }

 private:
  // Installs the binaries unless both are there from the same archives. bin/ remembers
  // which archives it came from (teardown keeps bin/), so a change of --version or
  // --tarball-url, or an install cut short (a v5+ install is two archives), installs
  // afresh instead of running stale or missing binaries.
  Status Install(Remote& r) {
    JEPSEN_ASSIGN_OR_RETURN(std::vector<Archive> archives, ArchivesFor(options_));
    std::string from;
    for (const Archive& a : archives) from += (from.empty() ? "" : " ") + a.url;
    const std::string marker = std::string(kTidbDir) + "/bin/.installed-from";
    JEPSEN_ASSIGN_OR_RETURN(
        CommandResult same,
        r.Exec(fmt::format("test -x {0}/bin/pd-server && test -x {0}/bin/tikv-server && "
                           "[ \"$(cat {1} 2>/dev/null)\" = {2} ]",
                           kTidbDir, marker, ShellQuote(from))));
    if (same.exit_code == 0) return OkStatus();
    JEPSEN_RETURN_IF_ERROR(Run(r, fmt::format("rm -rf {}/bin", kTidbDir)).status());
    for (const Archive& a : archives) JEPSEN_RETURN_IF_ERROR(InstallArchive(r, a.url, a.dir));
    // The binaries are large: flush them now rather than stall the first fsync of PD.
    return Run(r, fmt::format("printf '%s\\n' {} > {} && sync", ShellQuote(from), marker)).status();
  }

  // The seed's restart loop: start, then every poll interval: ready if the health page
  // answers, starting if the process lives, else crashed (start it again); give up
  // after start_timeout.
  Status RestartLoop(const Test& test, const std::string& node, const std::string& name,
                     const std::function<Status()>& start, const std::string& health,
                     const std::string& pidfile) {
    Remote& r = RemoteOf(test, node);
    auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    JEPSEN_RETURN_IF_ERROR(start());
    bool crashed = false;
    for (;;) {
      if (std::chrono::steady_clock::now() > deadline) {
        return DeadlineExceededError(fmt::format("{} on {} was not healthy within {} s (setup failed)",
                                                 name, node, options_.start_timeout.count() / 1000));
      }
      if (crashed) {
        test.log().Warn("{}: {} crashed during startup; restarting", node, name);
        JEPSEN_RETURN_IF_ERROR(start());
      }
      std::this_thread::sleep_for(options_.poll_interval);
      JEPSEN_ASSIGN_OR_RETURN(CommandResult h, r.Exec(HealthCommand(health)));
      if (h.exit_code == 0) return OkStatus();
      JEPSEN_ASSIGN_OR_RETURN(bool running, DaemonRunning(r, pidfile));
      crashed = !running;
    }
  }

  int64_t Pick(size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    return rng_.Uniform(static_cast<int64_t>(n));
  }

  DbOptions options_;
  std::mutex mu_;
  Random rng_{0x71c5};  // guarded by mu_; which node runs a PD request does not matter
};

}  // namespace

Result<std::vector<Archive>> ArchivesFor(const DbOptions& o) {
  if (!o.tarball_url.empty()) return std::vector<Archive>{{o.tarball_url, kTidbDir}};
  if (o.version.empty()) {
    return InvalidArgumentError("--db tikv needs --version (e.g. v4.0.9) or --tarball-url");
  }
  if (VersionBefore5(o.version)) {
    return std::vector<Archive>{
        {fmt::format("http://download.pingcap.org/tidb-{}-linux-amd64.tar.gz", o.version), kTidbDir}};
  }
  return std::vector<Archive>{
      {fmt::format("https://tiup-mirrors.pingcap.com/pd-{}-linux-amd64.tar.gz", o.version), "/opt/tidb/bin"},
      {fmt::format("https://tiup-mirrors.pingcap.com/tikv-{}-linux-amd64.tar.gz", o.version), "/opt/tidb/bin"}};
}

std::unique_ptr<Db> MakeTikvDb(DbOptions options) { return std::make_unique<TikvDb>(std::move(options)); }

}  // namespace jepsen::tikv
