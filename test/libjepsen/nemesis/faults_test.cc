#include "jepsen/nemesis/faults.h"

#include <catch2/catch.hpp>

#include <array>
#include <cstdlib>

#include <fmt/format.h>

#include "jepsen/generator/simulate.h"
#include "jepsen/test.h"
#include "support/fake_remote.h"

namespace jepsen {
namespace {

std::vector<std::string> Nodes5() { return {"n1", "n2", "n3", "n4", "n5"}; }

TEST_CASE("Grudges cut exactly the links their shape promises", "[nemesis]") {
  Random rng(7);
  Grudge halves = CompleteGrudge(Bisect(Nodes5(), rng));
  int smaller = 0;
  for (const auto& [node, drops] : halves) smaller += drops.size() == 3;
  CHECK(smaller == 2);  // the minority side drops the 3 others
  Grudge one = CompleteGrudge(Isolate(Nodes5(), "n3"));
  CHECK(one["n3"] == std::set<std::string>{"n1", "n2", "n4", "n5"});
  CHECK(one["n1"] == std::set<std::string>{"n3"});
  // Majorities ring: each node sees a majority (itself + 2 of 4), all views differ.
  Grudge ring = MajoritiesRing(Nodes5(), rng);
  std::set<std::set<std::string>> views;
  for (const auto& [node, drops] : ring) {
    CHECK(drops.size() == 2);
    CHECK_FALSE(drops.count(node));
    views.insert(drops);
  }
  CHECK(views.size() == 5);
  // Bridge: one node sees everyone; the two sides do not see each other.
  Grudge bridge = BridgeGrudge(Nodes5(), rng);
  int bridges = 0;
  for (const auto& [node, drops] : bridge) bridges += drops.empty();
  CHECK(bridges == 1);
  CHECK(GrudgeValue(one).ToEdn().find("\"n3\" #{\"n1\" \"n2\" \"n4\" \"n5\"}") != std::string::npos);
}

TEST_CASE("Node specs pick the promised number of nodes", "[nemesis]") {
  Test test;
  test.nodes = Nodes5();
  Random rng(3);
  CHECK(SelectNodes(test, Value::Keyword("one"), rng)->size() == 1);
  CHECK(SelectNodes(test, Value::Keyword("minority"), rng)->size() == 2);
  CHECK(SelectNodes(test, Value::Keyword("majority"), rng)->size() == 3);
  CHECK(SelectNodes(test, Value::Keyword("minority-third"), rng)->size() == 1);
  CHECK(SelectNodes(test, Value::Keyword("all"), rng)->size() == 5);
  // Jepsen's sizes for other cluster sizes: {n, minority, majority, minority-third}.
  for (auto [n, minority, majority, third] :
       std::vector<std::array<size_t, 4>>{{1, 0, 1, 0}, {3, 1, 2, 0}, {4, 2, 3, 1}, {6, 3, 4, 1},
                                          {7, 3, 4, 2}, {9, 4, 5, 2}, {10, 5, 6, 3}}) {
    Test t;
    for (size_t i = 1; i <= n; ++i) t.nodes.push_back(fmt::format("n{}", i));
    INFO(n << " nodes");
    CHECK(SelectNodes(t, Value::Keyword("minority"), rng)->size() == minority);
    CHECK(SelectNodes(t, Value::Keyword("majority"), rng)->size() == majority);
    CHECK(SelectNodes(t, Value::Keyword("minority-third"), rng)->size() == third);
  }
  CHECK(*SelectNodes(test, Value::Vector({Value::String("n2")}), rng) == std::vector<std::string>{"n2"});
  CHECK(SelectNodes(test, Value::Vector({Value::String("n9")}), rng).status().message() ==
        "\"n9\" is not a node of this test");
  CHECK(SelectNodes(test, Value::Keyword("primaries"), rng).status().code() ==
        StatusCode::kFailedPrecondition);
}

TEST_CASE("Partitioner renders iptables rules in a chain of its own", "[nemesis]") {
  Test test;
  test.nodes = {"n1", "n2", "n3"};
  std::vector<testing::FakeRemote*> remotes;
  for (const auto& n : test.nodes) {
    auto r = std::make_unique<testing::FakeRemote>();
    remotes.push_back(r.get());
    test.remotes[n] = std::move(r);
  }
  auto nemesis = MakePartitioner(MakeIptablesNet(), 1);
  Op op = nemesis->Invoke(test, Op{.process = kNemesisProcess, .f = Value::Keyword("start-partition"),
                                   .value = Value::Map({{Value::String("n1"), Value::Set({Value::String("n2")})}})});
  CHECK(op.value.ToEdn() == "[:isolated {\"n1\" #{\"n2\"}}]");
  std::vector<std::string> n1 = remotes[0]->commands();
  REQUIRE(n1.size() == 2);
  CHECK(n1[0] ==
        "(! iptables -w -L JEPSEN -n >/dev/null 2>&1 || iptables -w -F JEPSEN) && (! tc qdisc "
        "show dev eth0 root 2>/dev/null | grep -q '^qdisc tbf 4a50: ' || tc qdisc del dev eth0 "
        "root)");
  CHECK(n1[1] ==
        "(iptables -w -L JEPSEN -n >/dev/null 2>&1 || iptables -w -N JEPSEN) && (iptables -w -C "
        "INPUT -j JEPSEN 2>/dev/null || iptables -w -I INPUT -j JEPSEN) && iptables -w -A JEPSEN "
        "-s n2 -j DROP");
  CHECK(remotes[1]->commands().size() == 1);  // n2 drops nothing: only the heal
  // With addresses known, rules name nodes by address (no resolver needed on nodes).
  test.addresses = {{"n2", "10.77.0.2"}};
  nemesis->Invoke(test, Op{.process = kNemesisProcess, .f = Value::Keyword("start-partition"),
                           .value = Value::Map({{Value::String("n1"), Value::Set({Value::String("n2")})}})});
  CHECK(remotes[0]->commands().back().find("iptables -w -A JEPSEN -s 10.77.0.2 -j DROP") !=
        std::string::npos);
  Op healed = nemesis->Invoke(test, Op{.process = kNemesisProcess, .f = Value::Keyword("stop-partition")});
  CHECK(healed.value.IsKeyword("network-healed"));
  // Teardown heals, then removes the INPUT jump and the chain.
  REQUIRE(nemesis->Teardown(test).ok());
  CHECK(remotes[2]->commands().back() ==
        "while iptables -w -C INPUT -j JEPSEN 2>/dev/null; do iptables -w -D INPUT -j JEPSEN || "
        "exit 1; done; ! iptables -w -L JEPSEN -n >/dev/null 2>&1 || iptables -w -X JEPSEN");
}

TEST_CASE("Nemesis package alternates each fault with its heal and heals everything at the end",
          "[nemesis]") {
  Result<NemesisPackage> p = MakeNemesisPackage(
      {.faults = {"partition", "kill"}, .interval = std::chrono::seconds(1), .seed = 5});
  REQUIRE(p.ok());
  CHECK(p->nemesis->Fs() == std::vector<std::string>{"kill", "start", "start-partition", "stop-partition"});
  Test test;
  SimulateResult r = Simulate(test, gen::TimeLimit(std::chrono::seconds(60), p->generator),
                              {.concurrency = 1, .seed = 5});
  std::string last_partition = "stop-partition", last_kill = "start";
  int faults = 0;
  for (const Op& op : r.history) {
    if (!op.is_invoke()) continue;
    CHECK(op.is_nemesis());
    std::string f(op.f.AsString());
    if (f == "start-partition" || f == "stop-partition") {
      CHECK(f != last_partition);
      last_partition = f;
    } else {
      CHECK(f != last_kill);
      last_kill = f;
    }
    ++faults;
  }
  CHECK(faults > 40);  // about one a second for a minute
  SimulateResult heal = Simulate(test, p->final_generator, {.concurrency = 1});
  std::vector<std::string> fs;
  for (const Op& op : heal.history) {
    if (op.is_invoke()) fs.push_back(op.f.ToEdn() + " " + op.value.ToEdn());
  }
  CHECK(fs == std::vector<std::string>{":start :all", ":stop-partition nil"});
  CHECK(MakeNemesisPackage({.faults = {"meteor"}}).status().message() ==
        "unknown fault 'meteor' (partition, kill, pause, clock, packet-loss, bandwidth; no "
        "latency faults: this kernel has no netem)");
}

// A test on `nodes` whose remotes record commands.
struct FakeNodes {
  explicit FakeNodes(std::vector<std::string> nodes) {
    test.nodes = std::move(nodes);
    for (const auto& n : test.nodes) {
      auto r = std::make_unique<testing::FakeRemote>();
      remotes[n] = r.get();
      test.remotes[n] = std::move(r);
    }
  }
  Test test;
  std::map<std::string, testing::FakeRemote*> remotes;
};

Op NemesisOp(std::string_view f, Value value = Value()) {
  return Op{.process = kNemesisProcess, .f = Value::Keyword(f), .value = std::move(value)};
}

TEST_CASE("Packet loss and bandwidth nemeses render their own chain and tbf handle",
          "[nemesis]") {
  FakeNodes c({"n1", "n2", "n3"});
  auto loss = MakePacketLoss(MakeIptablesNet({.chain = "JEPSEN-LOSS", .tbf_handle = "4a51"}), 0.25, 1);
  CHECK(loss->Fs() == std::vector<std::string>{"start-packet-loss", "stop-packet-loss"});
  Op op = loss->Invoke(c.test, NemesisOp("start-packet-loss", Value::Vector({Value::String("n2")})));
  CHECK(op.value.ToEdn() == "{:nodes [\"n2\"], :probability 0.25}");
  std::vector<std::string> n2 = c.remotes["n2"]->commands();
  REQUIRE(n2.size() == 2);  // heal the old, add the new
  CHECK(n2[0].find("iptables -w -F JEPSEN-LOSS") != std::string::npos);
  CHECK(n2[0].find("'^qdisc tbf 4a51: '") != std::string::npos);
  CHECK(n2[1].find("iptables -w -A JEPSEN-LOSS -m statistic --mode random --probability 0.25 -j DROP") !=
        std::string::npos);
  CHECK(c.remotes["n1"]->commands().size() == 1);  // only healed
  // A map value overrides the probability; bad probabilities are refused, nothing added.
  op = loss->Invoke(c.test, NemesisOp("start-packet-loss",
                                      Value::Map({{Value::Keyword("nodes"), Value::Keyword("all")},
                                                  {Value::Keyword("probability"), 0.5}})));
  CHECK(op.value.ToEdn() == "{:nodes [\"n1\" \"n2\" \"n3\"], :probability 0.5}");
  op = loss->Invoke(c.test, NemesisOp("start-packet-loss",
                                      Value::Map({{Value::Keyword("probability"), 1.5}})));
  CHECK(op.type == OpType::kInfo);
  CHECK(op.error.ToEdn() == "\"packet loss probability 1.5 is not in (0, 1]\"");
  CHECK(loss->Invoke(c.test, NemesisOp("stop-packet-loss")).value.IsKeyword("packet-loss-healed"));

  auto bw = MakeBandwidthLimiter(MakeIptablesNet({.chain = "JEPSEN-BW", .device = "ens3", .tbf_handle = "4a52"}),
                                 "1mbit", 2);
  op = bw->Invoke(c.test, NemesisOp("start-bandwidth", Value::Vector({Value::String("n3")})));
  CHECK(op.value.ToEdn() == "{:nodes [\"n3\"], :rate \"1mbit\"}");
  std::string set = c.remotes["n3"]->commands().back();
  CHECK(set.find("tc qdisc replace dev ens3 root handle 4a52: tbf rate 1mbit burst 32kbit latency 400ms") !=
        std::string::npos);
  CHECK(set.find("has a root qdisc jepsen did not add") != std::string::npos);
  op = bw->Invoke(c.test, NemesisOp("start-bandwidth", Value::Map({{Value::Keyword("rate"), Value::String("fast; reboot")}})));
  CHECK(op.error.ToEdn() == "\"bandwidth 'fast; reboot' is not a tc rate (e.g. 1mbit, 500kbit)\"");
  CHECK(bw->Invoke(c.test, NemesisOp("stop-bandwidth")).value.IsKeyword("bandwidth-healed"));
}

TEST_CASE("Clock nemesis writes offsets atomically, reproducibly from its seed, and stops strobes",
          "[nemesis]") {
  ClockOptions o{.offset_file = "/var/jepsen/ft", .max_offset_ms = 5000,
                 .strobe_period = std::chrono::milliseconds(20),
                 .strobe_duration = std::chrono::milliseconds(2000)};
  std::vector<std::string> records;
  for (int run = 0; run < 2; ++run) {
    FakeNodes c({"n1", "n2", "n3", "n4", "n5"});
    auto clock = MakeClockNemesis(o, 42);
    REQUIRE(clock->Setup(c.test).ok());
    Op bump = clock->Invoke(c.test, NemesisOp("bump-clock", Value::Keyword("majority")));
    records.push_back(bump.value.ToEdn());
    REQUIRE(bump.value.is_map());
    CHECK(bump.value.entries().size() == 3);
    for (const MapEntry& e : bump.value.entries()) {
      int64_t offset = e.value.AsInt();
      CHECK(std::abs(offset) <= 5000);
      std::string node(e.key.AsString());
      std::string cmd = c.remotes[node]->commands().back();
      CHECK(cmd == fmt::format(
                       "{{ [ ! -f /var/jepsen/ft.strobe.pid ] || kill \"$(cat /var/jepsen/ft.strobe.pid)\" "
                       "2>/dev/null; rm -f /var/jepsen/ft.strobe.pid; }} && mkdir -p \"$(dirname -- "
                       "/var/jepsen/ft)\" && echo {} > /var/jepsen/ft.tmp && mv -f /var/jepsen/ft.tmp "
                       "/var/jepsen/ft",
                       fmt::format("{:+}", static_cast<double>(offset) / 1000)));
    }
    Op strobe = clock->Invoke(c.test, NemesisOp("strobe-clock", Value::Vector({Value::String("n4")})));
    records.push_back(strobe.value.ToEdn());
    std::string cmd = c.remotes["n4"]->commands().back();
    CHECK(cmd.find("while [ $i -lt 50 ]") != std::string::npos);  // 2 s of 20 ms flips
    CHECK(cmd.find("sleep 0.02") != std::string::npos);
    CHECK(cmd.find("echo $$ > /var/jepsen/ft.strobe.pid") != std::string::npos);
    Op reset = clock->Invoke(c.test, NemesisOp("reset-clock", Value::Keyword("all")));
    CHECK(reset.value.ToEdn() == "{\"n1\" 0, \"n2\" 0, \"n3\" 0, \"n4\" 0, \"n5\" 0}");
    CHECK(c.remotes["n4"]->commands().back().find("echo +0 > /var/jepsen/ft.tmp") != std::string::npos);
    REQUIRE(clock->Teardown(c.test).ok());
    CHECK(c.remotes["n1"]->commands().back().find("kill") != std::string::npos);
  }
  CHECK(records[0] == records[2]);  // same seed, same nodes and offsets
  CHECK(records[1] == records[3]);
  CHECK(ClockEnv(o)[1] == std::pair<std::string, std::string>{"FAKETIME_TIMESTAMP_FILE", "/var/jepsen/ft"});
}

TEST_CASE("Net and clock commands go through sudo for a login other than root", "[nemesis]") {
  FakeNodes c({"n1", "n2"});
  c.test.ssh.username = "jepsen";
  auto partitioner = MakePartitioner(MakeIptablesNet(), 1);
  Op op = partitioner->Invoke(c.test, NemesisOp("start-partition", Value::Keyword("one")));
  CHECK(op.error.is_nil());
  auto clock = MakeClockNemesis({.offset_file = "/var/jepsen/ft"}, 1);
  REQUIRE(clock->Setup(c.test).ok());
  std::vector<std::string> all = c.remotes["n1"]->commands();
  for (const std::string& cmd : c.remotes["n2"]->commands()) all.push_back(cmd);
  CHECK(all.size() >= 4);  // heal + drop on the cut node, heal on the other, clock resets
  for (const std::string& cmd : all) {
    INFO(cmd);
    CHECK(cmd.rfind("sudo -k -S -p '' sh -c '", 0) == 0);
  }
  // The same commands as root, or on this machine without SSH, run as they are.
  c.test.ssh.username = "root";
  CHECK(c.test.AsRoot("iptables -L") == "iptables -L");
  c.test.ssh = {.username = "jepsen", .no_ssh = true};
  CHECK(c.test.AsRoot("iptables -L") == "iptables -L");
}

TEST_CASE("Nemesis package offers packet loss and bandwidth with their own heals", "[nemesis]") {
  Result<NemesisPackage> p = MakeNemesisPackage(
      {.faults = {"packet-loss", "bandwidth", "partition"}, .interval = std::chrono::seconds(1), .seed = 9});
  REQUIRE(p.ok());
  CHECK(p->nemesis->Fs() == std::vector<std::string>{"start-bandwidth", "stop-bandwidth", "start-packet-loss",
                                                     "stop-packet-loss", "start-partition", "stop-partition"});
  Test test;
  SimulateResult heal = Simulate(test, p->final_generator, {.concurrency = 1});
  std::vector<std::string> fs;
  for (const Op& op : heal.history) {
    if (op.is_invoke()) fs.push_back(op.f.ToEdn());
  }
  CHECK(fs == std::vector<std::string>{":stop-bandwidth", ":stop-packet-loss", ":stop-partition"});
  CHECK(p->perf.ToEdn().find(":start-packet-loss") != std::string::npos);
}

}  // namespace
}  // namespace jepsen
