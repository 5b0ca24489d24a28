// Reports: what a person looks at after a run, written into the run's directory.
//
//   latency-raw.svg  latency-quantiles.svg  rate.svg   perf plots with nemesis bands
//   clock.svg                                          when clock faults ran
//   timeline.html                                      every op on its process's lane
//   index.html                                         verdicts, anomalies, options,
//                                                      links to every file
//
// The runner writes them after checking; `analyze` and `jepsen check --out DIR` write
// them too. The pieces are in jepsen/report/perf.h and jepsen/report/pages.h; what
// each file shows is described in docs/reports.md.
//
//   JEPSEN_RETURN_IF_ERROR(WriteReports(run_dir, history,
//                                       {.test_name = test.name,
//                                        .results = result.ToValue()}));
//
// Thread safety: WriteReports only reads its arguments; callers must not write the
// same directory concurrently.
#ifndef JEPSEN_REPORT_H_
#define JEPSEN_REPORT_H_

#include <filesystem>
#include <string>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/report/perf.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

struct ReportInput {
  // Shown in titles; empty: test.json's :name, else the directory's name.
  std::string test_name;
  // The test's description (test.json); nil: read <dir>/test.json when present.
  Value test;
  // The checker's results (CheckResult::ToValue()); nil: read <dir>/results.json when
  // present, else the report says the history was not checked.
  Value results;
  // A NemesisPackage's perf map (jepsen/workload.h); nil: the test's :options
  // :nemesis-perf or :perf when present, else conventions only (FaultIntervals).
  Value nemesis_perf;
  PlotOptions plot;
};

// Writes every report into `dir` (which must exist) and returns the names written.
// Every file is attempted; the first error (naming the file) is returned after all
// were tried. Never touches history or results files.
Result<std::vector<std::string>> WriteReports(const std::filesystem::path& dir,
                                              const History& history,
                                              const ReportInput& input);

}  // namespace jepsen

#endif  // JEPSEN_REPORT_H_
