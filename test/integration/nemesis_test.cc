// Integration: faults on a real local cluster. Partitions cut exactly the links they
// name and heal completely; kill and pause hit exactly the chosen node's process; a
// SIGINT during a partition leaves no rule behind.
#include "jepsen/nemesis/faults.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <sstream>
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

// Rules a chain of ours holds on `node` ("-A JEPSEN ..." lines).
int OurRules(const Test& test, const std::string& node, const std::string& chain = "JEPSEN") {
  Result<CommandResult> r = test.RemoteFor(node)->Exec(
      "iptables -w -S " + chain + " 2>/dev/null | grep -c '^-A' || true");
  return r.ok() ? std::stoi(r->out) : -1;
}

std::string Output(const Test& test, const std::string& node, const std::string& cmd) {
  Result<CommandResult> r = Run(*test.RemoteFor(node), cmd);
  INFO(cmd << ": " << r.status().ToString());
  REQUIRE(r.ok());
  return r->out;
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

TEST_CASE("Packet loss drops what reaches the named nodes, and its heal leaves partitions alone",
          "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::ClusterTest c;
  Test& test = c.test;
  auto loss = MakePacketLoss(MakeIptablesNet({.chain = "JEPSEN-LOSS", .tbf_handle = "4a51"}), 0.5, 1);
  auto partitioner = MakePartitioner(MakeIptablesNet(), 1);
  Op all = loss->Invoke(test, NemesisOp("start-packet-loss",
                                        Value::Map({{Value::Keyword("nodes"), Value::Vector({Value::String("n2")})},
                                                    {Value::Keyword("probability"), 1.0}})));
  CHECK(all.value.ToEdn() == "{:nodes [\"n2\"], :probability 1.0}");
  CHECK_FALSE(Connects(test, "n1", "n2"));
  CHECK(Connects(test, "n1", "n3"));
  partitioner->Invoke(test, NemesisOp("start-partition", GrudgeValue(CompleteGrudge(Isolate(test.nodes, "n3")))));
  CHECK_FALSE(Connects(test, "n1", "n3"));
  loss->Invoke(test, NemesisOp("stop-packet-loss"));
  CHECK(Connects(test, "n1", "n2"));
  CHECK_FALSE(Connects(test, "n1", "n3"));  // the partition is still there
  CHECK(OurRules(test, "n3", "JEPSEN") == 2);
  REQUIRE(partitioner->Teardown(test).ok());
  CHECK(Connects(test, "n1", "n3"));
  // Teardown removes the chain and its INPUT jump too; the loss chain stays.
  for (const auto& n : test.nodes) {
    CHECK(Output(test, n, "iptables -w -S | grep -cE -- '-N JEPSEN$|-j JEPSEN$' || true") == "0\n");
  }
  CHECK(Output(test, "n2", "iptables -w -S | grep -c -- '-j JEPSEN-LOSS$' || true") == "1\n");

  // Half the packets: some of 30 short connection attempts get through, some do not.
  loss->Invoke(test, NemesisOp("start-packet-loss", Value::Vector({Value::String("n2")})));
  std::string tries = Output(test, "n1",
                             "for i in $(seq 30); do timeout 0.3 bash -c 'exec 3<>/dev/tcp/n2/22' "
                             "2>/dev/null && echo ok || echo lost; done");
  size_t ok = 0, lost = 0;
  for (size_t at = 0; (at = tries.find("ok", at)) != std::string::npos; ++at) ++ok;
  for (size_t at = 0; (at = tries.find("lost", at)) != std::string::npos; ++at) ++lost;
  INFO(tries);
  CHECK(ok + lost == 30);
  CHECK(ok > 0);
  CHECK(lost > 0);
  REQUIRE(loss->Teardown(test).ok());
  for (const auto& n : test.nodes) {
    CHECK(Output(test, n, "iptables -w -S | grep -c JEPSEN || true") == "0\n");  // nothing of ours
  }
  CHECK(Connects(test, "n1", "n2"));
}

// Seconds n2 takes to receive 128 KiB from n1 over TCP (port 9000).
double TransferSeconds(const Test& test) {
  Output(test, "n2",
         "rm -f /tmp/rx.out; setsid python3 -c '"
         "import socket, time\n"
         "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
         "s.bind((\"0.0.0.0\", 9000)); s.listen(1); s.settimeout(20)\n"
         "c, _ = s.accept(); start = time.monotonic(); n = 0\n"
         "while True:\n"
         "  d = c.recv(65536)\n"
         "  if not d: break\n"
         "  n += len(d)\n"
         "print(n, time.monotonic() - start)\n"
         "' > /tmp/rx.out 2>&1 < /dev/null &");
  Output(test, "n1",
         "timeout 20 python3 -c '"
         "import socket, time\n"
         "for i in range(100):\n"
         "  try:\n"
         "    s = socket.create_connection((\"n2\", 9000)); break\n"
         "  except OSError: time.sleep(0.05)\n"
         "s.sendall(b\"x\" * 131072); s.close()\n"
         "'");
  std::string out;
  for (int i = 0; i < 200 && out.empty(); ++i) {
    out = Output(test, "n2", "cat /tmp/rx.out");
    if (out.empty()) std::this_thread::sleep_for(50ms);
  }
  INFO("receiver: " << out);
  REQUIRE(out.rfind("131072 ", 0) == 0);
  return std::stod(out.substr(7));
}

TEST_CASE("A bandwidth limit slows the node's outgoing traffic; heal removes only our qdisc",
          "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::ClusterTest c;
  Test& test = c.test;
  auto bw = MakeBandwidthLimiter(MakeIptablesNet({.chain = "JEPSEN-BW", .tbf_handle = "4a52"}), "1mbit", 1);
  double free_s = TransferSeconds(test);
  Op limited = bw->Invoke(test, NemesisOp("start-bandwidth", Value::Vector({Value::String("n1")})));
  CHECK(limited.value.ToEdn() == "{:nodes [\"n1\"], :rate \"1mbit\"}");
  CHECK(Output(test, "n1", "tc qdisc show dev eth0 root").rfind("qdisc tbf 4a52: ", 0) == 0);
  double slow_s = TransferSeconds(test);  // 1 Mbit of 128 KiB: about a second
  bw->Invoke(test, NemesisOp("stop-bandwidth"));
  double healed_s = TransferSeconds(test);
  INFO("free " << free_s << " s, limited " << slow_s << " s, healed " << healed_s << " s");
  CHECK(free_s < 0.3);
  CHECK(slow_s > 0.6);
  CHECK(healed_s < 0.3);
  CHECK(Output(test, "n1", "tc qdisc show dev eth0 root").find("tbf") == std::string::npos);

  // A root qdisc someone else added: not replaced, and not removed by our heal.
  Output(test, "n3", "tc qdisc add dev eth0 root handle 1: tbf rate 100mbit burst 32kbit latency 400ms");
  Op refused = bw->Invoke(test, NemesisOp("start-bandwidth", Value::Vector({Value::String("n3")})));
  CHECK(refused.error.ToEdn().find("has a root qdisc jepsen did not add") != std::string::npos);
  REQUIRE(bw->Teardown(test).ok());
  CHECK(Output(test, "n3", "tc qdisc show dev eth0 root").rfind("qdisc tbf 1: ", 0) == 0);
}

// The offset (seconds) between what the faketime'd logger on n1 reported and real
// time, for each of its lines logged after `since` (steady clock).
std::vector<double> LoggedSkews(const Test& test, std::chrono::steady_clock::time_point since) {
  double now_real = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  double now_mono = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  double since_mono = std::chrono::duration<double>(since.time_since_epoch()).count();
  std::istringstream lines(Output(test, "n1", "cat /var/jepsen-test-node/clock.log"));
  std::vector<double> skews;
  double faked = 0, mono = 0;
  while (lines >> faked >> mono) {
    // CLOCK_MONOTONIC is not faked (FAKETIME_DONT_FAKE_MONOTONIC) and is the host's.
    if (mono >= since_mono) skews.push_back(faked - (now_real - (now_mono - mono)));
  }
  return skews;
}

TEST_CASE("Clock faults reach a process started with ClockEnv and nothing else",
          "[integration][nemesis]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::ClusterTest c;
  Test& test = c.test;
  Remote& n1 = *test.RemoteFor("n1");
  Result<std::string> lib = FindLibfaketime(n1);
  if (!lib.ok()) {
    WARN("SKIPPED: " << lib.status().message());
    return;
  }
  ClockOptions o{.offset_file = "/var/jepsen-test-node/faketime",
                 .max_offset_ms = 60000,
                 .strobe_period = 100ms,
                 .strobe_duration = 1200ms,
                 .libfaketime = *lib};
  auto clock = MakeClockNemesis(o, 11);
  REQUIRE(clock->Setup(test).ok());
  // Sleeps with select: Debian 12's libfaketime 0.9.10 fails Python 3.11's time.sleep
  // (clock_nanosleep on an absolute CLOCK_MONOTONIC deadline) with EINVAL when
  // FAKETIME_DONT_FAKE_MONOTONIC is set (libfaketime issue 426; docs/nodes.md).
  Command logger{.argv = {"python3", "-u", "-c",
                          "import time, select\nwhile True:\n  print(time.time(), time.monotonic())\n"
                          "  select.select([], [], [], 0.02)\n"},
                 .env = ClockEnv(o)};
  const std::string pidfile = "/var/jepsen-test-node/logger.pid";
  REQUIRE(StartDaemon(n1, {.pidfile = pidfile, .logfile = "/var/jepsen-test-node/clock.log", .command = logger}).ok());
  auto settle = [] { std::this_thread::sleep_for(300ms); };
  settle();
  auto t0 = std::chrono::steady_clock::now();
  settle();
  INFO("log: " << Output(test, "n1", "head -c 600 /var/jepsen-test-node/clock.log"));
  std::vector<double> before = LoggedSkews(test, t0);
  REQUIRE(before.size() > 5);
  for (double s : before) CHECK(std::abs(s) < 0.5);

  Op bump = clock->Invoke(test, NemesisOp("bump-clock", Value::Vector({Value::String("n1")})));
  REQUIRE(bump.value.is_map());
  double offset = static_cast<double>(bump.value.Find(Value::String("n1"))->AsInt()) / 1000;
  INFO("offset " << offset << " s");
  REQUIRE(std::abs(offset) > 2);  // seed 11 draws a clear offset
  auto t1 = std::chrono::steady_clock::now();
  settle();
  std::vector<double> bumped = LoggedSkews(test, t1);
  REQUIRE(bumped.size() > 5);
  for (double s : bumped) CHECK(std::abs(s - offset) < 0.5);
  // Only the preloaded process: the node's own `date` and the host keep real time.
  double node_date = std::stod(Output(test, "n1", "date +%s.%N"));
  double host_now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  CHECK(std::abs(node_date - host_now) < 1);

  // A strobe flips between the offset and none, then leaves the clock reset.
  auto t2 = std::chrono::steady_clock::now();
  Op strobe = clock->Invoke(test, NemesisOp("strobe-clock", Value::Vector({Value::String("n1")})));
  CHECK(std::chrono::steady_clock::now() - t2 >= 1100ms);  // the op lasts the strobe
  double strobe_offset = static_cast<double>(strobe.value.Find(Value::String("n1"))->AsInt()) / 1000;
  REQUIRE(std::abs(strobe_offset) > 1);
  std::vector<double> strobed = LoggedSkews(test, t2);
  int at_offset = 0, at_zero = 0;
  for (double s : strobed) {
    at_offset += std::abs(s - strobe_offset) < 0.5;
    at_zero += std::abs(s) < 0.5;
  }
  CHECK(at_offset > 5);
  CHECK(at_zero > 5);
  CHECK(Output(test, "n1", "cat /var/jepsen-test-node/faketime") == "+0\n");
  CHECK(Output(test, "n1", "ls /var/jepsen-test-node/faketime.strobe.pid 2>&1 || true")
            .find("No such file") != std::string::npos);

  clock->Invoke(test, NemesisOp("bump-clock", Value::Vector({Value::String("n1")})));
  REQUIRE(clock->Teardown(test).ok());
  auto t3 = std::chrono::steady_clock::now();
  settle();
  std::vector<double> reset = LoggedSkews(test, t3);
  REQUIRE(reset.size() > 5);
  for (double s : reset) CHECK(std::abs(s) < 0.5);
  CHECK(StopDaemon(n1, pidfile, 0ms).ok());
}

}  // namespace
}  // namespace jepsen
