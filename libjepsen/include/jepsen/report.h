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
  // A NemesisPackage's perf map (Test::nemesis_perf); nil: the test description's
  // :nemesis-perf (as the runner stores it in test.json; runs stored before that have it
  // under :options :nemesis-perf or :perf), else conventions only (FaultIntervals).
  Value nemesis_perf;
  PlotOptions plot;
};

// Writes every report into `dir` (which must exist) and returns the names written.
// Every file is attempted; the first error (naming the file) is returned after all
// were tried. Never touches history or results files.
Result<std::vector<std::string>> WriteReports(const std::filesystem::path& dir,
                                              const History& history,
                                              const ReportInput& input);

// Writes the three perf plots, latency-raw.svg, latency-quantiles.svg and rate.svg,
// into `dir` (which must exist): the part of WriteReports that the perf checker
// (jepsen/checker/perf.h) shares. Appends the names written to `written` (may be null).
// Every file is attempted; returns the first error (naming the file).
Status WritePerfPlots(const std::filesystem::path& dir, const History& history,
                      const std::vector<FaultInterval>& faults, const PlotOptions& options,
                      std::vector<std::string>* written);

}  // namespace jepsen

#endif  // JEPSEN_REPORT_H_
