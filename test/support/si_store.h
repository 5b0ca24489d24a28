// An in-memory multi-version key-value store with snapshot isolation, and a client
// simulation that records a list-append history against it.
//
// Each transaction reads from the snapshot taken when it was invoked (plus its own
// appends) and commits with first-committer-wins: it fails if another transaction
// committed a write to one of its keys after its snapshot. Such histories satisfy
// snapshot isolation; with `write_skew` each transaction reads two keys and appends to
// one of them, which under concurrency produces write skew (G2-item), so they are not
// serializable.
//
// Deterministic for a seed.
#ifndef JEPSEN_TEST_SUPPORT_SI_STORE_H_
#define JEPSEN_TEST_SUPPORT_SI_STORE_H_

#include <map>
#include <random>
#include <vector>

#include "jepsen/history.h"

namespace jepsen::testing {

class SiStore {
 public:
  struct Options {
    int processes = 4;
    int txns = 200;
    int keys = 3;
    bool write_skew = false;
  };

  SiStore(uint64_t seed, Options options) : rng_(seed), o_(options) {}

  History Run() {
    History h;
    std::vector<Pending> pending(static_cast<size_t>(o_.processes));
    int started = 0, open = 0;
    while (started < o_.txns || open > 0) {
      size_t p = Pick(static_cast<size_t>(o_.processes));
      Pending& txn = pending[p];
      if (!txn.active) {
        if (started == o_.txns) continue;
        ++started;
        ++open;
        txn = Begin();
        JEPSEN_CHECK(h.Append(Invoke(static_cast<int64_t>(p), txn.value)).ok(), "append");
      } else {
        --open;
        Op done = Commit(static_cast<int64_t>(p), &txn);
        JEPSEN_CHECK(h.Append(std::move(done)).ok(), "append");
        txn.active = false;
      }
    }
    return h;
  }

 private:
  struct Pending {
    bool active = false;
    uint64_t snapshot = 0;
    Value value;  // the micro-ops, reads unfilled
  };

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  Value Kw(const char* name) { return Value::Keyword(name); }

  Pending Begin() {
    std::vector<Value> mops;
    if (o_.write_skew) {
      int a = static_cast<int>(Pick(static_cast<size_t>(o_.keys)));
      int b = (a + 1) % o_.keys;
      mops = {Value::Vector({Kw("r"), a, Value()}), Value::Vector({Kw("r"), b, Value()}),
              Value::Vector({Kw("append"), Pick(2) ? a : b, ++next_value_})};
    } else {
      size_t n = 1 + Pick(4);
      for (size_t i = 0; i < n; ++i) {
        int k = static_cast<int>(Pick(static_cast<size_t>(o_.keys)));
        mops.push_back(Pick(2) ? Value::Vector({Kw("r"), k, Value()})
                               : Value::Vector({Kw("append"), k, ++next_value_}));
      }
    }
    return {.active = true, .snapshot = clock_, .value = Value::Vector(std::move(mops))};
  }

  Op Invoke(int64_t p, const Value& v) {
    return {.type = OpType::kInvoke, .process = p, .f = Kw("txn"), .value = v};
  }

  Value ReadAt(const Value& key, uint64_t ts) const {
    auto it = versions_.find(key);
    Value v = Value::Vector({});
    if (it == versions_.end()) return v;
    for (const auto& [commit_ts, list] : it->second) {
      if (commit_ts <= ts) v = list;
    }
    return v;
  }

  Op Commit(int64_t p, Pending* txn) {
    std::map<Value, Value> local;
    std::vector<Value> done;
    bool conflict = false;
    for (const Value& m : txn->value.elements()) {
      const Value& k = m[1];
      if (!local.count(k)) local[k] = ReadAt(k, txn->snapshot);
      if (m[0].IsKeyword("r")) {
        done.push_back(Value::Vector({m[0], k, local[k]}));
      } else {
        std::vector<Value> l(local[k].elements().begin(), local[k].elements().end());
        l.push_back(m[2]);
        local[k] = Value::Vector(std::move(l));
        done.push_back(m);
        auto it = versions_.find(k);
        if (it != versions_.end() && !it->second.empty() &&
            it->second.back().first > txn->snapshot) {
          conflict = true;
        }
      }
    }
    Op op{.type = conflict ? OpType::kFail : OpType::kOk, .process = p, .f = Kw("txn"),
          .value = conflict ? txn->value : Value::Vector(std::move(done))};
    if (!conflict) {
      ++clock_;
      for (const Value& m : txn->value.elements()) {
        if (m[0].IsKeyword("append")) {
          auto& versions = versions_[m[1]];
          if (versions.empty() || versions.back().first != clock_) {
            versions.push_back({clock_, local[m[1]]});
          } else {
            versions.back().second = local[m[1]];
          }
        }
      }
    }
    return op;
  }

  std::mt19937_64 rng_;
  Options o_;
  uint64_t clock_ = 0;
  int64_t next_value_ = 0;
  std::map<Value, std::vector<std::pair<uint64_t, Value>>> versions_;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_SI_STORE_H_
