// The unhandled-exceptions checker (Jepsen's checker/unhandled-exceptions): groups the
// client ops that completed :info with an error by the error's type, most frequent
// first, so that unexpected client errors stand out. It only informs: the result is
// always valid.
//
// The type of an error is, in order: the class of the first :via entry of a Jepsen
// :exception (Jepsen histories); the first element of an :error vector (our interpreter
// records a thrown exception as [:exception "what()"], clients record e.g.
// [:timeout "..."]); the :type of an :error map; else the error itself.
//
//   CheckResult r = MakeUnhandledExceptionsChecker()->Check({}, history);
//   // {:count 3 :exceptions [{:class :timeout :count 2 :example {...op...}}
//   //                        {:class :exception :count 1 :example {...}}]}
//
// :exceptions is left out when there are none (as Jepsen). Ties in count are ordered
// by class.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_UNHANDLED_EXCEPTIONS_H_
#define JEPSEN_CHECKER_UNHANDLED_EXCEPTIONS_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// An unhandled-exceptions checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeUnhandledExceptionsChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_UNHANDLED_EXCEPTIONS_H_
