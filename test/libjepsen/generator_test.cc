#include "jepsen/generator.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "jepsen/generator/independent.h"
#include "jepsen/generator/simulate.h"
#include "jepsen/test.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;

// "process type f value" per recorded op.
std::vector<std::string> Lines(const std::vector<Op>& history) {
  std::vector<std::string> out;
  for (const Op& op : history) {
    out.push_back(
        fmt::format("{} {} {} {}", op.process, OpTypeName(op.type), op.f, op.value));
  }
  return out;
}

std::vector<Op> Invocations(const std::vector<Op>& history) {
  std::vector<Op> out;
  for (const Op& op : history) {
    if (op.is_invoke()) out.push_back(op);
  }
  return out;
}

Gen Reads() { return gen::Repeat(gen::Invoke("read")); }

SimulateResult Run(Gen g, SimulateOptions o = {}) {
  Test test;
  return Simulate(test, std::move(g), o);
}

TEST_CASE("Generator Invoke emits one op for a free process", "[generator]") {
  SimulateResult r = Run(gen::Clients(gen::Invoke("write", 3)), {.concurrency = 1});
  CHECK(Lines(r.history) ==
        std::vector<std::string>{"0 invoke :write 3", "0 ok :write 3"});
  CHECK_FALSE(r.stuck);
}

TEST_CASE("Generator Repeat, Limit and Once bound how many ops run", "[generator]") {
  CHECK(Invocations(Run(gen::Repeat(3, gen::Invoke("read"))).history).size() == 3);
  CHECK(Invocations(Run(gen::Limit(5, Reads())).history).size() == 5);
  CHECK(Invocations(Run(gen::Once(Reads())).history).size() == 1);
  CHECK(Invocations(Run(gen::Limit(0, Reads())).history).empty());
}

TEST_CASE("Generator Concat runs each generator in turn", "[generator]") {
  SimulateResult r = Run(
      gen::Clients(gen::Concat({gen::Invoke("a"), gen::Invoke("b"), gen::Invoke("c")})),
      {.concurrency = 1});
  CHECK(Lines(r.history) == std::vector<std::string>{"0 invoke :a nil", "0 ok :a nil",
                                                     "0 invoke :b nil", "0 ok :b nil",
                                                     "0 invoke :c nil", "0 ok :c nil"});
}

TEST_CASE("Generator Phases waits for every thread before the next phase",
          "[generator]") {
  SimulateOptions o{.concurrency = 3, .latency = [](const Op& op) {
                      return op.f.IsKeyword("slow") ? 100 : 1;
                    }};
  SimulateResult r = Run(gen::Phases({gen::Limit(3, gen::Repeat(gen::Invoke("slow"))),
                                      gen::Limit(3, gen::Repeat(gen::Invoke("fast")))}),
                         o);
  int64_t last_slow_done = 0, first_fast = INT64_MAX;
  for (const Op& op : r.history) {
    if (op.f.IsKeyword("slow") && !op.is_invoke())
      last_slow_done = std::max(last_slow_done, op.time);
    if (op.f.IsKeyword("fast") && op.is_invoke())
      first_fast = std::min(first_fast, op.time);
  }
  CHECK(last_slow_done == 100);
  CHECK(first_fast >= last_slow_done);
}

TEST_CASE("Generator Then runs its second argument first, as Jepsen's", "[generator]") {
  SimulateResult r = Run(gen::Clients(gen::Then(gen::Invoke("a"), gen::Invoke("b"))),
                         {.concurrency = 1});
  CHECK(Invocations(r.history)[0].f.IsKeyword("b"));
  CHECK(Invocations(r.history)[1].f.IsKeyword("a"));
}

TEST_CASE("Generator Mix chooses among generators with the seeded random source",
          "[generator]") {
  auto mixed = [](uint64_t seed) {
    return Run(gen::Limit(200, gen::Mix({gen::Repeat(gen::Invoke("read")),
                                         gen::Repeat(gen::Invoke("write"))})),
               {.seed = seed});
  };
  std::map<std::string, int> counts;
  for (const Op& op : Invocations(mixed(7).history)) ++counts[op.f.ToEdn()];
  CHECK(counts[":read"] > 70);
  CHECK(counts[":write"] > 70);
  CHECK(Lines(mixed(7).history) == Lines(mixed(7).history));  // replayable
  CHECK(Lines(mixed(7).history) != Lines(mixed(8).history));
  // Exhausted members drop out.
  CHECK(Invocations(Run(gen::Mix({gen::Invoke("a"), gen::Invoke("b")})).history).size() ==
        2);
}

TEST_CASE("Generator Any takes the soonest op of its generators", "[generator]") {
  Gen late = gen::Delay(10s, gen::Limit(2, gen::Repeat(gen::Invoke("late"))));
  Gen soon = gen::Limit(2, gen::Repeat(gen::Invoke("soon")));
  SimulateResult r = Run(gen::Clients(gen::Any({late, soon})), {.concurrency = 1});
  std::vector<std::string> fs;
  for (const Op& op : Invocations(r.history)) fs.push_back(op.f.ToEdn());
  CHECK(fs == std::vector<std::string>{":late", ":soon", ":soon", ":late"});
}

TEST_CASE("Generator FlipFlop alternates until either side is exhausted", "[generator]") {
  SimulateResult r =
      Run(gen::Clients(gen::FlipFlop(gen::Repeat(gen::Invoke("a")),
                                     gen::Limit(2, gen::Repeat(gen::Invoke("b"))))),
          {.concurrency = 1});
  std::vector<std::string> fs;
  for (const Op& op : Invocations(r.history)) fs.push_back(op.f.ToEdn());
  CHECK(fs == std::vector<std::string>{":a", ":b", ":a", ":b", ":a"});
}

TEST_CASE("Generator Map and Filter transform and drop ops", "[generator]") {
  int64_t i = 0;
  Gen counted = gen::Fn([&i](const Test&, const Context&) -> std::optional<Op> {
    if (i >= 6) return std::nullopt;
    return Op{.f = Value::Keyword("write"), .value = i++};
  });
  Gen g = gen::Map(
      [](Op op) {
        op.value = Value(op.value.AsInt() * 10);
        return op;
      },
      gen::Filter([](const Op& op) { return op.value.AsInt() % 2 == 0; }, counted));
  std::vector<int64_t> values;
  for (const Op& op : Invocations(Run(gen::Clients(g), {.concurrency = 1}).history)) {
    values.push_back(op.value.AsInt());
  }
  CHECK(values == std::vector<int64_t>{0, 20, 40});
}

TEST_CASE("Generator Stagger spaces ops randomly around the given mean", "[generator]") {
  SimulateResult r = Run(gen::Clients(gen::Limit(2000, gen::Stagger(1ms, Reads()))),
                         {.concurrency = 1, .seed = 3});
  std::vector<Op> inv = Invocations(r.history);
  double mean =
      static_cast<double>(inv.back().time - inv.front().time) / (inv.size() - 1);
  CHECK(mean > 0.9e6);
  CHECK(mean < 1.1e6);
}

TEST_CASE("Generator Delay and DelayTil schedule ops in time", "[generator]") {
  std::vector<Op> delayed = Invocations(
      Run(gen::Clients(gen::Limit(4, gen::Delay(5ms, Reads()))), {.concurrency = 1})
          .history);
  for (size_t i = 0; i < delayed.size(); ++i)
    CHECK(delayed[i].time == static_cast<int64_t>(i) * 5000000);
  // DelayTil: only at multiples of dt, even when the inner ops come at odd times.
  Gen odd = gen::Stagger(3ms, Reads());
  std::vector<Op> slotted =
      Invocations(Run(gen::Clients(gen::Limit(20, gen::DelayTil(10ms, odd))),
                      {.concurrency = 1, .seed = 5})
                      .history);
  std::set<int64_t> slots;
  for (const Op& op : slotted) {
    CHECK(op.time % 10000000 == 0);
    CHECK(slots.insert(op.time).second);  // one op per slot
  }
}

TEST_CASE("Generator TimeLimit stops emitting after the limit", "[generator]") {
  SimulateResult r = Run(gen::Clients(gen::TimeLimit(1s, gen::Delay(100ms, Reads()))),
                         {.concurrency = 1});
  std::vector<Op> inv = Invocations(r.history);
  CHECK(inv.size() == 10);
  CHECK(inv.back().time == 900000000);
}

TEST_CASE("Generator Clients and Nemesis split the threads", "[generator]") {
  SimulateResult r =
      Run(gen::ClientsAndNemesis(gen::Limit(4, Reads()),
                                 gen::Limit(2, gen::Repeat(gen::Invoke("kill")))),
          {.concurrency = 2});
  for (const Op& op : Invocations(r.history)) {
    if (op.f.IsKeyword("kill")) {
      CHECK(op.is_nemesis());
    } else {
      CHECK(op.is_client());
    }
  }
  CHECK(Invocations(r.history).size() == 6);
}

TEST_CASE("Generator OnThreads and Reserve give threads their own generators",
          "[generator]") {
  SimulateOptions o{.concurrency = 5, .latency = [](const Op&) { return 10; }};
  Gen g = gen::Clients(gen::Reserve(
      {{2, gen::Repeat(gen::Invoke("write"))}, {1, gen::Repeat(gen::Invoke("cas"))}},
      Reads()));
  SimulateResult r = Run(gen::Limit(100, g), o);
  for (const Op& op : Invocations(r.history)) {
    int thread = static_cast<int>(op.process % 5);
    const char* want = thread < 2 ? "write" : thread < 3 ? "cas" : "read";
    CHECK(op.f.IsKeyword(want));
  }
  SimulateResult only =
      Run(gen::Limit(20, gen::OnThreads([](int t) { return t == 1; }, Reads())), o);
  for (const Op& op : Invocations(only.history)) CHECK(op.process == 1);
}

TEST_CASE("Generator Any and Reserve break ties at random, weighted by threads",
          "[generator]") {
  // At time 0 every part offers an op. Any must not always take the first part (that
  // starves a part whose ops always coincide with another's); Reserve weights each
  // part by its threads: here 1 writer thread against 3 reader threads.
  int any_writes_first = 0, reserve_writes_first = 0;
  const int seeds = 400;
  for (int seed = 1; seed <= seeds; ++seed) {
    SimulateOptions o{.concurrency = 4, .seed = static_cast<uint64_t>(seed)};
    SimulateResult any = Run(gen::Limit(1, gen::Clients(gen::Any(
                                               {gen::Repeat(gen::Invoke("write")), Reads()}))),
                             o);
    REQUIRE(any.history.size() == 2);
    if (any.history[0].f.IsKeyword("write")) ++any_writes_first;
    SimulateResult reserve = Run(
        gen::Limit(1, gen::Clients(gen::Reserve({{1, gen::Repeat(gen::Invoke("write"))}},
                                                Reads()))),
        o);
    REQUIRE(reserve.history.size() == 2);
    if (reserve.history[0].f.IsKeyword("write")) ++reserve_writes_first;
  }
  // Expected 1/2 and 1/4 of 400; the bounds are > 5 standard deviations wide.
  CHECK(any_writes_first > 150);
  CHECK(any_writes_first < 250);
  CHECK(reserve_writes_first > 60);
  CHECK(reserve_writes_first < 140);
}

TEST_CASE("Generator EachThread gives every thread its own copy", "[generator]") {
  SimulateResult r =
      Run(gen::Clients(gen::EachThread(gen::Limit(2, Reads()))), {.concurrency = 3});
  std::map<int64_t, int> per_process;
  for (const Op& op : Invocations(r.history)) ++per_process[op.process];
  CHECK(per_process == std::map<int64_t, int>{{0, 2}, {1, 2}, {2, 2}});
}

TEST_CASE("Generator EachProcess restarts its copy for a new process", "[generator]") {
  // Every op crashes, so each thread moves to a new process after each op; every new
  // process gets a fresh copy and invokes exactly once.
  SimulateOptions o{.concurrency = 2,
                    .max_ops = 16,
                    .latency = [](const Op& op) { return 1 + op.process % 2; },
                    .complete = [](const Op&) { return Op{.type = OpType::kInfo}; }};
  SimulateResult r =
      Run(gen::Clients(gen::EachProcess(gen::Once(gen::Invoke("setup")))), o);
  std::map<int64_t, int> per_process;
  for (const Op& op : Invocations(r.history)) ++per_process[op.process];
  CHECK(per_process.size() >= 8);
  for (const auto& [p, n] : per_process) CHECK(n == 1);
  // Without crashes each process does its one op and the generator is exhausted.
  SimulateResult calm =
      Run(gen::Clients(gen::EachProcess(gen::Once(gen::Invoke("setup")))),
          {.concurrency = 2});
  CHECK(Invocations(calm.history).size() == 2);
}

TEST_CASE("Generator Cycle restarts a finite generator", "[generator]") {
  SimulateResult r =
      Run(gen::Clients(gen::Cycle(2, gen::Concat({gen::Invoke("a"), gen::Invoke("b")}))),
          {.concurrency = 1});
  std::vector<std::string> fs;
  for (const Op& op : Invocations(r.history)) fs.push_back(op.f.ToEdn());
  CHECK(fs == std::vector<std::string>{":a", ":b", ":a", ":b"});
}

TEST_CASE("Generator UntilOk stops once an op of its own succeeds", "[generator]") {
  int calls = 0;
  SimulateOptions o{.concurrency = 1, .complete = [&calls](const Op&) {
                      return Op{.type = ++calls < 3 ? OpType::kFail : OpType::kOk};
                    }};
  SimulateResult r =
      Run(gen::Clients(gen::UntilOk(gen::Repeat(gen::Invoke("connect")))), o);
  CHECK(Invocations(r.history).size() == 3);
}

TEST_CASE("Generator ProcessLimit uses at most n processes", "[generator]") {
  SimulateOptions o{.concurrency = 2, .max_ops = 100, .complete = [](const Op&) {
                      return Op{.type = OpType::kInfo};
                    }};
  SimulateResult r = Run(gen::Clients(gen::ProcessLimit(3, Reads())), o);
  std::set<int64_t> processes;
  for (const Op& op : r.history) processes.insert(op.process);
  CHECK(processes.size() == 3);
  CHECK_FALSE(r.stuck);
}

TEST_CASE("Generator ConcurrencyLimit bounds the ops in flight", "[generator]") {
  SimulateOptions o{.concurrency = 6, .latency = [](const Op&) { return 1000; }};
  SimulateResult r = Run(gen::Limit(30, gen::ConcurrencyLimit(2, Reads())), o);
  int in_flight = 0, most = 0;
  for (const Op& op : r.history) {
    in_flight += op.is_invoke() ? 1 : -1;
    most = std::max(most, in_flight);
  }
  CHECK(most == 2);
  CHECK(Invocations(r.history).size() == 30);
}

TEST_CASE("Generator Synchronize waits for busy threads", "[generator]") {
  SimulateOptions o{.concurrency = 2,
                    .latency = [](const Op& op) { return op.f.IsKeyword("a") ? 50 : 1; }};
  SimulateResult r =
      Run(gen::Concat({gen::Invoke("a"), gen::Synchronize(gen::Invoke("b"))}), o);
  std::vector<Op> inv = Invocations(r.history);
  REQUIRE(inv.size() == 2);
  CHECK(inv[1].time == 50);
}

TEST_CASE("Generator Sleep and Log take time or write the log but record nothing",
          "[generator]") {
  SimulateResult r =
      Run(gen::Clients(gen::Concat(
              {gen::Invoke("a"), gen::Sleep(2s), gen::Log("halfway"), gen::Invoke("b")})),
          {.concurrency = 1});
  std::vector<Op> inv = Invocations(r.history);
  REQUIRE(inv.size() == 2);
  CHECK(inv[1].time == 2000000000);
  REQUIRE(r.logs.size() == 1);
  CHECK(r.logs[0].second == "halfway");
}

TEST_CASE("Generator retires a crashed process as process plus concurrency",
          "[generator]") {
  int calls = 0;
  SimulateOptions o{.concurrency = 3, .complete = [&calls](const Op&) {
                      return Op{.type = ++calls == 1 ? OpType::kInfo : OpType::kOk};
                    }};
  SimulateResult r = Run(
      gen::Clients(gen::Limit(2, gen::OnThreads([](int t) { return t == 0; }, Reads()))),
      o);
  std::vector<Op> inv = Invocations(r.history);
  REQUIRE(inv.size() == 2);
  CHECK(inv[0].process == 0);
  CHECK(inv[1].process == 3);
}

TEST_CASE("Generator IndependentSequential wraps values in key tuples, key after key",
          "[generator]") {
  Gen g = gen::IndependentSequential(KeyList({Value::String("x"), Value::String("y")}),
                                     [](const Value&) { return gen::Limit(2, Reads()); });
  std::vector<std::string> values;
  for (const Op& op : Invocations(Run(g).history)) values.push_back(op.value.ToEdn());
  CHECK(values == std::vector<std::string>{"[\"x\" nil]", "[\"x\" nil]", "[\"y\" nil]",
                                           "[\"y\" nil]"});
}

TEST_CASE("Generator IndependentConcurrent gives each group of threads its own key",
          "[generator]") {
  SimulateOptions o{.concurrency = 4, .latency = [](const Op&) { return 5; }};
  Gen g = gen::IndependentConcurrent(2, IntegerKeys(),
                                     [](const Value&) { return gen::Limit(3, Reads()); });
  SimulateResult r = Run(gen::Clients(gen::Limit(24, g)), o);
  std::map<int64_t, std::set<int>> groups_of_key;
  for (const Op& op : Invocations(r.history)) {
    auto parts = SplitKeyedValue(op.value);
    REQUIRE(parts);
    groups_of_key[parts->first.AsInt()].insert(static_cast<int>(op.process % 4) / 2);
  }
  CHECK(groups_of_key.size() == 8);  // 24 ops, 3 per key
  for (const auto& [key, groups] : groups_of_key) CHECK(groups.size() == 1);
  // Finite keys end the generator.
  SimulateResult finite =
      Run(gen::IndependentConcurrent(2, KeyList({Value(1), Value(2), Value(3)}),
                                     [](const Value&) { return gen::Limit(2, Reads()); }),
          o);
  CHECK(Invocations(finite.history).size() == 6);
  CHECK_FALSE(finite.stuck);
}

TEST_CASE("Generator Fn draws from the context's seeded random source", "[generator]") {
  auto values = [](uint64_t seed) {
    Gen g = gen::Limit(
        5, gen::Fn([](const Test&, const Context& ctx) -> std::optional<Op> {
          return Op{.f = Value::Keyword("write"), .value = ctx.rng().Uniform(1000)};
        }));
    std::vector<std::string> out;
    for (const Op& op : Invocations(Run(g, {.seed = seed}).history))
      out.push_back(op.value.ToEdn());
    return out;
  };
  CHECK(values(1) == values(1));
  CHECK(values(1) != values(2));
}

TEST_CASE("Generator reports a generator stuck pending with nothing in flight",
          "[generator]") {
  SimulateResult r = Run(gen::Nemesis(gen::Synchronize(gen::Invoke("x"))), {});
  CHECK(r.history.size() == 2);
  CHECK_FALSE(r.stuck);
  SimulateResult stuck = Run(gen::OnThreads([](int) { return false; }, Reads()), {});
  CHECK(stuck.stuck);
}

}  // namespace
}  // namespace jepsen
