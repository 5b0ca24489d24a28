// The counter checker (Jepsen's checker/counter): a counter starts at 0, :add ops add
// their value to it, :read ops return its value. Every read must lie within the bounds
// the adds around it allow.
//
// A read may observe any set of adds that contains every add which completed :ok
// before the read was invoked, and no add that was invoked after the read completed or
// that failed. With non-negative adds (Jepsen's assumption) the read must lie in
//   [sum of :ok adds completed before the read began,
//    sum of non-failed adds invoked before the read ended]
// Negative adds are allowed here: an uncertain negative add lowers the lower bound.
// Reads whose value is not an integer (a failed or crashed read) are skipped.
//
//   CheckResult r = MakeCounterChecker()->Check({}, history);
//   // {:read-count 3 :error-count 1 :errors [{:lower 2 :value 9 :upper 5 :op {...}}]
//   //  :max-absolute-error 4 :explanation "..."}
//
// Jepsen lists every read as [lower value upper]; to keep results of long tests small,
// :errors lists at most 100 errors (:error-count counts all) and reads are only counted.
// Validity: invalid if any read is out of bounds, else valid. Adds whose value is not an
// integer make the result unknown (with :error).
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_COUNTER_H_
#define JEPSEN_CHECKER_COUNTER_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A counter checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeCounterChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_COUNTER_H_
