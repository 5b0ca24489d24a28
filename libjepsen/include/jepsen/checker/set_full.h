// The set-full checker (Jepsen's checker/set-full): clients :add single elements and
// :read the whole set many times during the test. For each element it finds when the
// element became known to exist and whether, after that, reads kept seeing it.
//
// Per element, from the ok reads (each read counts at its invocation):
//   known        the earlier of the add's :ok completion and the first read that saw it
//   stable       some read saw it, and every read that missed it began before the last
//                read that saw it
//   lost         known, and the last read that missed it began after the element was
//                known and after every read that saw it
//   never-read   neither (no read began after it was known; includes elements never
//                known to be added)
//   stale        stable, but some read that began after it was known missed it
// Latencies are in milliseconds: stable-latency from known to just after the last read
// that missed it; lost-latency from known to just after the last read that saw it.
//
//   CheckResult r = MakeSetFullChecker({.linearizable = true})->Check({}, history);
//   // {:attempt-count 3 :stable-count 2 :lost-count 1 :lost [3] :never-read-count 0
//   //  :never-read [] :stale-count 1 :stale [2] :worst-stale [{:element 2 ...}]
//   //  :stable-latencies {0 0, 0.5 4, ...} :duplicated-count 0 :duplicated {}}
//
// Validity as Jepsen: invalid if any element was lost or a read returned an element
// more than once (duplicated); otherwise unknown if no element is stable (nothing was
// confirmed); with `linearizable`, invalid if any element was stale; else valid.
//
// One deliberate difference: Jepsen counts an element stale when its stable latency
// rounds to at least 1 ms; here a stale element is any whose absence was observed by a
// read that began after it was known, which also catches sub-millisecond staleness and
// works on histories without times. An element added twice is tracked from its first
// add.
//
// Cost: O(reads x elements), i.e. linear in the size of histories whose reads return
// the whole set.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_SET_FULL_H_
#define JEPSEN_CHECKER_SET_FULL_H_

#include <memory>

#include "jepsen/checker.h"

namespace jepsen {

struct SetFullOptions {
  // The set should be linearizable: stale reads make the history invalid.
  bool linearizable = false;
  // At most this many stale elements are described in :worst-stale.
  int worst_stale_count = 8;
};

// A set-full checker; it keeps no state between checks.
std::unique_ptr<Checker> MakeSetFullChecker(SetFullOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_SET_FULL_H_
