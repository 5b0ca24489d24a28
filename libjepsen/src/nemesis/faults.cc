#include "jepsen/nemesis/faults.h"

#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "jepsen/client.h"
#include "jepsen/control/command.h"
#include "jepsen/control/util.h"
#include "jepsen/db.h"
#include "jepsen/runner.h"
#include "jepsen/test.h"

namespace jepsen {
namespace {

Op Failed(const Op& op, const Status& s) {
  return Complete(op, OpType::kInfo, op.value, Value::String(s.message()));
}

// Runs `fn` on each node in parallel; the completion's value maps node -> outcome
// (or the error's message for nodes where it failed).
Op PerNode(const Test& test, const Op& op, const std::vector<std::string>& nodes,
           std::string_view done, const std::function<Status(const std::string&)>& fn) {
  std::mutex mu;
  std::vector<MapEntry> results;
  Status s = OnNodes(test, [&](const std::string& node) {
    if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) return OkStatus();
    Status r = fn(node);
    std::lock_guard<std::mutex> lock(mu);
    results.push_back({Value::String(node),
                       r.ok() ? Value::Keyword(done) : Value::String(r.message())});
    return OkStatus();
  });
  if (!s.ok()) return Failed(op, s);
  std::sort(results.begin(), results.end(),
            [](const MapEntry& a, const MapEntry& b) { return a.key < b.key; });
  return Complete(op, OpType::kInfo, Value::Map(std::move(results)));
}

std::vector<std::string> Shuffled(std::vector<std::string> nodes, Random& rng) {
  rng.Shuffle(nodes);
  return nodes;
}

class Partitioner : public Nemesis {
 public:
  Partitioner(std::unique_ptr<Net> net, uint64_t seed) : net_(std::move(net)), rng_(seed) {}

  Op Invoke(const Test& test, const Op& op) override {
    if (op.f.IsNamed("stop-partition")) {
      Status s = net_->Heal(test);
      return s.ok() ? Complete(op, OpType::kInfo, Value::Keyword("network-healed")) : Failed(op, s);
    }
    Result<Grudge> grudge = GrudgeFor(test, op.value);
    if (!grudge.ok()) return Failed(op, grudge.status());
    // A new partition replaces the old one.
    Status s = net_->Heal(test);
    if (s.ok()) s = net_->Drop(test, *grudge);
    if (!s.ok()) return Failed(op, s);
    return Complete(op, OpType::kInfo,
                    Value::Vector({Value::Keyword("isolated"), GrudgeValue(*grudge)}));
  }
  Status Teardown(const Test& test) override { return net_->Teardown(test); }
  std::vector<std::string> Fs() const override { return {"start-partition", "stop-partition"}; }

 private:
  Result<Grudge> GrudgeFor(const Test& test, const Value& v) {
    const std::vector<std::string>& nodes = test.nodes;
    if (v.is_map()) {
      Grudge g;
      for (const MapEntry& e : v.entries()) {
        for (const Value& from : e.value.elements()) g[std::string(e.key.AsString())].insert(std::string(from.AsString()));
      }
      return g;
    }
    if (v.IsNamed("one")) return CompleteGrudge(SplitOne(nodes, rng_));
    if (v.IsNamed("majority") || v.is_nil()) return CompleteGrudge(Bisect(nodes, rng_));
    if (v.IsNamed("majorities-ring")) return MajoritiesRing(nodes, rng_);
    if (v.IsNamed("bridge")) return BridgeGrudge(nodes, rng_);
    if (v.IsNamed("primaries")) {
      auto* p = Capability<HasPrimaries>(test.db.get());
      if (!p) return FailedPreconditionError("the DB cannot name its primaries");
      JEPSEN_ASSIGN_OR_RETURN(std::vector<std::string> primaries, p->Primaries(test));
      if (primaries.empty()) return UnavailableError("the DB has no primary now");
      return CompleteGrudge(Isolate(nodes, primaries.front()));
    }
    return InvalidArgumentError(fmt::format("unknown partition {}", v));
  }

  std::unique_ptr<Net> net_;
  Random rng_;
};

// Packet loss or a bandwidth limit on some nodes, through a Net of its own.
class PacketFaults : public Nemesis {
 public:
  enum class Kind { kLoss, kBandwidth };
  PacketFaults(Kind kind, std::unique_ptr<Net> net, double probability, std::string rate,
               uint64_t seed)
      : kind_(kind), net_(std::move(net)), probability_(probability), rate_(std::move(rate)), rng_(seed) {}

  Op Invoke(const Test& test, const Op& op) override {
    if (op.f.IsNamed(Fs()[1])) {
      Status s = net_->Heal(test);
      return s.ok() ? Complete(op, OpType::kInfo, Value::Keyword(Fs()[1].substr(5) + "-healed"))
                    : Failed(op, s);
    }
    // A node spec, or {:nodes spec, :probability p} / {:nodes spec, :rate r}.
    Value spec = op.value.is_nil() ? Value::Keyword("all") : op.value;
    double probability = probability_;
    std::string rate = rate_;
    if (op.value.is_map()) {
      const Value* n = op.value.Find("nodes");
      spec = n && !n->is_nil() ? *n : Value::Keyword("all");
      if (const Value* p = op.value.Find("probability"); p && p->is_number()) probability = p->AsDouble();
      if (const Value* r = op.value.Find("rate"); r && r->is_string()) rate = std::string(r->AsString());
    }
    Result<std::vector<std::string>> nodes = SelectNodes(test, spec, rng_);
    if (!nodes.ok()) return Failed(op, nodes.status());
    std::sort(nodes->begin(), nodes->end());
    // A new fault replaces the old one.
    Status s = net_->Heal(test);
    if (s.ok()) {
      s = kind_ == Kind::kLoss ? net_->PacketLoss(test, *nodes, probability)
                               : net_->Bandwidth(test, *nodes, rate);
    }
    if (!s.ok()) return Failed(op, s);
    std::vector<Value> names;
    for (const std::string& n : *nodes) names.push_back(Value::String(n));
    return Complete(op, OpType::kInfo,
                    Value::Map({{Value::Keyword("nodes"), Value::Vector(std::move(names))},
                                kind_ == Kind::kLoss
                                    ? MapEntry{Value::Keyword("probability"), Value(probability)}
                                    : MapEntry{Value::Keyword("rate"), Value::String(rate)}}));
  }
  Status Teardown(const Test& test) override { return net_->Teardown(test); }
  std::vector<std::string> Fs() const override {
    if (kind_ == Kind::kLoss) return {"start-packet-loss", "stop-packet-loss"};
    return {"start-bandwidth", "stop-bandwidth"};
  }

 private:
  Kind kind_;
  std::unique_ptr<Net> net_;
  double probability_;
  std::string rate_;
  Random rng_;
};

template <typename Capability_t>
class ProcessFaults : public Nemesis {
 public:
  ProcessFaults(std::string fault_f, std::string heal_f, uint64_t seed)
      : fault_f_(std::move(fault_f)), heal_f_(std::move(heal_f)), rng_(seed) {}

  Op Invoke(const Test& test, const Op& op) override {
    auto* cap = Capability<Capability_t>(test.db.get());
    if (!cap) return Failed(op, FailedPreconditionError("the DB does not support " + fault_f_));
    Result<std::vector<std::string>> nodes = SelectNodes(test, op.value.is_nil() ? Value::Keyword("all") : op.value, rng_);
    if (!nodes.ok()) return Failed(op, nodes.status());
    bool fault = op.f.IsNamed(fault_f_);
    return PerNode(test, op, *nodes, fault ? Done(fault_f_) : Done(heal_f_),
                   [&](const std::string& node) { return Apply(*cap, test, node, fault); });
  }
  Status Teardown(const Test& test) override {
    auto* cap = Capability<Capability_t>(test.db.get());
    if (!cap) return OkStatus();
    return OnNodes(test, [&](const std::string& node) { return Apply(*cap, test, node, false); });
  }
  std::vector<std::string> Fs() const override { return {fault_f_, heal_f_}; }

 private:
  static std::string Done(const std::string& f) {
    if (f == "kill") return "killed";
    if (f == "start") return "started";
    if (f == "pause") return "paused";
    return "resumed";
  }
  static Status Apply(Capability_t& cap, const Test& test, const std::string& node, bool fault) {
    if constexpr (std::is_same_v<Capability_t, Killable>) {
      return fault ? cap.Kill(test, node) : cap.Start(test, node);
    } else {
      return fault ? cap.Pause(test, node) : cap.Resume(test, node);
    }
  }

  std::string fault_f_, heal_f_;
  Random rng_;
};

// Offsets in libfaketime's relative format: "+1.5", "-120", "+0".
std::string OffsetText(int64_t offset_ms) {
  return fmt::format("{:+}", static_cast<double>(offset_ms) / 1000);
}

class ClockNemesis : public Nemesis {
 public:
  ClockNemesis(ClockOptions o, uint64_t seed) : o_(std::move(o)), rng_(seed) {}

  Status Setup(const Test& test) override { return ResetAll(test); }

  Op Invoke(const Test& test, const Op& op) override {
    Result<std::vector<std::string>> nodes =
        SelectNodes(test, op.value.is_nil() ? Value::Keyword("all") : op.value, rng_);
    if (!nodes.ok()) return Failed(op, nodes.status());
    // Drawn in node order before anything runs: the same seed gives the same offsets.
    std::sort(nodes->begin(), nodes->end());
    std::map<std::string, int64_t> offsets;
    for (const std::string& node : *nodes) {
      offsets[node] = op.f.IsNamed("reset-clock") ? 0 : rng_.UniformIn(-o_.max_offset_ms, o_.max_offset_ms);
    }
    bool strobe = op.f.IsNamed("strobe-clock");
    Status s = OnNodes(test, [&](const std::string& node) -> Status {
      auto it = offsets.find(node);
      if (it == offsets.end()) return OkStatus();
      Remote* remote = test.RemoteFor(node);
      if (!remote) return FailedPreconditionError("no remote for " + node);
      return Run(*remote, test.AsRoot(strobe ? StrobeCommand(it->second) : SetCommand(it->second)))
          .status();
    });
    if (!s.ok()) return Failed(op, s);
    std::vector<MapEntry> record;
    for (const auto& [node, offset] : offsets) record.push_back({Value::String(node), offset});
    return Complete(op, OpType::kInfo, Value::Map(std::move(record)));
  }
  Status Teardown(const Test& test) override { return ResetAll(test); }
  std::vector<std::string> Fs() const override { return {"bump-clock", "strobe-clock", "reset-clock"}; }

 private:
  Status ResetAll(const Test& test) {
    return OnNodes(test, [&](const std::string& node) {
      Remote* remote = test.RemoteFor(node);
      return remote ? Run(*remote, test.AsRoot(SetCommand(0))).status() : OkStatus();
    });
  }

  // Stops a strobe still running (its pidfile beside the offset file), then writes
  // `offset` atomically (libfaketime rereads the file on every call).
  std::string SetCommand(int64_t offset_ms) const {
    return fmt::format("{} && {}", StopStrobe(), Write(OffsetText(offset_ms)));
  }
  std::string Write(const std::string& text) const {
    return fmt::format("mkdir -p \"$(dirname -- {f})\" && echo {t} > {f}.tmp && mv -f {f}.tmp {f}",
                       fmt::arg("f", ShellQuote(o_.offset_file)), fmt::arg("t", ShellQuote(text)));
  }
  std::string StopStrobe() const {
    std::string pidfile = ShellQuote(o_.offset_file + ".strobe.pid");
    return fmt::format("{{ [ ! -f {p} ] || kill \"$(cat {p})\" 2>/dev/null; rm -f {p}; }}",
                       fmt::arg("p", pidfile));
  }
  // Flips between `offset` and none every strobe_period for strobe_duration, in the
  // foreground (the op ends when the strobe does), leaving the clock reset.
  std::string StrobeCommand(int64_t offset_ms) const {
    int64_t period_ms = std::max<int64_t>(1, o_.strobe_period.count());
    int64_t flips = std::max<int64_t>(1, o_.strobe_duration.count() / (2 * period_ms));
    std::string pidfile = ShellQuote(o_.offset_file + ".strobe.pid");
    std::string loop = fmt::format(
        "echo $$ > {p}; i=0; while [ $i -lt {n} ]; do {on}; sleep {s}; {off}; sleep {s}; "
        "i=$((i+1)); done; rm -f {p}",
        fmt::arg("p", pidfile), fmt::arg("n", flips), fmt::arg("on", Write(OffsetText(offset_ms))),
        fmt::arg("off", Write("+0")), fmt::arg("s", static_cast<double>(period_ms) / 1000));
    return fmt::format("{} && sh -c {}", StopStrobe(), ShellQuote(loop));
  }

  ClockOptions o_;
  Random rng_;
};

}  // namespace

Result<std::vector<std::string>> SelectNodes(const Test& test, const Value& spec, Random& rng) {
  const std::vector<std::string>& nodes = test.nodes;
  size_t n = nodes.size();
  if (spec.is_sequential()) {
    std::vector<std::string> out;
    for (const Value& v : spec.elements()) {
      if (!v.is_string() || std::find(nodes.begin(), nodes.end(), v.AsString()) == nodes.end()) {
        return InvalidArgumentError(fmt::format("{} is not a node of this test", v));
      }
      out.emplace_back(v.AsString());
    }
    return out;
  }
  std::vector<std::string> shuffled = Shuffled(nodes, rng);
  auto take = [&](size_t k) { return std::vector<std::string>(shuffled.begin(), shuffled.begin() + static_cast<long>(std::min(k, n))); };
  if (spec.IsNamed("one")) return take(1);
  // As Jepsen's util: majority is floor(n/2)+1, minority one less (so half of an even
  // count), minority-third the largest count strictly under n/3 (none of 3 nodes).
  if (spec.IsNamed("minority")) return take(n / 2);
  if (spec.IsNamed("majority")) return take(n / 2 + 1);
  if (spec.IsNamed("minority-third")) return take(n == 0 ? 0 : (n - 1) / 3);
  if (spec.IsNamed("all")) return nodes;
  if (spec.IsNamed("primaries")) {
    auto* p = Capability<HasPrimaries>(test.db.get());
    if (!p) return FailedPreconditionError("the DB cannot name its primaries");
    return p->Primaries(test);
  }
  return InvalidArgumentError(fmt::format(
      "unknown node spec {} (one, minority, majority, minority-third, primaries, all, or nodes)", spec));
}

std::unique_ptr<Nemesis> MakePartitioner(std::unique_ptr<Net> net, uint64_t seed) {
  return std::make_unique<Partitioner>(std::move(net), seed);
}
std::unique_ptr<Nemesis> MakePacketLoss(std::unique_ptr<Net> net, double probability,
                                        uint64_t seed) {
  return std::make_unique<PacketFaults>(PacketFaults::Kind::kLoss, std::move(net), probability,
                                        "", seed);
}
std::unique_ptr<Nemesis> MakeBandwidthLimiter(std::unique_ptr<Net> net, std::string rate,
                                              uint64_t seed) {
  return std::make_unique<PacketFaults>(PacketFaults::Kind::kBandwidth, std::move(net), 0,
                                        std::move(rate), seed);
}
std::unique_ptr<Nemesis> MakeKiller(uint64_t seed) {
  return std::make_unique<ProcessFaults<Killable>>("kill", "start", seed);
}
std::unique_ptr<Nemesis> MakePauser(uint64_t seed) {
  return std::make_unique<ProcessFaults<Pausable>>("pause", "resume", seed);
}
std::unique_ptr<Nemesis> MakeClockNemesis(ClockOptions options, uint64_t seed) {
  return std::make_unique<ClockNemesis>(std::move(options), seed);
}

Result<std::string> FindLibfaketime(Remote& remote) {
  // Debian and Ubuntu (any architecture), then RPM-based systems.
  JEPSEN_ASSIGN_OR_RETURN(
      CommandResult r,
      remote.Exec("for f in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib64/faketime/libfaketime.so.1 "
                  "/usr/lib/faketime/libfaketime.so.1 /usr/local/lib/faketime/libfaketime.so.1; do "
                  "[ -f \"$f\" ] && { echo \"$f\"; exit 0; }; done; exit 1"));
  if (r.exit_code != 0) {
    return NotFoundError(
        "libfaketime is not installed on the node (Debian: apt-get install libfaketime; "
        "RHEL/CentOS: yum install libfaketime)");
  }
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

std::vector<std::pair<std::string, std::string>> ClockEnv(const ClockOptions& options) {
  return {{"LD_PRELOAD", options.libfaketime},
          {"FAKETIME_TIMESTAMP_FILE", options.offset_file},
          {"FAKETIME_NO_CACHE", "1"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
}

Result<NemesisPackage> MakeNemesisPackage(const NemesisPackageOptions& o) {
  std::vector<std::unique_ptr<Nemesis>> nemeses;
  std::vector<Gen> faults, heals;
  Random rng(o.seed);
  auto choice = [](std::vector<std::string> names, std::string f) {
    std::vector<Gen> gens;
    for (const auto& n : names) gens.push_back(gen::Repeat(gen::Invoke(f, Value::Keyword(n))));
    return gen::Mix(std::move(gens));
  };
  for (const std::string& fault : o.faults) {
    uint64_t seed = rng.Next();
    if (fault == "partition") {
      nemeses.push_back(MakePartitioner(MakeIptablesNet({.device = o.net_device}), seed));
      faults.push_back(gen::FlipFlop(choice(o.partitions, "start-partition"),
                                     gen::Repeat(gen::Invoke("stop-partition"))));
      heals.push_back(gen::Invoke("stop-partition"));
    } else if (fault == "kill") {
      nemeses.push_back(MakeKiller(seed));
      faults.push_back(gen::FlipFlop(choice(o.targets, "kill"),
                                     gen::Repeat(gen::Invoke("start", Value::Keyword("all")))));
      heals.push_back(gen::Invoke("start", Value::Keyword("all")));
    } else if (fault == "pause") {
      nemeses.push_back(MakePauser(seed));
      faults.push_back(gen::FlipFlop(choice(o.targets, "pause"),
                                     gen::Repeat(gen::Invoke("resume", Value::Keyword("all")))));
      heals.push_back(gen::Invoke("resume", Value::Keyword("all")));
    } else if (fault == "clock") {
      nemeses.push_back(MakeClockNemesis(o.clock, seed));
      faults.push_back(gen::FlipFlop(
          gen::Mix({choice(o.targets, "bump-clock"), choice(o.targets, "strobe-clock")}),
          gen::Repeat(gen::Invoke("reset-clock", Value::Keyword("all")))));
      heals.push_back(gen::Invoke("reset-clock", Value::Keyword("all")));
    } else if (fault == "packet-loss") {
      // Chains and tbf handles of their own: healing one fault never heals another.
      nemeses.push_back(MakePacketLoss(
          MakeIptablesNet({.chain = "JEPSEN-LOSS", .device = o.net_device, .tbf_handle = "4a51"}),
          o.packet_loss, seed));
      faults.push_back(gen::FlipFlop(choice(o.targets, "start-packet-loss"),
                                     gen::Repeat(gen::Invoke("stop-packet-loss"))));
      heals.push_back(gen::Invoke("stop-packet-loss"));
    } else if (fault == "bandwidth") {
      nemeses.push_back(MakeBandwidthLimiter(
          MakeIptablesNet({.chain = "JEPSEN-BW", .device = o.net_device, .tbf_handle = "4a52"}),
          o.bandwidth, seed));
      faults.push_back(gen::FlipFlop(choice(o.targets, "start-bandwidth"),
                                     gen::Repeat(gen::Invoke("stop-bandwidth"))));
      heals.push_back(gen::Invoke("stop-bandwidth"));
    } else {
      return InvalidArgumentError(fmt::format(
          "unknown fault '{}' (partition, kill, pause, clock, packet-loss, bandwidth; no "
          "latency faults: this kernel has no netem)",
          fault));
    }
  }
  NemesisPackage p;
  p.nemesis = ComposeNemeses(std::move(nemeses));
  if (!faults.empty()) p.generator = gen::Nemesis(gen::Stagger(o.interval, gen::Mix(std::move(faults))));
  if (!heals.empty()) p.final_generator = gen::Nemesis(gen::Concat(std::move(heals)));
  p.perf = Value::Map({
      {Value::Keyword("start-partition"), Value::Map({{Value::Keyword("name"), Value::String("partition")},
                                                      {Value::Keyword("color"), Value::String("#E9A0A0")}})},
      {Value::Keyword("kill"), Value::Map({{Value::Keyword("name"), Value::String("kill")},
                                           {Value::Keyword("color"), Value::String("#E9C3A0")}})},
      {Value::Keyword("pause"), Value::Map({{Value::Keyword("name"), Value::String("pause")},
                                            {Value::Keyword("color"), Value::String("#A0B1E9")}})},
      {Value::Keyword("start-packet-loss"), Value::Map({{Value::Keyword("name"), Value::String("packet loss")},
                                                        {Value::Keyword("color"), Value::String("#D7A0E9")}})},
      {Value::Keyword("start-bandwidth"), Value::Map({{Value::Keyword("name"), Value::String("bandwidth")},
                                                      {Value::Keyword("color"), Value::String("#C9E9A0")}})},
      {Value::Keyword("bump-clock"), Value::Map({{Value::Keyword("name"), Value::String("clock")},
                                                 {Value::Keyword("color"), Value::String("#A0E9DB")}})},
      {Value::Keyword("strobe-clock"), Value::Map({{Value::Keyword("name"), Value::String("clock")},
                                                   {Value::Keyword("color"), Value::String("#A0E9DB")}})},
  });
  return p;
}

}  // namespace jepsen
