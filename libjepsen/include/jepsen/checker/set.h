// The set checker (Jepsen's checker/set): clients :add single elements, then a final
// :read returns the whole set. Every acknowledged add must be in the final read, and
// the read must hold nothing that was never added.
//
// Of the elements: attempted ones had an :add invoked; acknowledged ones had an :add
// complete :ok. In the last :ok :read (its value a vector, list or set):
//   ok          read and attempted
//   unexpected  read but never attempted          (invalid)
//   lost        acknowledged but not read         (invalid)
//   recovered   read, attempted, not acknowledged (an :info add that did happen)
// As in Jepsen, a failed add's element counts as attempted.
//
//   CheckResult r = MakeSetChecker()->Check({}, history);
//   // r.details: {:attempt-count 5 :acknowledged-count 4 :ok-count 4 :lost-count 1
//   //             :recovered-count 0 :unexpected-count 0 :ok #{1 2 3 5} :lost #{4}
//   //             :unexpected #{} :recovered #{} :explanation "..."}
//
// Validity: invalid if anything was lost or unexpected; unknown (with :error) if the
// set was never read; otherwise valid. Nemesis ops are ignored.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_SET_H_
#define JEPSEN_CHECKER_SET_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A set checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeSetChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_SET_H_
