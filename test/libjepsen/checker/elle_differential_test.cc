// The Elle checkers against brute-force references on many small random histories.
#include <random>

#include <catch2/catch.hpp>

#include "libjepsen/checker/elle_test_util.h"
#include "support/brute_force_serializable.h"
#include "support/si_store.h"

namespace jepsen {
namespace {

using testing::BruteForce;

// A sloppy database: transactions run one at a time, but reads may come from a stale
// or fractured snapshot, some txns fail or end in :info, and the invocations and
// completions are interleaved at random (or serially) in the recorded history.
class RandomTxnHistory {
 public:
  RandomTxnHistory(uint64_t seed, bool registers) : rng_(seed), registers_(registers) {}

  History Make() {
    const int n = Uniform(3, 6), keys = Uniform(1, 3);
    std::vector<std::map<int, Value>> states(1);  // committed state after each commit
    std::vector<Value> values;
    std::vector<OpType> types;
    int64_t next = 0;
    for (int t = 0; t < n; ++t) {
      std::map<int, Value> local;
      const std::map<int, Value>& fresh = states.back();
      size_t stale = static_cast<size_t>(Uniform(0, static_cast<int>(states.size()) - 1));
      std::vector<Value> mops;
      for (int i = Uniform(1, 3); i > 0; --i) {
        int k = Uniform(0, keys - 1);
        if (!local.count(k)) {
          // Fresh, or stale from one old snapshot, or fractured (another old one).
          int roll = Uniform(0, 9);
          size_t other = static_cast<size_t>(Uniform(0, static_cast<int>(states.size()) - 1));
          const auto& snap = roll < 4 ? fresh : roll < 8 ? states[stale] : states[other];
          auto it = snap.find(k);
          local[k] = it != snap.end() ? it->second : registers_ ? Value() : Value::Vector({});
        }
        if (Uniform(0, 1)) {
          mops.push_back(Value::Vector({Value::Keyword("r"), k, local[k]}));
        } else if (registers_) {
          local[k] = ++next;
          mops.push_back(Value::Vector({Value::Keyword("w"), k, next}));
        } else {
          std::vector<Value> l(local[k].elements().begin(), local[k].elements().end());
          l.push_back(++next);
          local[k] = Value::Vector(std::move(l));
          mops.push_back(Value::Vector({Value::Keyword("append"), k, next}));
        }
      }
      int roll = Uniform(0, 9);
      OpType type = roll == 0 ? OpType::kFail : roll == 1 ? OpType::kInfo : OpType::kOk;
      bool applies = type == OpType::kOk || (type == OpType::kInfo && Uniform(0, 1));
      if (applies) {
        // Writes land on the freshest state (appends extend the committed lists).
        std::map<int, Value> s = states.back();
        for (const Value& m : mops) {
          int k = static_cast<int>(m[1].AsInt());
          if (m[0].IsKeyword("w")) s[k] = m[2];
          if (m[0].IsKeyword("append")) {
            Value cur = s.count(k) ? s[k] : Value::Vector({});
            std::vector<Value> l(cur.elements().begin(), cur.elements().end());
            l.push_back(m[2]);
            s[k] = Value::Vector(std::move(l));
          }
        }
        states.push_back(std::move(s));
      }
      values.push_back(Value::Vector(std::move(mops)));
      types.push_back(type);
    }
    return Interleave(values, types);
  }

 private:
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  History Interleave(const std::vector<Value>& values, const std::vector<OpType>& types) {
    const size_t n = values.size();
    std::vector<int> stage(n, 0);  // 0 not invoked, 1 open, 2 done
    bool serial = Uniform(0, 2) == 0;
    History h;
    size_t done = 0;
    while (done < n) {
      size_t t = serial ? done : static_cast<size_t>(Uniform(0, static_cast<int>(n) - 1));
      if (stage[t] == 2) continue;
      Value invoke_value = values[t];
      if (types[t] != OpType::kOk) {
        std::vector<Value> blank;
        for (const Value& m : values[t].elements()) {
          blank.push_back(m[0].IsKeyword("r") ? Value::Vector({m[0], m[1], Value()}) : m);
        }
        invoke_value = Value::Vector(std::move(blank));
      }
      Op op{.type = stage[t] == 0 ? OpType::kInvoke : types[t],
            .process = static_cast<int64_t>(t),
            .f = Value::Keyword("txn"),
            .value = stage[t] == 0 || types[t] != OpType::kOk ? invoke_value : values[t]};
      JEPSEN_CHECK(h.Append(std::move(op)).ok(), "append");
      if (++stage[t] == 2) ++done;
    }
    return h;
  }

  std::mt19937_64 rng_;
  bool registers_;
};

void Differential(bool registers, uint64_t seed, int cases) {
  RandomTxnHistory gen(seed, registers);
  int serializable = 0, strict = 0, si = 0, si_missed = 0, missed = 0;
  for (int i = 0; i < cases; ++i) {
    History h = gen.Make();
    BruteForce reference(h);
    auto check = [&](const char* model) {
      CheckResult r = registers ? testing::CheckRwRegister(h, {model})
                                : testing::CheckListAppend(h, {model});
      return r.validity == Validity::kValid;
    };
    bool ser = reference.Serializable(false);
    INFO("case " << i << "\n" << [&] {
      std::string s;
      for (const Op& op : h) s += op.ToValue().ToEdn() + "\n";
      return s;
    }());
    bool str = reference.Serializable(true);
    bool ser_checker = check("serializable"), str_checker = check("strict-serializable");
    if (registers) {
      // A register read does not reveal the version order, and deciding serializability
      // without it is NP-complete: the checker is sound (what it rejects is not
      // serializable) but may accept histories no serial order explains.
      if (!ser_checker) CHECK_FALSE(ser);
      if (!str_checker) CHECK_FALSE(str);
      missed += (ser_checker && !ser) + (str_checker && !str);
    } else {
      // List reads reveal the order: the checker is exact.
      CHECK(ser_checker == ser);
      CHECK(str_checker == str);
    }
    bool si_ref = reference.SnapshotIsolation();
    bool si_checker = check("snapshot-isolation");
    // Sound: whatever the checker rejects is not snapshot isolated.
    if (!si_checker) CHECK_FALSE(si_ref);
    si_missed += si_checker && !si_ref;
    serializable += ser;
    strict += str;
    si += si_ref;
  }
  // The generator must produce both outcomes, or the test proves little.
  CHECK(serializable > cases / 10);
  CHECK(serializable < cases * 96 / 100);
  CHECK(strict > 0);
  WARN((registers ? "rw-register" : "list-append")
       << ": serializable " << serializable << ", strict " << strict << ", SI " << si
       << " of " << cases << "; (strict) serializability violations the checker missed "
       << missed << ", SI violations missed " << si_missed);
}

TEST_CASE("Elle list-append agrees with brute force on random histories", "[elle]") {
  Differential(false, 20240611, 3000);
}

TEST_CASE("Elle rw-register agrees with brute force on random histories", "[elle]") {
  Differential(true, 777, 3000);
}

TEST_CASE("Elle list-append passes SI-store histories, and write skew fails serializable",
          "[elle]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    History h = testing::SiStore(seed, {.processes = 5, .txns = 300, .keys = 3}).Run();
    CHECK(testing::CheckListAppend(h, {"snapshot-isolation"}).validity == Validity::kValid);
    History skew =
        testing::SiStore(seed, {.processes = 5, .txns = 300, .keys = 2, .write_skew = true}).Run();
    CHECK(testing::CheckListAppend(skew, {"snapshot-isolation"}).validity == Validity::kValid);
    CheckResult r = testing::CheckListAppend(skew, {"serializable"});
    CHECK(r.validity == Validity::kInvalid);
    CHECK(testing::Types(r) == "G2-item");
  }
}

}  // namespace
}  // namespace jepsen
