// The exact commands and files the TiKV suite sends to a 5-node cluster: install,
// configuration, start with health polling, teardown, process faults, PD schedulers and
// the PD-leader partition, recorded by a fake remote and compared with golden files
// (test/tikv/golden/). TIKV_UPDATE_GOLDEN=1 rewrites them after a deliberate change.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "jepsen/tikv/db.h"
#include "jepsen/tikv/nemesis.h"
#include "pd_http.h"
#include "support/fake_remote.h"

namespace jepsen::tikv {
namespace {

// Records like FakeRemote, but answers some commands: `answer` gives the result of a
// command (nullopt: exit 0, no output), and uploads keep their content.
class ScriptedRemote : public testing::FakeRemote {
 public:
  using Answer = std::function<std::optional<CommandResult>(const std::string&)>;
  explicit ScriptedRemote(Answer answer) : answer_(std::move(answer)) {}

  Result<CommandResult> Exec(const std::string& command) override {
    (void)FakeRemote::Exec(command);
    if (auto r = answer_(command)) return *r;
    return CommandResult{};
  }
  Status Upload(const std::string& local, const std::string& remote) override {
    std::ifstream in(local);
    std::stringstream content;
    content << in.rdbuf();
    {
      std::lock_guard<std::mutex> lock(mu_);
      uploads_[remote] = content.str();
    }
    // The local name is a random temporary file: record a fixed one.
    return FakeRemote::Upload("<tmp>", remote);
  }
  std::string Uploaded(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    return uploads_[path];
  }

 private:
  Answer answer_;
  std::mutex mu_;
  std::map<std::string, std::string> uploads_;
};

// A fresh node: nothing installed; PD's leader is pd3.
std::optional<CommandResult> FreshNode(const std::string& c) {
  if (c.rfind("test -x /opt/tidb/bin/pd-server", 0) == 0) return CommandResult{.exit_code = 1};
  if (c.find("/pd/api/v1/leader") != std::string::npos) {
    return CommandResult{.out = R"({"name":"pd3","member_id":7,"client_urls":["http://n3:2379"]})"};
  }
  return std::nullopt;
}

struct Cluster {
  Logger logger;
  Test test;
  std::map<std::string, ScriptedRemote*> remotes;

  explicit Cluster(ScriptedRemote::Answer answer = FreshNode) {
    logger.set_stderr(false);
    test.nodes = {"n1", "n2", "n3", "n4", "n5"};
    test.logger = &logger;
    test.barrier = [] { return OkStatus(); };
    for (const auto& n : test.nodes) {
      auto r = std::make_unique<ScriptedRemote>(answer);
      remotes[n] = r.get();
      test.remotes[n] = std::move(r);
    }
  }
  // Every node's commands since the last call, "node: command" per line.
  std::string Take() {
    std::string out;
    for (const auto& n : test.nodes) {
      for (const auto& c : remotes[n]->commands()) {
        if (seen_[n]-- > 0) continue;
        out += n + ": " + c + "\n";
      }
      seen_[n] = static_cast<int>(remotes[n]->commands().size());
    }
    return out;
  }

 private:
  std::map<std::string, int> seen_;
};

void CheckGolden(const std::string& name, const std::string& actual) {
  std::string path = std::string(TIKV_GOLDEN_DIR) + "/" + name;
  if (const char* update = std::getenv("TIKV_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path) << actual;
  }
  std::ifstream in(path);
  REQUIRE(in.good());
  std::stringstream expected;
  expected << in.rdbuf();
  INFO("golden file " << path << " (TIKV_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(actual == expected.str());
}

DbOptions Fast(DbOptions o) {
  o.poll_interval = std::chrono::milliseconds(0);
  o.settle = std::chrono::milliseconds(0);
  return o;
}

TEST_CASE("TiKV setup and teardown send the golden commands and configs", "[tikv][db]") {
  Cluster c;
  auto db = MakeTikvDb(Fast({.version = "v4.0.9"}));
  c.test.db = nullptr;
  REQUIRE(db->Setup(c.test, "n2").ok());
  CheckGolden("setup_n2.txt", c.Take());
  CheckGolden("pd.conf", c.remotes["n2"]->Uploaded("/opt/tidb/pd.conf"));
  CheckGolden("tikv.conf", c.remotes["n2"]->Uploaded("/opt/tidb/kv.conf"));
  CHECK(c.remotes["n2"]->Uploaded("/opt/tidb/pd.conf") == PdConfig());
  REQUIRE(db->Teardown(c.test, "n2").ok());
  CheckGolden("teardown_n2.txt", c.Take());
  auto* logs = dynamic_cast<HasLogFiles*>(db.get());
  REQUIRE(logs != nullptr);
  CHECK(logs->LogFiles(c.test, "n1") == std::vector<std::string>{"/opt/tidb/kv.log", "/opt/tidb/kv.stdout",
                                                                  "/opt/tidb/pd.log", "/opt/tidb/pd.stdout"});
}

TEST_CASE("TiKV v5 and later install the per-component tarballs", "[tikv][db]") {
  Cluster c;
  auto db = MakeTikvDb(Fast({.version = "v5.0.1"}));
  REQUIRE(db->Setup(c.test, "n1").ok());
  std::string commands = c.Take();
  CheckGolden("setup_v5_n1.txt", commands);
  CHECK_THAT(commands, Catch::Contains("https://tiup-mirrors.pingcap.com/pd-v5.0.1-linux-amd64.tar.gz"));
  CHECK_THAT(commands, Catch::Contains("https://tiup-mirrors.pingcap.com/tikv-v5.0.1-linux-amd64.tar.gz"));
  CHECK_THAT(commands, Catch::Contains("mkdir -p /opt/tidb/bin; cp -a"));
}

TEST_CASE("TiKV reinstalls only when the binaries came from other archives", "[tikv][db]") {
  // A node whose bin/ holds both binaries, installed from `from`.
  auto node_from = [](std::string from) {
    return [from](const std::string& c) -> std::optional<CommandResult> {
      if (c.rfind("test -x /opt/tidb/bin/pd-server", 0) == 0) {
        bool same = c.find("= " + from + " ]") != std::string::npos;
        return CommandResult{.exit_code = same ? 0 : 1};
      }
      return FreshNode(c);
    };
  };
  const std::string v4 = "http://download.pingcap.org/tidb-v4.0.9-linux-amd64.tar.gz";
  Cluster same(node_from(v4));
  REQUIRE(MakeTikvDb(Fast({.version = "v4.0.9"}))->Setup(same.test, "n1").ok());
  std::string commands = same.Take();
  CHECK_THAT(commands, !Catch::Contains("tar -xf") && !Catch::Contains("rm -rf /opt/tidb/bin"));

  Cluster other(node_from(v4));
  REQUIRE(MakeTikvDb(Fast({.version = "v5.0.1"}))->Setup(other.test, "n1").ok());
  commands = other.Take();
  CHECK_THAT(commands, Catch::Contains("n1: rm -rf /opt/tidb/bin\n") &&
                           Catch::Contains("tikv-v5.0.1-linux-amd64.tar.gz") &&
                           Catch::Contains("printf '%s\\n' 'https://tiup-mirrors.pingcap.com/pd-v5.0.1-linux-amd64.tar.gz "
                                           "https://tiup-mirrors.pingcap.com/tikv-v5.0.1-linux-amd64.tar.gz' > "
                                           "/opt/tidb/bin/.installed-from && sync"));
  // The marker is written only after every archive is in place.
  CHECK(commands.find(".installed-from && sync") > commands.find("tikv-v5.0.1-linux-amd64.tar.gz"));
}

TEST_CASE("TiKV archives follow the version or the tarball URL", "[tikv][db]") {
  CHECK(ArchivesFor({.version = "v4.0.9"})->front().url ==
        "http://download.pingcap.org/tidb-v4.0.9-linux-amd64.tar.gz");
  CHECK(ArchivesFor({.version = "v5.0.1"})->size() == 2);
  CHECK(ArchivesFor({.version = "v4.0.9", .tarball_url = "file:///tmp/tidb.tgz"})->front().url ==
        "file:///tmp/tidb.tgz");
  Result<std::vector<Archive>> none = ArchivesFor({});
  REQUIRE_FALSE(none.ok());
  CHECK_THAT(std::string(none.status().message()), Catch::Contains("--version"));
}

TEST_CASE("TiKV restart loop restarts a crashed daemon and gives up in time", "[tikv][db]") {
  // PD's health page fails twice and its pidfile names no live process: restarted.
  int health_failures = 2;
  std::mutex mu;
  Cluster c([&](const std::string& cmd) -> std::optional<CommandResult> {
    std::lock_guard<std::mutex> lock(mu);
    if (cmd.find("2379/health") != std::string::npos && health_failures > 0) {
      --health_failures;
      return CommandResult{.exit_code = 7};
    }
    if (cmd.rfind("p=$(cat /opt/tidb/pd.pid", 0) == 0) return CommandResult{.exit_code = 1};
    return FreshNode(cmd);
  });
  auto db = MakeTikvDb(Fast({.version = "v4.0.9"}));
  REQUIRE(db->Setup(c.test, "n1").ok());
  std::string commands = c.Take();
  size_t starts = 0;
  for (size_t p = commands.find("./bin/pd-server"); p != std::string::npos;
       p = commands.find("./bin/pd-server", p + 1)) {
    ++starts;
  }
  CHECK(starts == 3);  // the first start and two restarts

  Cluster dead([](const std::string& cmd) -> std::optional<CommandResult> {
    if (cmd.find("/health") != std::string::npos) return CommandResult{.exit_code = 7};
    return FreshNode(cmd);
  });
  DbOptions o = Fast({.version = "v4.0.9"});
  o.start_timeout = std::chrono::milliseconds(30);
  o.poll_interval = std::chrono::milliseconds(5);
  Status s = MakeTikvDb(o)->Setup(dead.test, "n1");
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()), Catch::Contains("pd on n1 was not healthy") &&
                                           Catch::Contains("setup failed"));
}

TEST_CASE("TiKV nemeses send the golden commands", "[tikv][nemesis][db]") {
  Cluster c;
  c.test.db = MakeTikvDb(Fast({.version = "v4.0.9"}));
  NemesisPackage p = MakeTikvNemesisPackage({.faults = {"partition", "kill", "pause", "schedules"}, .seed = 9});
  auto nodes = [](std::initializer_list<const char*> ns) {
    std::vector<Value> v;
    for (const char* n : ns) v.push_back(Value::String(n));
    return Value::Vector(std::move(v));
  };
  std::string out;
  auto run = [&](std::string_view f, Value value = Value()) {
    Op done = p.nemesis->Invoke(c.test, Op{.type = OpType::kInfo, .process = kNemesisProcess,
                                          .f = Value::Keyword(f), .value = std::move(value)});
    out += fmt::format("## {} -> {}{}\n", f, done.value,
                       done.error.is_nil() ? "" : fmt::format(" error {}", done.error));
    out += c.Take();
  };
  run("kill-pd", nodes({"n1"}));
  run("start-pd", nodes({"n1"}));
  run("kill-kv", nodes({"n2", "n4"}));
  run("start-kv", nodes({"n2", "n4"}));
  run("pause-pd", nodes({"n5"}));
  run("resume-pd", nodes({"n5"}));
  run("pause-kv", nodes({"n3"}));
  run("resume-kv", nodes({"n3"}));
  run("shuffle-leader");
  run("del-shuffle-leader");
  run("shuffle-region");
  run("del-shuffle-region");
  run("random-merge");
  run("del-random-merge");
  run("start-partition", Value::Keyword("primaries"));
  run("stop-partition");
  CheckGolden("nemesis.txt", out);
}

TEST_CASE("TiKV finds the PD leader's node by name or by client URL", "[tikv][db]") {
  std::vector<std::string> nodes = {"n1", "n2", "n3"};
  CHECK(*LeaderNodeFromJson(R"({"name":"pd2"})", nodes, {}) == "n2");
  CHECK(*LeaderNodeFromJson(R"({"name":"pd-a","client_urls":["http://10.0.0.3:2379"]})", nodes,
                            {"10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"}) == "n3");
  // A cluster deployed by someone else may name its members pdN in another order: the
  // client URL decides.
  CHECK(*LeaderNodeFromJson(R"({"name":"pd1","client_urls":["http://10.0.0.3:2379"]})", nodes,
                            {"10.0.0.1:2379", "10.0.0.2:2379", "10.0.0.3:2379"}) == "n3");
  CHECK(*LeaderNodeFromJson(R"({"name":"pd1","client_urls":["http://pd.example:2379"]})", nodes,
                            {}) == "n1");
  CHECK_FALSE(LeaderNodeFromJson("not json", nodes, {}).ok());
  CHECK_FALSE(LeaderNodeFromJson(R"({"name":"pd9"})", nodes, {}).ok());
}

}  // namespace
}  // namespace jepsen::tikv
