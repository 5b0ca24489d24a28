// The pipeline both transactional checkers share.
//
// 1. TxnHistory: flatten the :txn ops.
// 2. The workload (list-append or rw-register) infers version orders, reports the
//    anomalies it sees directly, and adds ww/wr/rw edges to the DepGraph.
// 3. Process and real-time edges when a wanted anomaly needs them.
// 4. Cycle search; cycles become findings with explanations.
// 5. The result (report.h) and, with an out_dir, the files.
//
// Thread safety: RunElleCheck keeps no state between calls.
#ifndef JEPSEN_SRC_CHECKER_ELLE_RUN_CHECK_H_
#define JEPSEN_SRC_CHECKER_ELLE_RUN_CHECK_H_

#include <memory>

#include "checker/elle/dep_graph.h"
#include "checker/elle/explain.h"
#include "checker/elle/findings.h"
#include "checker/elle/txn_history.h"
#include "jepsen/checker.h"
#include "jepsen/checker/elle_options.h"

namespace jepsen::elle {

class Workload : public EdgeExplainer {
 public:
  // Reports non-cyclic anomalies into `findings` and adds data edges to `graph`.
  // Only anomalies in `wanted` need be looked for.
  virtual void Analyze(const AnomalySet& wanted, Findings* findings, DepGraph* graph) = 0;
  // Bytes of the workload's own structures.
  virtual size_t MemoryBytes() const = 0;
};

// Makes the workload for `th`, which outlives it.
using WorkloadFactory = std::unique_ptr<Workload> (*)(const TxnHistory& th,
                                                      const ElleOptions& options);

CheckResult RunElleCheck(const CheckContext& context, const History& history,
                         const ElleOptions& options, WorkloadFactory make_workload);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_RUN_CHECK_H_
