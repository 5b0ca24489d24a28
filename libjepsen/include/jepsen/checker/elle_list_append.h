// The list-append transactional checker (Elle's list-append workload).
//
// Checks a history of :txn operations whose values are vectors of micro-ops
// [:append k v] and [:r k [v ...]]. Appended values are unique per key, so every read
// shows a prefix of the key's version order: the checker infers each key's order from
// the longest read, derives write-write, write-read and read-write dependencies between
// transactions (plus process and real-time order when a requested model needs them),
// and searches the dependency graph for cycles (strongly connected components first,
// then the shortest cycle of each anomaly kind, breadth-first). It also reports the
// non-cyclic anomalies of elle_consistency.h. :ok transactions committed, :fail ones
// aborted, :info (and never-completed) ones may have committed.
//
//   std::unique_ptr<Checker> c = MakeListAppendChecker({.consistency_models = {
//       ConsistencyModel::kSnapshotIsolation}});
//   CheckResult r = c->Check(context, history);
//   // r.details: {:anomaly-types [:G-single], :not [:snapshot-isolation ...], ...}
//
// The result's details: :anomaly-types (found and forbidden), :not (the weakest models
// ruled out), :also-not (the stronger ones), :anomalies (examples per type, each with
// an :explanation), :anomaly-counts, :txn-count and, when invalid, an :explanation.
// With a non-empty context.out_dir it writes elle/<type>.txt explanations and
// elle/<type>-<n>.svg / .dot cycle graphs there.
//
// Thread safety: Check may run concurrently on different histories.
#ifndef JEPSEN_CHECKER_ELLE_LIST_APPEND_H_
#define JEPSEN_CHECKER_ELLE_LIST_APPEND_H_

#include <memory>

#include "jepsen/checker.h"
#include "jepsen/checker/elle_options.h"

namespace jepsen::elle {

std::unique_ptr<Checker> MakeListAppendChecker(ElleOptions options);

}  // namespace jepsen::elle

#endif  // JEPSEN_CHECKER_ELLE_LIST_APPEND_H_
