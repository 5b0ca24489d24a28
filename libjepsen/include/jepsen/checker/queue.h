// The queue checker (Jepsen's checker/queue with an unordered-queue model): every
// dequeue must come from somewhere. Walking the history in order, each :enqueue that
// did not fail puts its value in the queue when it is invoked (it may take effect any
// time after), and each :ok :dequeue (or element of an :ok :drain) takes its value out
// when it completes. A dequeue of a value not in the queue at that point is invalid.
// Order is not checked (a model-less unordered queue): use the linearizable checker
// with the fifo-queue model for that. Linear time.
//
//   CheckResult r = MakeQueueChecker()->Check({}, history);
//   // valid:   {:enqueue-count 3 :dequeue-count 2 :final-queue [7]}
//   // invalid: {:error "can't dequeue 9" :op {...} :explanation "..."}
//
// Validity: invalid on the first impossible dequeue; unknown (with :error) if a :drain
// crashed; else valid. :ok dequeues of nil (an empty queue) are counted in
// :empty-dequeue-count and otherwise ignored.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_QUEUE_H_
#define JEPSEN_CHECKER_QUEUE_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

// A queue checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeQueueChecker();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_QUEUE_H_
