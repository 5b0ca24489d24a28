// Brute-force references for transactional consistency on tiny histories.
//
// Serializable: some order of the committed transactions (and any subset of the :info
// ones), executed one at a time from empty state, reproduces every read of every :ok
// transaction; strict-serializable also keeps real-time order. Snapshot isolation:
// some commit order and, for each transaction, a snapshot (a prefix of the commits
// before it) such that its reads see that snapshot plus its own writes, and no two
// transactions that write a common key are concurrent (neither's snapshot includes the
// other): first committer wins. Exponential; for a handful of transactions.
//
// Works for list-append ([:append k v], [:r k [..]]) and registers ([:w k v],
// [:r k v], initial nil).
#ifndef JEPSEN_TEST_SUPPORT_BRUTE_FORCE_SERIALIZABLE_H_
#define JEPSEN_TEST_SUPPORT_BRUTE_FORCE_SERIALIZABLE_H_

#include <map>
#include <vector>

#include "jepsen/history.h"

namespace jepsen::testing {

class BruteForce {
 public:
  explicit BruteForce(const History& h) {
    for (size_t pos = 0; pos < h.size(); ++pos) {
      const Op& op = h[pos];
      if (!op.is_invoke() || !op.f.IsNamed("txn")) continue;
      const Op* done = h.Completion(pos);
      Txn t;
      t.invoke = static_cast<int64_t>(pos);
      t.complete = done ? h.Partner(pos) : -1;
      t.type = done ? done->type : OpType::kInfo;
      if (t.type == OpType::kFail) continue;
      const Value& v = (done && t.type == OpType::kOk) ? done->value : op.value;
      for (const Value& m : v.elements()) t.mops.push_back({m[0].AsString()[0], m[1], m[2]});
      if (t.type == OpType::kInfo) t.complete = -1;
      txns_.push_back(std::move(t));
    }
  }

  bool Serializable(bool realtime) {
    realtime_ = realtime;
    si_ = false;
    return Search();
  }
  bool SnapshotIsolation() {
    realtime_ = false;
    si_ = true;
    return Search();
  }

 private:
  struct Mop {
    char kind;  // 'a'ppend, 'r'ead, 'w'rite
    Value key;
    Value value;
  };
  struct Txn {
    int64_t invoke, complete;
    OpType type;
    std::vector<Mop> mops;
  };
  using State = std::map<Value, Value>;  // key -> list (Vector) or register value

  static Value Get(const State& s, const Value& k, bool list) {
    auto it = s.find(k);
    if (it != s.end()) return it->second;
    return list ? Value::Vector({}) : Value();
  }

  // Runs txn on `snapshot`; true if its reads match. Returns its writes applied to
  // `base` in `*out`.
  bool Run(const Txn& t, const State& snapshot, const State& base, State* out) const {
    State local = snapshot;
    *out = base;
    for (const Mop& m : t.mops) {
      bool list = m.kind == 'a' || m.value.is_sequential();
      if (m.kind == 'r') {
        if (t.type == OpType::kOk && !(Get(local, m.key, list) == m.value)) return false;
      } else if (m.kind == 'a') {
        for (State* s : {&local, out}) {
          Value current = Get(*s, m.key, true);
          std::vector<Value> l(current.elements().begin(), current.elements().end());
          l.push_back(m.value);
          (*s)[m.key] = Value::Vector(std::move(l));
        }
      } else {
        local[m.key] = m.value;
        (*out)[m.key] = m.value;
      }
    }
    return true;
  }

  static bool Writes(const Txn& t, const Value& key) {
    for (const Mop& m : t.mops) {
      if (m.kind != 'r' && m.key == key) return true;
    }
    return false;
  }
  static bool Conflict(const Txn& a, const Txn& b) {
    for (const Mop& m : a.mops) {
      if (m.kind != 'r' && Writes(b, m.key)) return true;
    }
    return false;
  }

  bool Search() {
    order_.clear();
    used_.assign(txns_.size(), false);
    states_.assign(1, State());
    return Dfs();
  }

  bool Dfs() {
    bool all_ok = true;
    for (size_t i = 0; i < txns_.size(); ++i) {
      if (!used_[i] && txns_[i].type == OpType::kOk) all_ok = false;
    }
    if (all_ok) return true;
    for (size_t i = 0; i < txns_.size(); ++i) {
      if (used_[i] || !RealtimeReady(i)) continue;
      State next;
      if (!Place(i, &next)) continue;
      used_[i] = true;
      order_.push_back(i);
      states_.push_back(next);
      bool ok = Dfs();
      states_.pop_back();
      order_.pop_back();
      used_[i] = false;
      if (ok) return true;
    }
    return false;
  }

  // Every txn that completed before i was invoked is already placed (or may be
  // dropped: only :info ones, which never complete).
  bool RealtimeReady(size_t i) const {
    if (!realtime_) return true;
    for (size_t j = 0; j < txns_.size(); ++j) {
      if (!used_[j] && txns_[j].complete >= 0 && txns_[j].complete < txns_[i].invoke) {
        return false;
      }
    }
    return true;
  }

  bool Place(size_t i, State* next) const {
    const State& current = states_.back();
    if (!si_) return Run(txns_[i], current, current, next);
    // The newest snapshot that works is best: conflicts only forbid older ones.
    for (size_t s = order_.size() + 1; s-- > 0;) {
      if (!Run(txns_[i], states_[s], current, next)) continue;
      for (size_t j = s; j < order_.size(); ++j) {
        if (Conflict(txns_[i], txns_[order_[j]])) return false;
      }
      return true;
    }
    return false;
  }

  std::vector<Txn> txns_;
  bool realtime_ = false;
  bool si_ = false;
  std::vector<size_t> order_;
  std::vector<bool> used_;
  std::vector<State> states_;  // states_[k]: after the first k placed txns
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_BRUTE_FORCE_SERIALIZABLE_H_
