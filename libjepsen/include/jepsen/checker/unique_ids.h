// The unique-ids checker (Jepsen's checker/unique-ids): clients invoke :generate and an
// :ok completion's value is the id the system handed out. Every id must be distinct.
//
//   CheckResult r = MakeUniqueIdsChecker()->Check({}, history);
//   // {:attempted-count 4 :acknowledged-count 3 :duplicated-count 1 :duplicated {7 2}
//   //  :range [1 7]}
//
// :duplicated maps up to 48 of the most duplicated ids to how often each was handed out
// (:duplicated-count counts them all); :range is [lowest highest] in Value order (nil
// when no id was acknowledged). Validity: invalid if any id was handed out twice, else
// valid.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_UNIQUE_IDS_H_
#define JEPSEN_CHECKER_UNIQUE_IDS_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A unique-ids checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeUniqueIdsChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_UNIQUE_IDS_H_
