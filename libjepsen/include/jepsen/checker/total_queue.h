// The total-queue checker (Jepsen's checker/total-queue): what goes in must come out.
// Clients :enqueue values and :dequeue them (an :ok :dequeue's value is the element it
// took; an :ok :drain's value lists every element it took). The history should end by
// draining the queue, so that every acknowledged enqueue has a matching dequeue.
//
// Counting with multiplicity (a value enqueued twice must come out twice):
//   attempted     values of :enqueue invocations
//   acknowledged  values of :enqueue ops that completed :ok
//   ok            dequeues of attempted values (up to the attempts' multiplicity)
//   unexpected    dequeues of values never attempted                       (invalid)
//   duplicated    dequeues of attempted values beyond their attempts
//   lost          acknowledged enqueues never dequeued                     (invalid)
//   recovered     ok dequeues beyond the acknowledged enqueues (an :info enqueue that
//                 did happen)
//
//   CheckResult r = MakeTotalQueueChecker()->Check({}, history);
//   // {:attempt-count 4 :acknowledged-count 3 :ok-count 3 :unexpected-count 0
//   //  :duplicated-count 0 :lost-count 1 :recovered-count 1 :lost [2] ...}
//
// Value lists (:lost, :unexpected, :duplicated, :recovered) are sorted vectors in which
// a value repeats its multiplicity. Validity: invalid if anything was lost or
// unexpected; unknown (with :error) if a :drain crashed; else valid. :ok dequeues of nil
// (an empty queue) are counted in :empty-dequeue-count and otherwise ignored.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_TOTAL_QUEUE_H_
#define JEPSEN_CHECKER_TOTAL_QUEUE_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A total-queue checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeTotalQueueChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_TOTAL_QUEUE_H_
