// The stats checker (Jepsen's checker/stats): how many client ops completed :ok, :fail
// and :info, overall and for each :f. A test in which some kind of operation never
// succeeded is usually broken (a misconfigured client, a dead cluster), so that makes
// the result invalid.
//
//   CheckResult r = MakeStatsChecker()->Check({}, history);
//   // {:count 10 :ok-count 7 :fail-count 2 :info-count 1
//   //  :by-f {:read {:valid? true :count 6 :ok-count 5 ...}
//   //         :write {:valid? false :count 4 :ok-count 0 ...}}}
//
// Counts completions of client ops (invocations and nemesis ops are not counted; an
// invocation that never completed is not counted either). :by-f is sorted by f.
// Validity: invalid if some f has no :ok completion, else valid (also for an empty
// history).
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_STATS_H_
#define JEPSEN_CHECKER_STATS_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A stats checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeStatsChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_STATS_H_
