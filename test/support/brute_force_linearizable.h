// BruteForceLinearizable: the reference the linearizability checker is tested against.
//
// Tries every order of the history's operations, with no memoization and no pruning
// beyond the model rejecting a step, so that it is obviously right and hopelessly slow:
// use it on histories of a handful of ops. Semantics as the checker documents them: ok
// ops take effect once between invocation and completion (with the completion's value),
// fails never, info and pending ops at any time after invocation or never (with the
// invocation's value). Crashed reads are kept: the reference drops nothing.
#ifndef JEPSEN_TEST_SUPPORT_BRUTE_FORCE_LINEARIZABLE_H_
#define JEPSEN_TEST_SUPPORT_BRUTE_FORCE_LINEARIZABLE_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "jepsen/checker/model.h"
#include "jepsen/history.h"

namespace jepsen::testing {

class BruteForce {
 public:
  BruteForce(const Model& model, const History& history) : model_(model) {
    constexpr size_t kNever = std::numeric_limits<size_t>::max();
    for (size_t pos = 0; pos < history.size(); ++pos) {
      const Op& op = history[pos];
      if (!op.is_invoke() || !op.is_client()) continue;
      const Op* done = history.Completion(pos);
      if (done != nullptr && done->is_fail()) continue;
      bool ok = done != nullptr && done->is_ok();
      ops_.push_back({op.f, ok ? done->value : op.value, pos,
                      ok ? static_cast<size_t>(history.Partner(pos)) : kNever, ok});
    }
  }

  bool Linearizable() {
    std::vector<bool> done(ops_.size(), false);
    return Try(model_.Init(), done);
  }

 private:
  struct Entry {
    Value f, value;
    size_t invoke, complete;
    bool required;
  };

  bool Try(const Value& state, std::vector<bool>& done) {
    bool all_required = true;
    for (size_t i = 0; i < ops_.size(); ++i) all_required &= done[i] || !ops_[i].required;
    if (all_required) return true;
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (done[i] || !CanGoNext(i, done)) continue;
      std::optional<Value> next = model_.Step(state, ops_[i].f, ops_[i].value);
      if (!next) continue;
      done[i] = true;
      bool found = Try(*next, done);
      done[i] = false;
      if (found) return true;
    }
    return false;
  }

  // Op i may come next unless an op still to be placed completed before i began.
  bool CanGoNext(size_t i, const std::vector<bool>& done) const {
    for (size_t j = 0; j < ops_.size(); ++j) {
      if (!done[j] && ops_[j].complete < ops_[i].invoke) return false;
    }
    return true;
  }

  const Model& model_;
  std::vector<Entry> ops_;
};

inline bool BruteForceLinearizable(const Model& model, const History& history) {
  return BruteForce(model, history).Linearizable();
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_BRUTE_FORCE_LINEARIZABLE_H_
