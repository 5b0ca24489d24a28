// The seed's process-nemesis and schedule-nemesis, composed with the partitioner
// (nemesis.clj: full-nemesis).
#include <fmt/format.h>

#include <mutex>

#include "jepsen/db.h"
#include "jepsen/nemesis/faults.h"
#include "jepsen/random.h"
#include "jepsen/runner.h"
#include "jepsen/test.h"
#include "jepsen/tikv/db.h"
#include "jepsen/tikv/nemesis.h"

namespace jepsen::tikv {
namespace {

Op Info(const Op& op, Value value, Value error = Value()) {
  Op done = op;
  done.type = OpType::kInfo;
  done.value = std::move(value);
  done.error = std::move(error);
  return done;
}

// kill/start/pause/resume of PD or TiKV on some nodes.
class ProcessNemesis : public Nemesis {
 public:
  explicit ProcessNemesis(uint64_t seed) : rng_(seed) {}

  Op Invoke(const Test& test, const Op& op) override {
    auto* p = dynamic_cast<TikvProcesses*>(test.db.get());
    std::string f(op.f.AsString());
    if (p == nullptr) {
      return Info(op, op.value, Value::Vector({Value::Keyword("unsupported"),
                                               Value::String(f + " needs the managed cluster "
                                                             "(--db tikv), not --db existing")}));
    }
    std::vector<std::string> nodes = Targets(test, op, f);
    std::mutex mu;
    std::vector<MapEntry> results;
    Status s = OnNodes(test, [&](const std::string& node) -> Status {
      if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) return OkStatus();
      Status r = Apply(*p, test, node, f);
      std::lock_guard<std::mutex> lock(mu);
      results.push_back({Value::String(node), r.ok() ? Value::Keyword(Done(f))
                                                     : Value::String(r.message())});
      return OkStatus();
    });
    (void)s;  // every node's outcome is in the value
    // Nodes finish in any order; record them in the test's order.
    std::sort(results.begin(), results.end(),
              [](const MapEntry& a, const MapEntry& b) { return a.key.AsString() < b.key.AsString(); });
    return Info(op, Value::Map(std::move(results)));
  }
  Status Teardown(const Test& test) override {
    auto* p = dynamic_cast<TikvProcesses*>(test.db.get());
    if (p == nullptr) return OkStatus();
    // Resume anything paused; restarting killed daemons is the final generator's job.
    return OnNodes(test, [&](const std::string& node) {
      Status a = p->SignalPd(test, node, "CONT");
      Status b = p->SignalKv(test, node, "CONT");
      return a.ok() ? b : a;
    });
  }
  std::vector<std::string> Fs() const override {
    return {"start-pd", "start-kv", "kill-pd", "kill-kv", "pause-pd", "pause-kv", "resume-pd", "resume-kv"};
  }

 private:
  // The op's nodes if it names them; every node to start or resume; otherwise a random
  // nonempty subset (the seed's util/random-nonempty-subset).
  std::vector<std::string> Targets(const Test& test, const Op& op, const std::string& f) {
    if (op.value.is_sequential()) {
      std::vector<std::string> out;
      for (const Value& v : op.value.elements()) out.emplace_back(v.AsString());
      return out;
    }
    if (f.rfind("start-", 0) == 0 || f.rfind("resume-", 0) == 0) return test.nodes;
    std::vector<std::string> nodes = test.nodes;
    rng_.Shuffle(nodes);
    nodes.resize(static_cast<size_t>(rng_.UniformIn(1, static_cast<int64_t>(nodes.size()))));
    return nodes;
  }
  static std::string Done(const std::string& f) {
    std::string verb = f.substr(0, f.find('-'));
    if (verb == "start") return "started";
    if (verb == "kill") return "killed";
    if (verb == "pause") return "paused";
    return "resumed";
  }
  static Status Apply(TikvProcesses& p, const Test& test, const std::string& node, const std::string& f) {
    if (f == "start-pd") return p.StartPd(test, node);
    if (f == "start-kv") return p.StartKv(test, node);
    if (f == "kill-pd") return p.KillPd(test, node);
    if (f == "kill-kv") return p.KillKv(test, node);
    if (f == "pause-pd") return p.SignalPd(test, node, "STOP");
    if (f == "pause-kv") return p.SignalKv(test, node, "STOP");
    if (f == "resume-pd") return p.SignalPd(test, node, "CONT");
    if (f == "resume-kv") return p.SignalKv(test, node, "CONT");
    return InvalidArgumentError("unknown process fault " + f);
  }

  Random rng_;
};

// PD's stress schedulers, through its HTTP API.
class ScheduleNemesis : public Nemesis {
 public:
  Op Invoke(const Test& test, const Op& op) override {
    std::string f(op.f.AsString());
    auto* pd = dynamic_cast<PdControl*>(test.db.get());
    if (pd == nullptr) {
      return Info(op, op.value, Value::Vector({Value::Keyword("unsupported"), Value::String("no PD")}));
    }
    bool remove = f.rfind("del-", 0) == 0;
    std::string scheduler = (remove ? f.substr(4) : f) + "-scheduler";
    Status s = remove ? pd->RemoveScheduler(test, scheduler) : pd->AddScheduler(test, scheduler);
    if (!s.ok()) {
      test.log().Warn("{} failed: {}", f, s.message());
      return Info(op, Value::String(scheduler),
                  Value::Vector({Value::Keyword("pd-error"), Value::String(s.message())}));
    }
    return Info(op, Value::String(scheduler));
  }
  std::vector<std::string> Fs() const override {
    return {"shuffle-leader", "del-shuffle-leader", "shuffle-region", "del-shuffle-region",
            "random-merge",   "del-random-merge"};
  }
};

Value Perf(std::string_view name, std::string_view color, std::vector<std::string_view> stops) {
  std::vector<Value> s;
  for (auto f : stops) s.push_back(Value::Keyword(f));
  return Value::Map({{Value::Keyword("name"), Value::String(name)},
                     {Value::Keyword("color"), Value::String(color)},
                     {Value::Keyword("stop"), Value::Vector(std::move(s))}});
}

}  // namespace

NemesisPackage MakeTikvNemesisPackage(const NemesisOptions& options) {
  std::vector<std::unique_ptr<Nemesis>> parts;
  parts.push_back(std::make_unique<ProcessNemesis>(options.seed));
  parts.push_back(std::make_unique<ScheduleNemesis>());
  parts.push_back(MakePartitioner(MakeIptablesNet(), options.seed + 1));
  NemesisPackage p;
  p.nemesis = ComposeNemeses(std::move(parts));
  p.generator = NemesisGenerator(options);
  p.final_generator = NemesisFinalGenerator(options);
  p.perf = Value::Map({
      {Value::Keyword("start-partition"), Perf("partition", "#E9A0A0", {"stop-partition"})},
      {Value::Keyword("kill-pd"), Perf("kill-pd", "#E9A4D0", {"start-pd"})},
      {Value::Keyword("kill-kv"), Perf("kill-kv", "#D0A4E9", {"start-kv"})},
      {Value::Keyword("pause-pd"), Perf("pause-pd", "#A0C8E9", {"resume-pd"})},
      {Value::Keyword("pause-kv"), Perf("pause-kv", "#A0E9DB", {"resume-kv"})},
      {Value::Keyword("shuffle-leader"), Perf("shuffle-leader", "#E9DCA0", {"del-shuffle-leader"})},
      {Value::Keyword("shuffle-region"), Perf("shuffle-region", "#C5E9A0", {"del-shuffle-region"})},
      {Value::Keyword("random-merge"), Perf("random-merge", "#E9C3A0", {"del-random-merge"})},
  });
  return p;
}

}  // namespace jepsen::tikv
