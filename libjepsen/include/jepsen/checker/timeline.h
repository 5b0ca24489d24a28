// The timeline checker (Jepsen's timeline/html): timeline.html, every op as a bar on its
// process's lane, written into the check's output directory; with `independent`, one
// page per key of a history of [key value] tuples (Jepsen's independent checker around
// a timeline), so a key the linearizability checker flags can be read on its own.
//
//   checkers.emplace_back("linear", MakeLinearizableChecker({..., .independent = true}));
//   checkers.emplace_back("timeline", MakeTimelineChecker({.independent = true}));
//   // {:valid? true :files ["independent/0/timeline.html" ...] :key-count 12}
//
// With an empty CheckContext::out_dir it writes nothing. Independent pages go to
// independent/<key>/timeline.html (<key> printed as EDN, characters other than
// [A-Za-z0-9._-] replaced by '_'); each shows that key's client ops, values unwrapped,
// with the run's fault bands. Client ops whose value is not a [key value] tuple are
// left out and counted (:skipped-ops). Details: :files (the first 100), :key-count
// (independent), :skipped-ops, and :error naming a file that could not be written.
// Validity: always valid: the pages are for people.
//
// Thread safety: Check may run on several threads at once, with different out_dirs.
#ifndef JEPSEN_CHECKER_TIMELINE_H_
#define JEPSEN_CHECKER_TIMELINE_H_

#include <memory>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/value.h"

namespace jepsen {

struct TimelineCheckerOptions {
  // Shown in each page's title (with the key when independent).
  std::string test_name;
  // A NemesisPackage's perf map naming the fault bands (jepsen/report/perf.h); nil:
  // FaultIntervals' conventions.
  Value nemesis_perf;
  // One page per key of [key value] tuples, instead of one for the whole history.
  bool independent = false;
};

std::unique_ptr<Checker> MakeTimelineChecker(TimelineCheckerOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_TIMELINE_H_
