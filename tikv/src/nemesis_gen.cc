// The seed's nemesis generators (nemesis.clj: mixed-generator, final-generator,
// restart-kv-without-pd-generator, full-generator).
#include <fmt/format.h>

#include "jepsen/net.h"
#include "jepsen/test.h"
#include "jepsen/tikv/nemesis.h"

namespace jepsen::tikv {
namespace {

Op NemesisOp(std::string_view f, Value value = Value()) {
  return Op{.type = OpType::kInfo, .f = Value::Keyword(f), .value = std::move(value)};
}

Gen Always(std::string_view f) { return gen::Repeat(gen::Invoke(NemesisOp(f))); }

// A start-partition op whose grudge `make` computes when the op is generated.
Gen PartitionGen(std::string type, std::function<Value(const Test&, Random&)> make) {
  return gen::Fn([type, make](const Test& test, const Context& ctx) -> std::optional<Op> {
    Op op = NemesisOp("start-partition", make(test, ctx.rng()));
    op.extra = Value::Map({{Value::Keyword("partition-type"), Value::Keyword(type)}});
    return op;
  });
}

// The seed's (o possible-gens recovery): a mix of the enabled faults alternating with
// their recovery; empty when none is enabled.
Gen FaultFlipFlop(const std::set<std::string>& n,
                  std::vector<std::pair<std::string, Gen>> possible, std::string_view recovery) {
  std::vector<Gen> gens;
  for (auto& [option, g] : possible) {
    if (n.count(option)) gens.push_back(g);
  }
  if (gens.empty()) return Gen();
  return gen::FlipFlop(gen::Mix(std::move(gens)), Always(recovery));
}

Gen MixedGenerator(const std::set<std::string>& n, const NemesisOptions& o) {
  std::vector<Gen> flip_flops;
  auto add = [&](Gen g) {
    if (!g.empty()) flip_flops.push_back(std::move(g));
  };
  add(FaultFlipFlop(n, {{"kill-pd", Always("kill-pd")}}, "start-pd"));
  add(FaultFlipFlop(n, {{"kill-kv", Always("kill-kv")}}, "start-kv"));
  add(FaultFlipFlop(n, {{"pause-pd", Always("pause-pd")}}, "resume-pd"));
  add(FaultFlipFlop(n, {{"pause-kv", Always("pause-kv")}}, "resume-kv"));
  add(FaultFlipFlop(n, {{"shuffle-leader", Always("shuffle-leader")}}, "del-shuffle-leader"));
  add(FaultFlipFlop(n, {{"shuffle-region", Always("shuffle-region")}}, "del-shuffle-region"));
  add(FaultFlipFlop(n, {{"random-merge", Always("random-merge")}}, "del-random-merge"));
  add(FaultFlipFlop(
      n,
      {{"partition-one", PartitionGen("single-node",
                                      [](const Test& t, Random& rng) {
                                        return GrudgeValue(CompleteGrudge(SplitOne(t.nodes, rng)));
                                      })},
       // Resolved when the op runs: the partitioner asks the DB for its primary, which
       // is the PD leader from PD's HTTP API.
       {"partition-pd-leader",
        PartitionGen("pd-leader", [](const Test&, Random&) { return Value::Keyword("primaries"); })},
       {"partition-half", PartitionGen("half",
                                       [](const Test& t, Random& rng) {
                                         return GrudgeValue(CompleteGrudge(Bisect(t.nodes, rng)));
                                       })},
       {"partition-ring", PartitionGen("ring",
                                       [](const Test& t, Random& rng) {
                                         return GrudgeValue(MajoritiesRing(t.nodes, rng));
                                       })}},
      "stop-partition"));
  if (flip_flops.empty()) return Gen();
  Gen mix = gen::Mix(std::move(flip_flops));
  if (!o.fixed_schedule) return gen::Stagger(o.interval, mix);
  // The seed's delay-til sleeps to the next tick strictly after now, so its first
  // fault comes one interval in; gen::DelayTil would also use the slot at 0.
  return gen::Concat({gen::Sleep(o.interval), gen::DelayTil(o.interval, mix)});
}

std::vector<std::string> FinalFs(const std::set<std::string>& n) {
  std::vector<std::string> fs;
  for (auto [option, f] : std::vector<std::pair<std::string, std::string>>{
           {"pause-pd", "resume-pd"},
           {"pause-kv", "resume-kv"},
           {"kill-pd", "start-pd"},
           {"kill-kv", "start-kv"},
           {"shuffle-leader", "del-shuffle-leader"},
           {"shuffle-region", "del-shuffle-region"},
           {"random-merge", "del-random-merge"}}) {
    if (n.count(option)) fs.push_back(f);
  }
  // The seed listed partition-one, -half and -ring here but not -pd-leader, so a
  // leader partition could outlive the test's final phase.
  for (const char* p : {"partition-one", "partition-pd-leader", "partition-half", "partition-ring"}) {
    if (n.count(p)) {
      fs.push_back("stop-partition");
      break;
    }
  }
  return fs;
}

Gen FinalFromSet(const std::set<std::string>& n) {
  std::vector<Gen> ops;
  for (const auto& f : FinalFs(n)) ops.push_back(gen::Invoke(NemesisOp(f)));
  if (ops.empty()) return Gen();
  return gen::Concat(std::move(ops));
}

Gen AllNodes(std::string_view f) {
  std::string name(f);
  return gen::Once(gen::Fn([name](const Test& test, const Context&) -> std::optional<Op> {
    std::vector<Value> nodes;
    for (const auto& node : test.nodes) nodes.push_back(Value::String(node));
    return NemesisOp(name, Value::Vector(std::move(nodes)));
  }));
}

Gen RestartKvWithoutPd() {
  using std::chrono::seconds;
  return gen::Concat({gen::Sleep(seconds(10)), AllNodes("kill-kv"), AllNodes("pause-pd"),
                      gen::Invoke(NemesisOp("start-kv")), gen::Sleep(seconds(70)),
                      gen::Invoke(NemesisOp("resume-pd"))});
}

}  // namespace

const std::vector<std::string>& NemesisSpecNames() {
  static const std::vector<std::string> names = {
      "partition", "partition-one", "partition-pd-leader", "partition-half", "partition-ring",
      "kill",      "pause",         "kill-pd",             "kill-kv",        "pause-pd",
      "pause-kv",  "schedules",     "shuffle-leader",      "shuffle-region", "random-merge",
      "restart-kv-without-pd", "none"};
  return names;
}

Result<std::set<std::string>> ParseNemesisSpec(std::string_view spec) {
  if (spec == "none") return std::set<std::string>{};
  std::set<std::string> out;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string name(spec.substr(start, comma - start));
    start = comma + 1;
    const auto& names = NemesisSpecNames();
    bool known = name == "stop" ||
                 (name != "none" && std::find(names.begin(), names.end(), name) != names.end());
    if (!known) {
      return InvalidArgumentError(fmt::format(
          "--nemesis: unknown failure type '{}'; use a comma-separated list of {}, or none", name,
          fmt::join(names.begin(), names.end() - 1, ", ")));
    }
    out.insert(name);
  }
  return out;
}

std::set<std::string> ExpandNemesisSpec(const std::set<std::string>& specs) {
  std::set<std::string> n = specs;
  auto expand = [&](const char* shorthand, std::initializer_list<const char*> into) {
    if (!specs.count(shorthand)) return;
    n.erase(shorthand);
    for (const char* s : into) n.insert(s);
  };
  expand("kill", {"kill-pd", "kill-kv"});
  expand("stop", {"kill-pd", "kill-kv"});
  expand("pause", {"pause-pd", "pause-kv"});
  expand("schedules", {"shuffle-leader", "shuffle-region", "random-merge"});
  expand("partition", {"partition-one", "partition-pd-leader", "partition-half", "partition-ring"});
  return n;
}

bool IsProcessFault(const std::string& f) {
  return f.rfind("kill", 0) == 0 || f.rfind("pause", 0) == 0 || f == "restart-kv-without-pd";
}

Gen NemesisGenerator(const NemesisOptions& o) {
  std::set<std::string> n = ExpandNemesisSpec(o.faults);
  if (n.count("restart-kv-without-pd")) return RestartKvWithoutPd();
  if (o.long_recovery) {
    Gen mixed = MixedGenerator(n, o);
    if (mixed.empty()) return Gen();
    Gen recover = FinalFromSet(n);
    std::vector<Gen> quiet;
    if (!recover.empty()) quiet.push_back(recover);
    quiet.push_back(gen::Sleep(std::chrono::seconds(60)));
    return gen::Cycle(gen::Concat({gen::TimeLimit(std::chrono::seconds(120), mixed),
                                   gen::Phases(std::move(quiet))}));
  }
  return MixedGenerator(n, o);
}

Gen NemesisFinalGenerator(const NemesisOptions& o) {
  std::set<std::string> n = ExpandNemesisSpec(o.faults);
  if (n.count("restart-kv-without-pd")) {
    // Its own schedule ends healed, but a test cut short by the time limit may not.
    n.insert({"kill-kv", "pause-pd"});
  }
  return FinalFromSet(n);
}

}  // namespace jepsen::tikv
