#include "jepsen/nemesis/faults.h"

#include <catch2/catch.hpp>

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
        "(! iptables -w -L JEPSEN -n >/dev/null 2>&1 || iptables -w -F JEPSEN) && (tc qdisc show "
        "dev eth0 2>/dev/null | grep -q ' tbf ' && tc qdisc del dev eth0 root || true)");
  CHECK(n1[1] ==
        "(iptables -w -L JEPSEN -n >/dev/null 2>&1 || iptables -w -N JEPSEN) && (iptables -w -C "
        "INPUT -j JEPSEN 2>/dev/null || iptables -w -I INPUT -j JEPSEN) && iptables -w -A JEPSEN "
        "-s n2 -j DROP");
  CHECK(remotes[1]->commands().size() == 1);  // n2 drops nothing: only the heal
  Op healed = nemesis->Invoke(test, Op{.process = kNemesisProcess, .f = Value::Keyword("stop-partition")});
  CHECK(healed.value.IsKeyword("network-healed"));
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
        "unknown fault 'meteor' (partition, kill, pause, clock)");
}

}  // namespace
}  // namespace jepsen
