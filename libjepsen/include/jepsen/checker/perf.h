// The perf checker (Jepsen's checker/perf): latency and rate plots of a history, with
// the nemesis's faults shaded as bands, written into the check's output directory.
//
//   checkers.emplace_back("perf", MakePerfChecker({.test_name = test.name,
//                                                  .nemesis_perf = package.perf}));
//   // {:valid? true :plots ["latency-raw.svg" "latency-quantiles.svg" "rate.svg"]}
//
// With a non-empty CheckContext::out_dir it writes latency-raw.svg,
// latency-quantiles.svg and rate.svg there, through the same code as the runner's
// reports (WritePerfPlots, jepsen/report.h); with an empty one it writes nothing.
// Details: :plots, the files written (empty without an out_dir), and :error naming the
// file when one could not be written.
// Validity: always valid, as in Jepsen: the plots are for people.
//
// Thread safety: Check may run on several threads at once, with different out_dirs.
#ifndef JEPSEN_CHECKER_PERF_H_
#define JEPSEN_CHECKER_PERF_H_

#include <memory>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/value.h"

namespace jepsen {

struct PerfCheckerOptions {
  // Shown in each plot's title.
  std::string test_name;
  // A NemesisPackage's perf map (Test::nemesis_perf), naming the fault bands; nil: the
  // conventions of FaultIntervals (jepsen/report/perf.h).
  Value nemesis_perf;
};

std::unique_ptr<Checker> MakePerfChecker(PerfCheckerOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_PERF_H_
