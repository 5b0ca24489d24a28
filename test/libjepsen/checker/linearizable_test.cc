#include "jepsen/checker/linearizable.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"
#include "support/brute_force_linearizable.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

Value Kw(std::string_view k) { return Value::Keyword(k); }

// A history from rows of (process, type, f, value).
History Make(std::initializer_list<std::tuple<int64_t, OpType, std::string_view, Value>> rows) {
  History h;
  for (const auto& [p, type, f, v] : rows) {
    Status s = h.Append({.type = type, .process = p, .f = Kw(f), .value = v});
    REQUIRE(s.ok());
  }
  return h;
}

constexpr OpType kInv = OpType::kInvoke, kOk = OpType::kOk, kFail = OpType::kFail,
                 kInfo = OpType::kInfo;

CheckResult Check(std::unique_ptr<Model> model, const History& h, bool independent = false,
                  CheckContext context = {}) {
  auto checker = MakeLinearizableChecker({.model = std::move(model), .independent = independent});
  return checker->Check(context, h);
}

// ---- Random histories: a simulated object whose ops take effect at a random moment
// between invocation and completion, with crashes, fails and corrupted results.

struct Sim {
  std::string model;
  std::mt19937_64 rng;
  int64_t Small(int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); }

  // A random op: f and invocation value.
  std::pair<Value, Value> Invoke() {
    int64_t v = Small(3);
    if (model == "register" || model == "cas-register") {
      int64_t k = Small(model == "cas-register" ? 3 : 2);
      if (k == 0) return {Kw("read"), Value()};
      if (k == 1) return {Kw("write"), v};
      return {Kw("cas"), Value::Vector({Small(2) ? Value(Small(3)) : Value(), v})};
    }
    if (model == "mutex") return {Kw(Small(2) ? "acquire" : "release"), Value()};
    if (model == "set") return Small(2) ? std::pair{Kw("add"), Value(Small(4))} : std::pair{Kw("read"), Value()};
    if (model == "unordered-queue" || model == "fifo-queue") {
      return Small(2) ? std::pair{Kw("enqueue"), Value(Small(3))} : std::pair{Kw("dequeue"), Value()};
    }
    std::vector<Value> mops;
    for (int64_t i = 0, n = 1 + Small(2); i < n; ++i) {
      mops.push_back(Value::Vector({Kw(Small(2) ? "read" : "write"), Small(2), Small(2) ? Value(v) : Value()}));
    }
    return {Kw("txn"), Value::Vector(mops)};
  }

  // The completion value the real object gives in `state`, or nullopt: the op fails.
  std::optional<Value> Result(const Value& state, const Value& f, const Value& v) {
    if (f.IsNamed("read")) return state;
    if (f.IsNamed("dequeue")) {
      if (state.empty()) return Value();
      return model == "fifo-queue" ? state[0] : state[static_cast<size_t>(Small(static_cast<int64_t>(state.size())))];
    }
    if (f.IsNamed("txn")) {
      std::vector<Value> out;
      std::vector<Value> regs(state.elements().begin(), state.elements().end());
      std::map<Value, Value> m;
      for (const Value& kv : regs) m[kv[0]] = kv[1];
      for (const Value& mop : v.elements()) {
        if (mop[0].IsNamed("read")) {
          out.push_back(Value::Vector({mop[0], mop[1], m.count(mop[1]) ? m[mop[1]] : Value()}));
        } else {
          m[mop[1]] = mop[2];
          out.push_back(mop);
        }
      }
      return Value::Vector(out);
    }
    return v;
  }

  // A wrong result for a read-like op.
  Value Corrupt(const Value& f, const Value& v) {
    if (f.IsNamed("read") && model == "set") {
      std::vector<Value> s;
      for (int64_t i = 0; i < 4; ++i) if (Small(2)) s.push_back(i);
      return Value::Vector(s);
    }
    if (f.IsNamed("read") || f.IsNamed("dequeue")) return Small(4) == 3 ? Value() : Value(Small(3));
    if (f.IsNamed("txn")) {
      std::vector<Value> out(v.elements().begin(), v.elements().end());
      size_t i = static_cast<size_t>(Small(static_cast<int64_t>(out.size())));
      out[i] = Value::Vector({out[i][0], out[i][1], Small(2) ? Value(Small(3)) : Value()});
      return Value::Vector(out);
    }
    return v;
  }

  History Generate(const Model& m, int invocations, int processes) {
    struct Proc {
      int64_t id;
      bool busy = false, applied = false, fails = false;
      Value f, inv, result;
    };
    std::vector<Proc> procs;
    for (int i = 0; i < processes; ++i) procs.push_back({.id = i});
    History h;
    Value state = m.Init();
    int invoked = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      bool idle = true;
      for (const Proc& p : procs) idle &= !p.busy;
      if (idle && invoked == invocations) break;
      Proc& p = procs[static_cast<size_t>(Small(processes))];
      auto append = [&](OpType t, const Value& v) {
        Status s = h.Append({.type = t, .process = p.id, .f = p.f, .value = v});
        REQUIRE(s.ok());
      };
      if (!p.busy) {
        if (invoked == invocations) continue;
        std::tie(p.f, p.inv) = Invoke();
        p.busy = true;
        p.applied = p.fails = false;
        ++invoked;
        append(kInv, p.inv);
      } else if (!p.applied && !p.fails && Small(2)) {
        std::optional<Value> r = Result(state, p.f, p.inv);
        std::optional<Value> next = r ? m.Step(state, p.f, *r) : std::nullopt;
        if (next) {
          state = *next;
          p.applied = true;
          p.result = *r;
        } else {
          p.fails = true;
        }
      } else if (Small(8) == 0) {  // crash: the effect may or may not have happened
        append(kInfo, Small(2) ? p.inv : Kw("timed-out"));
        p.busy = false;
        p.id += processes;
      } else if (p.fails) {
        append(Small(4) == 0 ? kOk : kFail, p.inv);  // sometimes it lies
        p.busy = false;
      } else if (p.applied) {
        append(kOk, Small(6) == 0 ? Corrupt(p.f, p.result) : p.result);
        p.busy = false;
      }
    }
    return h;  // ops still busy stay pending
  }
};

void Differential(const std::string& name, uint64_t seed, int histories) {
  Result<std::unique_ptr<Model>> model = MakeModel(name);
  REQUIRE(model.ok());
  auto checker = MakeLinearizableChecker({.model = std::move(*model)});
  std::unique_ptr<Model> reference = std::move(*MakeModel(name));
  Sim sim{name, std::mt19937_64(seed)};
  int valid = 0, invalid = 0;
  for (int i = 0; i < histories; ++i) {
    History h = sim.Generate(*reference, 3 + static_cast<int>(sim.Small(7)),
                             2 + static_cast<int>(sim.Small(3)));
    bool expected = testing::BruteForceLinearizable(*reference, h);
    CheckResult r = checker->Check({}, h);
    INFO("model " << name << " history " << i << ":\n" << [&] {
      std::string s;
      for (const Op& op : h) s += op.ToValue().ToEdn() + "\n";
      return s;
    }() << r.ToValue().ToEdn());
    REQUIRE(r.validity == (expected ? Validity::kValid : Validity::kInvalid));
    (expected ? valid : invalid)++;
  }
  // Both verdicts must be well represented, or the test proves little.
  CHECK(valid > histories / 10);
  CHECK(invalid > histories / 10);
}

TEST_CASE("Linearizable checker agrees with brute force on random histories",
          "[linearizable]") {
  for (std::string_view name : ModelNames()) {
    SECTION(std::string(name)) { Differential(std::string(name), 1234, 3000); }
  }
}

TEST_CASE("Linearizable checker agrees with brute force key by key when independent",
          "[linearizable]") {
  std::mt19937_64 rng(99);
  auto reference = MakeCasRegisterModel();
  for (int round = 0; round < 200; ++round) {
    Sim sim{"cas-register", std::mt19937_64(rng())};
    History merged;
    bool expected = true;
    std::vector<History> keys;
    for (int k = 0; k < 3; ++k) keys.push_back(sim.Generate(*reference, 5, 2));
    for (int k = 0; k < 3; ++k) expected &= testing::BruteForceLinearizable(*reference, keys[k]);
    // Interleave the keys' histories, each on its own processes.
    std::vector<size_t> at(3, 0);
    while (true) {
      std::vector<int> live;
      for (int k = 0; k < 3; ++k) if (at[k] < keys[k].size()) live.push_back(k);
      if (live.empty()) break;
      int k = live[rng() % live.size()];
      Op op = keys[k][at[k]++];
      op.index = -1;
      op.process = op.process * 3 + k;
      op.value = Value::Vector({Value::String(std::string(1, static_cast<char>('a' + k))),
                                op.value});
      REQUIRE(merged.Append(op).ok());
    }
    CheckResult r = Check(MakeCasRegisterModel(), merged, true);
    REQUIRE(r.validity == (expected ? Validity::kValid : Validity::kInvalid));
  }
}

TEST_CASE("Linearizable checker finds a stale read", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kOk, "write", 1},
                    {0, kInv, "write", 2}, {0, kOk, "write", 2},
                    {1, kInv, "read", Value()}, {1, kOk, "read", 1}});
  CheckResult r = Check(MakeRegisterModel(), h);
  REQUIRE(r.validity == Validity::kInvalid);
  const Value& ce = *r.details.Find("counterexample");
  CHECK(ce.Find("op")->ToEdn() ==
        "{:process 1, :type :ok, :f :read, :value 1, :index 4, :completion-index 5}");
  CHECK(ce.Find("states-before")->ToEdn() == "[2]");
  CHECK(ce.Find("linearized-count")->AsInt() == 2);
  CHECK(r.details.Find("explanation")->AsString().find("process 1 :read 1 (ok, index 4 to 5)") !=
        std::string::npos);
}

TEST_CASE("Linearizable checker finds a lost write", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kOk, "write", 1},
                    {1, kInv, "write", 2}, {1, kOk, "write", 2},
                    {0, kInv, "read", Value()}, {0, kOk, "read", 1}});
  CHECK(Check(MakeCasRegisterModel(), h).validity == Validity::kInvalid);
}

TEST_CASE("Linearizable checker rejects a cas that succeeded twice", "[linearizable]") {
  History h = Make({{0, kInv, "write", 0}, {0, kOk, "write", 0},
                    {1, kInv, "cas", Value::Vector({0, 1})},
                    {2, kInv, "cas", Value::Vector({0, 2})},
                    {1, kOk, "cas", Value::Vector({0, 1})},
                    {2, kOk, "cas", Value::Vector({0, 2})}});
  CheckResult r = Check(MakeCasRegisterModel(), h);
  REQUIRE(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("counterexample")->Find("concurrent-count")->AsInt() == 1);
}

TEST_CASE("Linearizable checker accepts a crashed write observed later", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kInfo, "write", Kw("timed-out")},
                    {1, kInv, "read", Value()}, {1, kOk, "read", Value()},
                    {1, kInv, "read", Value()}, {1, kOk, "read", 1},
                    {1, kInv, "cas", Value::Vector({1, 2})},
                    {1, kOk, "cas", Value::Vector({1, 2})}});
  CheckResult r = Check(MakeCasRegisterModel(), h);
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.Find("info-count")->AsInt() == 1);
}

TEST_CASE("Linearizable checker accepts a crashed write never observed", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kOk, "write", 1},
                    {1, kInv, "write", 2}, {1, kInfo, "write", 2},
                    {2, kInv, "read", Value()}, {2, kOk, "read", 1},
                    {2, kInv, "read", Value()}, {2, kOk, "read", 1}});
  CHECK(Check(MakeCasRegisterModel(), h).validity == Validity::kValid);
  // But once seen, it cannot be unseen.
  History flip = Make({{1, kInv, "write", 2}, {1, kInfo, "write", 2},
                       {2, kInv, "read", Value()}, {2, kOk, "read", 2},
                       {2, kInv, "read", Value()}, {2, kOk, "read", Value()}});
  CHECK(Check(MakeCasRegisterModel(), flip).validity == Validity::kInvalid);
}

// A real history that once kept the search busy for hours: etcd under partitions with
// serializable reads, one key, 71 ok ops and 43 writes and cas that timed out (info).
// The isolated member's stale reads make it invalid; proving that means exhausting
// every way to place the crashed ops. Trying ok ops before crashed ones, and dropping
// memo entries a new one dominates, decides it in a few thousand configurations (the
// count is deterministic; before, 466,900 configurations took 30 s without an answer).
TEST_CASE("Linearizable checker decides a real etcd history with many crashed ops",
          "[linearizable]") {
  Result<History> h = ReadHistoryFile(
      std::string(JEPSEN_TEST_DATA_DIR) + "/etcd_serializable_stale_reads.jsonl", {});
  REQUIRE(h.ok());
  CheckResult r = Check(MakeCasRegisterModel(), *h, true);
  REQUIRE(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("info-count")->AsInt() == 43);
  CHECK(r.details.Find("configurations")->AsInt() < 20000);
  // Without the reads, the writes and cas (crashed ones included) are linearizable.
  History writes;
  for (const Op& op : *h) {
    if (op.f.IsNamed("read")) continue;
    Op copy = op;
    REQUIRE(writes.Append(std::move(copy)).ok());
  }
  CheckResult w = Check(MakeCasRegisterModel(), writes, true);
  CHECK(w.validity == Validity::kValid);
  CHECK(w.details.Find("info-count")->AsInt() == 43);
}

TEST_CASE("Linearizable checker ignores failed ops and the nemesis", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kFail, "write", 1},
                    {kNemesisProcess, kInfo, "start", Value()},
                    {1, kInv, "read", Value()}, {1, kOk, "read", Value()}});
  CheckResult r = Check(MakeRegisterModel(), h);
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.Find("fail-count")->AsInt() == 1);
}

TEST_CASE("Linearizable checker lists failing keys when independent", "[linearizable]") {
  auto kv = [](const char* k, Value v) { return Value::Vector({Kw(k), v}); };
  History h = Make({{0, kInv, "write", kv("x", 1)}, {0, kOk, "write", kv("x", 1)},
                    {1, kInv, "write", kv("y", 1)}, {1, kOk, "write", kv("y", 1)},
                    {0, kInv, "read", kv("x", Value())}, {0, kOk, "read", kv("x", 1)},
                    {1, kInv, "read", kv("y", Value())}, {1, kOk, "read", kv("y", 2)}});
  testing::TempDir dir;
  CheckResult r = Check(MakeCasRegisterModel(), h, true, {.out_dir = dir.path().string()});
  REQUIRE(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("failures")->ToEdn() == "[:y]");
  CHECK(r.details.Find("key-count")->AsInt() == 2);
  CHECK(r.details.Find("counterexample")->Find("key")->ToEdn() == ":y");
  CHECK(std::filesystem::exists(dir.File("linearizable-1.svg")));
}

TEST_CASE("Linearizable checker writes an SVG of the counterexample", "[linearizable]") {
  History h = Make({{0, kInv, "write", 1}, {0, kOk, "write", 1},
                    {1, kInv, "write", 2}, {2, kInv, "read", Value()},
                    {1, kOk, "write", 2}, {2, kOk, "read", 3}});
  testing::TempDir dir;
  CheckResult r = Check(MakeRegisterModel(), h, false, {.out_dir = dir.path().string()});
  REQUIRE(r.validity == Validity::kInvalid);
  std::string svg = testing::ReadFile(dir.File("linearizable.svg"));
  CHECK(svg.find("<svg") == 0);
  CHECK(svg.find("fill=\"#f66\"") != std::string::npos);
  CHECK(svg.find(":read 3") != std::string::npos);
}

TEST_CASE("Linearizable checker rejects ops the model does not know", "[linearizable]") {
  History h = Make({{0, kInv, "append", 1}, {0, kOk, "append", 1}});
  CheckResult r = Check(MakeRegisterModel(), h);
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("error")->AsString().find("no operation :append") != std::string::npos);
  History not_tuples = Make({{0, kInv, "write", 1}, {0, kOk, "write", 1}});
  CHECK(Check(MakeRegisterModel(), not_tuples, true).validity == Validity::kUnknown);
  CHECK(!MakeModel("banana").ok());
}

// Sixteen concurrent writes and an impossible read: 2^16 subsets to refute.
History Hard() {
  History h;
  for (int p = 0; p < 16; ++p) REQUIRE(h.Append({.type = kInv, .process = p, .f = Kw("write"), .value = p}).ok());
  for (int p = 0; p < 16; ++p) REQUIRE(h.Append({.type = kOk, .process = p, .f = Kw("write"), .value = p}).ok());
  REQUIRE(h.Append({.type = kInv, .process = 0, .f = Kw("read")}).ok());
  REQUIRE(h.Append({.type = kOk, .process = 0, .f = Kw("read"), .value = 99}).ok());
  return h;
}

TEST_CASE("Linearizable checker answers unknown when its budget runs out", "[linearizable]") {
  CheckResult by_memory = Check(MakeRegisterModel(), Hard(), false, {.memory_limit_bytes = 1});
  CHECK(by_memory.validity == Validity::kUnknown);
  CHECK(by_memory.details.Find("explanation")->AsString().find("memory limit") != std::string::npos);
  std::atomic<bool> cancel{true};
  CHECK(Check(MakeRegisterModel(), Hard(), false, {.cancel = &cancel}).validity ==
        Validity::kUnknown);
  CHECK(Check(MakeRegisterModel(), Hard()).validity == Validity::kInvalid);
}

// A model from outside the library: a counter that only goes up by the amount given.
class CounterModel : public Model {
 public:
  std::string_view name() const override { return "counter"; }
  Value Init() const override { return 0; }
  std::optional<Value> Step(const Value& s, const Value& f, const Value& v) const override {
    if (f.IsNamed("add")) return s.AsInt() + v.AsInt();
    if (f.IsNamed("read") && v == s) return s;
    return std::nullopt;
  }
};

TEST_CASE("Linearizable checker takes a user-defined model", "[linearizable]") {
  History h = Make({{0, kInv, "add", 2}, {1, kInv, "add", 3}, {0, kOk, "add", 2},
                    {2, kInv, "read", Value()}, {2, kOk, "read", 3}, {1, kOk, "add", 3}});
  CHECK(Check(std::make_unique<CounterModel>(), h).validity == Validity::kInvalid);
  History ok = Make({{0, kInv, "add", 2}, {1, kInv, "add", 3}, {0, kOk, "add", 2},
                     {2, kInv, "read", Value()}, {2, kOk, "read", 5}, {1, kOk, "add", 3}});
  CHECK(Check(std::make_unique<CounterModel>(), ok).validity == Validity::kValid);
}

}  // namespace
}  // namespace jepsen
