// StateTable: model states interned as small integers, and every transition the search
// asks for computed once.
//
// The search only ever handles int32 state ids. Step(state, op) looks in a dense table
// (one row of ops per state) and calls the Model only on a miss, so the inner loop of
// the search neither allocates nor hashes Values once the states it visits are known.
//
// Thread safety: none; one table per search.
#ifndef JEPSEN_SRC_CHECKER_LINEAR_STATE_TABLE_H_
#define JEPSEN_SRC_CHECKER_LINEAR_STATE_TABLE_H_

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "checker/linear/lin_op.h"
#include "jepsen/checker/model.h"

namespace jepsen::linear {

class StateTable {
 public:
  static constexpr int32_t kInvalid = -1;

  // Borrows `model` and `ops`, which must outlive the table.
  StateTable(const Model& model, std::span<const LinOp> ops);

  // The id of the model's initial state.
  int32_t initial() const { return 0; }
  // The state after op `op` in state `state`, or kInvalid.
  int32_t Step(int32_t state, uint32_t op) {
    int32_t t = transitions_[static_cast<size_t>(state) * ops_.size() + op];
    if (t != kUnknown) return t;
    return Compute(state, op);
  }
  const Value& state(int32_t id) const { return states_[id]; }
  size_t size() const { return states_.size(); }
  size_t MemoryBytes() const;

 private:
  static constexpr int32_t kUnknown = -2;

  struct Hasher {
    const Model* model;
    size_t operator()(const Value& v) const { return model->Hash(v); }
  };
  struct Equal {
    const Model* model;
    bool operator()(const Value& a, const Value& b) const { return model->Equal(a, b); }
  };

  int32_t Compute(int32_t state, uint32_t op);
  int32_t Intern(Value v);

  const Model& model_;
  std::span<const LinOp> ops_;
  std::vector<Value> states_;
  std::unordered_map<Value, int32_t, Hasher, Equal> ids_;
  // transitions_[state * ops + op]: the next state, kInvalid, or kUnknown.
  std::vector<int32_t> transitions_;
};

}  // namespace jepsen::linear

#endif  // JEPSEN_SRC_CHECKER_LINEAR_STATE_TABLE_H_
