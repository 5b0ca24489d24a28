// The read-write register transactional checker (Elle's rw-register workload).
//
// Checks a history of :txn operations whose values are vectors of micro-ops [:w k v]
// and [:r k v]. Written values are unique per key. A register read shows one version,
// not its history, so the version order is inferred from what the history allows: the
// initial nil precedes every write, and a transaction's write follows the version it
// read of that key (writes follow reads); optionally keys are assumed linearizable or
// sequential (ElleOptions). From those orders come ww, wr and rw dependencies, then the
// same cycle search and non-cyclic checks as list-append (elle_list_append.h), with
// the same result shape. Cycles between versions of one key are incompatible-order.
//
//   std::unique_ptr<Checker> c = MakeRwRegisterChecker({});
//   CheckResult r = c->Check(context, history);
//
// Thread safety: Check may run concurrently on different histories.
#ifndef JEPSEN_CHECKER_ELLE_RW_REGISTER_H_
#define JEPSEN_CHECKER_ELLE_RW_REGISTER_H_

#include <memory>

#include "jepsen/checker.h"
#include "jepsen/checker/elle_options.h"

namespace jepsen::elle {

std::unique_ptr<Checker> MakeRwRegisterChecker(ElleOptions options);

}  // namespace jepsen::elle

#endif  // JEPSEN_CHECKER_ELLE_RW_REGISTER_H_
