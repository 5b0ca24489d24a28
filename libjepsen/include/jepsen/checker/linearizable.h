// The linearizability checker: is there a total order of the history's operations that
// respects real time (an op that completed before another was invoked comes first) and
// that the model accepts step by step?
//
// Semantics are Jepsen's (Knossos): ok ops took effect once, between invocation and
// completion; failed ops never did; info ops and invocations that never completed may
// have taken effect at any time after their invocation, or never, with the invocation's
// value. Nemesis ops are ignored.
//
//   std::unique_ptr<Checker> c = MakeLinearizableChecker(
//       {.model = MakeCasRegisterModel(), .independent = true});
//   CheckResult r = c->Check(context, history);
//   // r.details: {:model "cas-register", :op-count 812, ..., :counterexample {...}}
//
// The search is Wing & Gong's with Lowe's memoization of (linearized set, model state)
// plus pruning of crashed ops; docs/linearizability.md explains it. It honours
// CheckContext's time and memory limits and cancel flag by answering kUnknown, and with
// `independent` checks keys on CheckContext::threads threads.
//
// When a history is invalid, details hold :explanation, :counterexample (the op that
// cannot be linearized, the model states reachable just before it, the longest
// linearizable prefix found and the ops concurrent with it) and, when the context has an
// out_dir, a linearizable.svg (linearizable-<n>.svg per failing key) drawing ops as bars
// on process lanes with the offender in red.
//
// Thread safety: Check may run on several threads at once; the model must be immutable.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_H_

#include <memory>

#include "jepsen/checker.h"
#include "jepsen/checker/model.h"

namespace jepsen {

struct LinearizableOptions {
  // The sequential specification; required.
  std::unique_ptr<Model> model;
  // Values are [key value] tuples (Jepsen's independent); each key is its own history.
  bool independent = false;
  // At most this many failing keys get full results and an SVG.
  int max_reported_keys = 8;
};

// A linearizability checker owning `options.model`.
std::unique_ptr<Checker> MakeLinearizableChecker(LinearizableOptions options);

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_LINEARIZABLE_H_
