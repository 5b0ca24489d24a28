#include "jepsen/tikv/nemesis.h"

#include <catch2/catch.hpp>

#include "jepsen/generator/simulate.h"
#include "jepsen/test.h"

namespace jepsen::tikv {
namespace {

using std::chrono::seconds;

Test FiveNodes() {
  Test t;
  t.nodes = {"n1", "n2", "n3", "n4", "n5"};
  t.concurrency = 2;
  return t;
}

// "<seconds> <f>" for each nemesis invocation of `gen` run for `limit`.
std::vector<std::string> Schedule(const Gen& gen, seconds limit, uint64_t seed = 1) {
  Test t = FiveNodes();
  SimulateResult r = Simulate(t, gen::TimeLimit(limit, gen::Nemesis(gen)), {.seed = seed});
  std::vector<std::string> out;
  for (const Op& op : r.history) {
    if (op.is_invoke()) out.push_back(fmt::format("{} {}", op.time / 1'000'000'000, op.f.AsString()));
  }
  return out;
}

TEST_CASE("TiKV nemesis specs are the seed's names, none, and shorthands", "[tikv][nemesis]") {
  for (const std::string& name : NemesisSpecNames()) {
    INFO(name);
    CHECK(ParseNemesisSpec(name).ok());
  }
  CHECK(NemesisSpecNames().size() == 17);
  CHECK(ParseNemesisSpec("none")->empty());
  CHECK(*ParseNemesisSpec("kill,partition-one") == std::set<std::string>{"kill", "partition-one"});
  Result<std::set<std::string>> bad = ParseNemesisSpec("kill,clock");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(std::string(bad.status().message()),
             Catch::Contains("unknown failure type 'clock'") && Catch::Contains("partition-pd-leader"));
  CHECK(ExpandNemesisSpec({"partition"}) ==
        std::set<std::string>{"partition-one", "partition-pd-leader", "partition-half", "partition-ring"});
  CHECK(ExpandNemesisSpec({"kill", "pause"}) ==
        std::set<std::string>{"kill-pd", "kill-kv", "pause-pd", "pause-kv"});
  CHECK(ExpandNemesisSpec({"schedules"}) ==
        std::set<std::string>{"shuffle-leader", "shuffle-region", "random-merge"});
  // The seed's :stop set a misspelt :stop-pd and so did half of nothing; here it kills.
  CHECK(ExpandNemesisSpec({"stop"}) == std::set<std::string>{"kill-pd", "kill-kv"});
}

TEST_CASE("TiKV fixed nemesis schedule alternates fault and recovery on the interval",
          "[tikv][nemesis]") {
  Gen g = NemesisGenerator({.faults = {"kill-pd"}, .interval = seconds(10), .fixed_schedule = true});
  CHECK(Schedule(g, seconds(55)) ==
        std::vector<std::string>{"10 kill-pd", "20 start-pd", "30 kill-pd", "40 start-pd", "50 kill-pd"});
}

TEST_CASE("TiKV random nemesis schedule staggers a mix of every enabled fault", "[tikv][nemesis]") {
  Gen g = NemesisGenerator({.faults = {"partition", "schedules"}, .interval = seconds(10)});
  std::vector<std::string> s = Schedule(g, seconds(2000), 3);
  // Mean interval 10 s: about 200 ops.
  CHECK(s.size() > 150);
  CHECK(s.size() < 250);
  std::set<std::string> fs;
  for (const auto& line : s) fs.insert(line.substr(line.find(' ') + 1));
  CHECK(fs == std::set<std::string>{"start-partition", "stop-partition", "shuffle-leader",
                                    "del-shuffle-leader", "shuffle-region", "del-shuffle-region",
                                    "random-merge", "del-random-merge"});
}

TEST_CASE("TiKV partition ops carry grudges, the PD leader's is resolved when run",
          "[tikv][nemesis]") {
  Test t = FiveNodes();
  auto first_partition = [&](const std::string& spec) {
    Gen g = NemesisGenerator({.faults = {spec}, .interval = seconds(1)});
    SimulateResult r = Simulate(t, gen::Limit(1, gen::Nemesis(g)), {.seed = 5});
    REQUIRE(!r.history.empty());
    return r.history.front();
  };
  Op one = first_partition("partition-one");
  CHECK(one.f.IsNamed("start-partition"));
  REQUIRE(one.value.is_map());
  CHECK(one.value.size() == 5);
  CHECK(one.extra.Find("partition-type")->IsNamed("single-node"));
  Op leader = first_partition("partition-pd-leader");
  CHECK(leader.value.IsNamed("primaries"));
  CHECK(leader.extra.Find("partition-type")->IsNamed("pd-leader"));
  Op ring = first_partition("partition-ring");
  CHECK(ring.extra.Find("partition-type")->IsNamed("ring"));
}

TEST_CASE("TiKV final nemesis generator heals every enabled fault, PD leader partitions too",
          "[tikv][nemesis]") {
  auto finals = [](std::set<std::string> faults) { return Schedule(NemesisFinalGenerator({.faults = faults}), seconds(100)); };
  // The seed's final-generator left partition-pd-leader in place.
  CHECK(finals({"partition-pd-leader"}) == std::vector<std::string>{"0 stop-partition"});
  CHECK(finals({"partition", "kill", "pause", "schedules"}) ==
        std::vector<std::string>{"0 resume-pd", "0 resume-kv", "0 start-pd", "0 start-kv",
                                 "0 del-shuffle-leader", "0 del-shuffle-region",
                                 "0 del-random-merge", "0 stop-partition"});
  CHECK(finals({}).empty());
}

TEST_CASE("TiKV restart-kv-without-pd runs its own schedule", "[tikv][nemesis]") {
  Test t = FiveNodes();
  SimulateResult r = Simulate(
      t, gen::Nemesis(NemesisGenerator({.faults = {"restart-kv-without-pd", "kill"}})), {});
  std::vector<std::string> s;
  for (const Op& op : r.history) {
    if (op.is_invoke()) {
      s.push_back(fmt::format("{} {} {}", op.time / 1'000'000'000, op.f.AsString(), op.value));
    }
  }
  CHECK(s == std::vector<std::string>{"10 kill-kv [\"n1\" \"n2\" \"n3\" \"n4\" \"n5\"]",
                                      "10 pause-pd [\"n1\" \"n2\" \"n3\" \"n4\" \"n5\"]",
                                      "10 start-kv nil", "80 resume-pd nil"});
}

TEST_CASE("TiKV long recovery alternates 120 s of faults with a heal and 60 s of quiet",
          "[tikv][nemesis]") {
  Gen g = NemesisGenerator({.faults = {"kill-kv"}, .interval = seconds(10), .long_recovery = true,
                            .fixed_schedule = true});
  std::vector<std::string> s = Schedule(g, seconds(400));
  // Faults during [0, 120); when the next tick (120) is past the window, the heal at
  // once, 60 s of quiet, and the cycle again (its first fault one interval in).
  REQUIRE(s.size() >= 14);
  std::vector<std::string> head(s.begin(), s.begin() + 14);
  CHECK(head == std::vector<std::string>{"10 kill-kv", "20 start-kv", "30 kill-kv", "40 start-kv",
                                         "50 kill-kv", "60 start-kv", "70 kill-kv", "80 start-kv",
                                         "90 kill-kv", "100 start-kv", "110 kill-kv", "110 start-kv",
                                         "180 kill-kv", "190 start-kv"});
}

TEST_CASE("TiKV nemesis with no faults generates nothing", "[tikv][nemesis]") {
  CHECK(NemesisGenerator({}).empty());
  CHECK(NemesisFinalGenerator({}).empty());
}

}  // namespace
}  // namespace jepsen::tikv
