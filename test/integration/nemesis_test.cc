// Integration: faults on a real local cluster. Partitions cut exactly the links they
// name and heal completely; kill and pause hit exactly the chosen node's process; a
// SIGINT during a partition leaves no rule behind.
#include "jepsen/nemesis/faults.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "jepsen/control/command.h"
#include "jepsen/control/util.h"
#include "jepsen/runner.h"
#include "support/scoped_cluster.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;

// True if `from` can open a TCP connection to `to`:22 within a second.
bool Connects(const Test& test, const std::string& from, const std::string& to) {
  Result<CommandResult> r = test.RemoteFor(from)->Exec(
      "timeout 1 bash -c 'exec 3<>/dev/tcp/" + to + "/22' 2>/dev/null");
  return r.ok() && r->exit_code == 0;
}

// Rules our chain holds on `node` ("-A JEPSEN ..." lines).
int OurRules(const Test& test, const std::string& node) {
  Result<CommandResult> r =
      test.RemoteFor(node)->Exec("iptables -w -S JEPSEN 2>/dev/null | grep -c '^-A' || true");
  return r.ok() ? std::stoi(r->out) : -1;
}

Op NemesisOp(std::string_view f, Value value = Value()) {
  return Op{.process = kNemesisProcess, .f = Value::Keyword(f), .value = std::move(value)};
}

TEST_CASE("Partitions cut exactly the named links and healing restores them",
          "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  testing::ScopedCluster cluster(tmp.File("cluster"));
  Test test;
  REQUIRE(cluster.UpFor(test).ok());
  auto nemesis = MakePartitioner(MakeIptablesNet(), 1);
  REQUIRE(Connects(test, "n1", "n2"));
  Op cut = nemesis->Invoke(test, NemesisOp("start-partition", Value::Vector({})));
  CHECK(cut.error.ToEdn() == "\"unknown partition []\"");  // bad input, nothing done
  Grudge isolate_n1 = CompleteGrudge(Isolate(test.nodes, "n1"));
  Op done = nemesis->Invoke(test, NemesisOp("start-partition", GrudgeValue(isolate_n1)));
  CHECK(done.value.ToEdn() == "[:isolated {\"n1\" #{\"n2\" \"n3\"}, \"n2\" #{\"n1\"}, \"n3\" #{\"n1\"}}]");
  CHECK_FALSE(Connects(test, "n1", "n2"));
  CHECK_FALSE(Connects(test, "n3", "n1"));
  CHECK(Connects(test, "n2", "n3"));
  nemesis->Invoke(test, NemesisOp("stop-partition"));
  CHECK(Connects(test, "n1", "n2"));
  CHECK(Connects(test, "n3", "n1"));
  for (const auto& n : test.nodes) CHECK(OurRules(test, n) == 0);
}

// A database that is one `sleep` daemon per node, started and stopped by pidfile.
class SleepDb : public Db, public Killable, public Pausable {
 public:
  static constexpr const char* kPidfile = "/var/jepsen-test-node/sleep.pid";
  Status Setup(const Test& test, const std::string& node) override { return Start(test, node); }
  Status Teardown(const Test& test, const std::string& node) override {
    return StopDaemon(*test.RemoteFor(node), kPidfile, 1s);
  }
  Status Start(const Test& test, const std::string& node) override {
    return StartDaemon(*test.RemoteFor(node),
                       {.pidfile = kPidfile, .command = {.argv = {"sleep", "600"}}});
  }
  Status Kill(const Test& test, const std::string& node) override {
    return StopDaemon(*test.RemoteFor(node), kPidfile, 0ms);
  }
  Status Pause(const Test& test, const std::string& node) override {
    return SignalDaemon(*test.RemoteFor(node), kPidfile, "STOP");
  }
  Status Resume(const Test& test, const std::string& node) override {
    // A killed node has nothing to resume.
    JEPSEN_ASSIGN_OR_RETURN(bool running, DaemonRunning(*test.RemoteFor(node), kPidfile));
    return running ? SignalDaemon(*test.RemoteFor(node), kPidfile, "CONT") : OkStatus();
  }
};

std::string State(const Test& test, const std::string& node) {
  Result<CommandResult> r = test.RemoteFor(node)->Exec(
      std::string("p=$(cat ") + SleepDb::kPidfile + " 2>/dev/null) && ps -o stat= -p \"$p\" | cut -c1");
  return r.ok() && r->exit_code == 0 ? r->out.substr(0, 1) : "gone";
}

TEST_CASE("Kill and pause hit exactly the chosen node's process", "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  testing::ScopedCluster cluster(tmp.File("cluster"));
  Test test;
  REQUIRE(cluster.UpFor(test).ok());
  test.db = std::make_unique<SleepDb>();
  for (const auto& n : test.nodes) REQUIRE(test.db->Setup(test, n).ok());
  auto killer = MakeKiller(1);
  auto pauser = MakePauser(1);
  Op killed = killer->Invoke(test, NemesisOp("kill", Value::Vector({Value::String("n2")})));
  CHECK(killed.value.ToEdn() == "{\"n2\" :killed}");
  CHECK(State(test, "n1") == "S");
  CHECK(State(test, "n2") == "gone");
  CHECK(State(test, "n3") == "S");
  Op paused = pauser->Invoke(test, NemesisOp("pause", Value::Vector({Value::String("n3")})));
  CHECK(paused.value.ToEdn() == "{\"n3\" :paused}");
  CHECK(State(test, "n1") == "S");
  CHECK(State(test, "n3") == "T");
  // Teardown heals: the paused node resumes; the killed one starts again.
  REQUIRE(pauser->Teardown(test).ok());
  REQUIRE(killer->Teardown(test).ok());
  for (const auto& n : test.nodes) CHECK(State(test, n) == "S");
  for (const auto& n : test.nodes) CHECK(test.db->Teardown(test, n).ok());
}

TEST_CASE("A SIGINT during a partition leaves no rule behind", "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::TempDir tmp;
  testing::ScopedCluster cluster(tmp.File("cluster"));
  Test test;
  REQUIRE(cluster.UpFor(test).ok());
  test.store_dir = tmp.File("store");
  test.concurrency = 3;
  test.client = MakeNoopClient();
  test.nemesis = MakePartitioner(MakeIptablesNet(), 1);
  test.generator = gen::ClientsAndNemesis(
      gen::Stagger(10ms, gen::Repeat(gen::Invoke("read"))),
      gen::Once(gen::Invoke("start-partition", Value::Keyword("majority"))));
  std::thread interrupter([&] {
    // Interrupt only once the partition is in place.
    for (int i = 0; i < 200 && OurRules(test, "n1") + OurRules(test, "n2") + OurRules(test, "n3") == 0; ++i) {
      std::this_thread::sleep_for(25ms);
    }
    std::raise(SIGINT);
  });
  Result<RunResult> r = Run(test, {.progress = false});
  interrupter.join();
  REQUIRE(r.ok());
  CHECK(r->interrupted);
  bool partitioned = false;
  for (const Op& op : r->history) partitioned = partitioned || (op.is_nemesis() && op.value.is_vector());
  CHECK(partitioned);
  for (const auto& n : test.nodes) CHECK(OurRules(test, n) == 0);
  CHECK(Connects(test, "n1", "n2"));
}

}  // namespace
}  // namespace jepsen
