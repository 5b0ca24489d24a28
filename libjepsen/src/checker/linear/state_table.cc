#include "checker/linear/state_table.h"

namespace jepsen::linear {

StateTable::StateTable(const Model& model, std::span<const LinOp> ops)
    : model_(model), ops_(ops), ids_(16, Hasher{&model}, Equal{&model}) {
  Intern(model_.Init());
}

int32_t StateTable::Intern(Value v) {
  auto [it, fresh] = ids_.try_emplace(v, static_cast<int32_t>(states_.size()));
  if (fresh) {
    states_.push_back(std::move(v));
    transitions_.resize(states_.size() * ops_.size(), kUnknown);
  }
  return it->second;
}

int32_t StateTable::Compute(int32_t state, uint32_t op) {
  std::optional<Value> next = model_.Step(states_[state], ops_[op].f, ops_[op].value);
  int32_t id = next ? Intern(std::move(*next)) : kInvalid;
  transitions_[static_cast<size_t>(state) * ops_.size() + op] = id;
  return id;
}

size_t StateTable::MemoryBytes() const {
  return transitions_.capacity() * sizeof(int32_t) +
         states_.capacity() * (sizeof(Value) + 48);  // + the map's node, roughly
}

}  // namespace jepsen::linear
