// SearchLinearization: Wing & Gong's search for a linearization of one history (one
// key), with Lowe's memoization and pruning for crashed ops. docs/linearizability.md
// explains the algorithm; search.cc keeps the invariants next to the code.
#ifndef JEPSEN_SRC_CHECKER_LINEAR_SEARCH_H_
#define JEPSEN_SRC_CHECKER_LINEAR_SEARCH_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "checker/linear/lin_op.h"
#include "jepsen/checker.h"
#include "jepsen/checker/model.h"

namespace jepsen::linear {

// Memory shared by the searches of one check (keys run in parallel).
// Thread safety: atomic; any thread may charge and release.
class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t limit_bytes) : limit_(limit_bytes) {}
  // Adds `delta` bytes (may be negative); false if the total is now over the limit.
  bool Charge(int64_t delta) {
    int64_t now = used_.fetch_add(delta, std::memory_order_relaxed) + delta;
    return limit_ == 0 || now <= static_cast<int64_t>(limit_);
  }

 private:
  uint64_t limit_;  // 0: unlimited
  std::atomic<int64_t> used_{0};
};

struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* cancel = nullptr;  // borrowed, may be null
  MemoryBudget* memory = nullptr;             // borrowed, may be null
};

struct SearchOutcome {
  Validity validity = Validity::kValid;
  std::string unknown_reason;  // when kUnknown: "time limit", "memory limit", "cancelled"
  uint64_t configurations = 0;  // memo entries: configurations explored
  uint64_t states = 0;          // distinct model states met
  // When invalid: the op (index into the search's ops) whose completion no explored
  // configuration could pass, ...
  int64_t offender = -1;
  // ... one longest linearizable prefix found (op indices, in linearization order)...
  std::vector<uint32_t> linearized;
  // ... and the model states reachable just before the offender (at most 16).
  std::vector<Value> states_before;
};

// Searches for a linearization of `ops` (sorted by invocation) under `model`.
SearchOutcome SearchLinearization(const Model& model, std::span<const LinOp> ops,
                                  const SearchLimits& limits);

}  // namespace jepsen::linear

#endif  // JEPSEN_SRC_CHECKER_LINEAR_SEARCH_H_
