// LinOp and PartitionHistory: the history as the linearizability search sees it.
//
// Each client invocation becomes one LinOp (fails are dropped), with the value the model
// should see: the completion's for ok ops, the invocation's for info and pending ones.
// Under `independent`, values are [key value] tuples and ops are grouped by key.
#ifndef JEPSEN_SRC_CHECKER_LINEAR_LIN_OP_H_
#define JEPSEN_SRC_CHECKER_LINEAR_LIN_OP_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "jepsen/checker/model.h"
#include "jepsen/history.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen::linear {

inline constexpr uint32_t kCrashed = std::numeric_limits<uint32_t>::max();

struct LinOp {
  Value f;
  Value value;
  int64_t process = 0;
  uint32_t invoke = 0;          // position of the invocation in the History
  uint32_t complete = kCrashed;  // position of the ok completion; kCrashed if none
  int64_t info = -1;            // position of an info completion, for reports
  bool crashed() const { return complete == kCrashed; }
};

struct Partition {
  // One entry per key (a single entry with a nil key when not independent), in order
  // of first appearance; ops[i] is sorted by invocation.
  std::vector<Value> keys;
  std::vector<std::vector<LinOp>> ops;
  int64_t ok_count = 0;
  int64_t crashed_count = 0;  // info or never completed, kept
  int64_t fail_count = 0;
  int64_t dropped_count = 0;  // crashed read-only ops, which can never matter
};

// Errors (kInvalidArgument): an op the model rejects; a non-tuple value when
// independent.
Result<Partition> PartitionHistory(const History& history, const Model& model,
                                   bool independent);

}  // namespace jepsen::linear

#endif  // JEPSEN_SRC_CHECKER_LINEAR_LIN_OP_H_
