// The HTML pages of a run's report: timeline.html (every op as a bar on its process's
// lane) and index.html (the summary: verdicts, anomalies, options, links to files).
// Both are self-contained: inline CSS and JavaScript, no network.
//
//   std::string html = TimelineHtml(history, "etcd-register");
//   std::vector<CheckerVerdict> v = CheckerVerdicts(result.ToValue());
//
// Contract relied on by tests and `jepsen serve` (see docs/reports.md):
//   timeline.html: <title> and <h1> hold the test name; #timeline-summary says
//     "<N> operations on <P> processes"; #op-detail shows the op under the mouse;
//     <canvas id="timeline">; <script id="timeline-data" type="application/json">
//     holds the ops; <body data-ready="true"> once drawn.
//   index.html: <title> and <h1> hold the test name; #verdict says valid, invalid or
//     unknown.
//
// Thread safety: pure functions of their arguments.
#ifndef JEPSEN_REPORT_PAGES_H_
#define JEPSEN_REPORT_PAGES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/report/perf.h"
#include "jepsen/value.h"

namespace jepsen {

// timeline.html. N counts invocations (client and nemesis), P distinct processes (the
// nemesis is one). Op values are cut to 300 characters each.
std::string TimelineHtml(const History& history, const std::vector<FaultInterval>& faults,
                         std::string_view test_name);

// One checker's verdict, found by walking a results map: the top level ("" path) and
// every nested map that has a :valid? key ("workload/linear").
struct CheckerVerdict {
  std::string path;
  // "valid", "invalid" or "unknown".
  std::string verdict;
  // Anomaly names: :anomaly-types, else the keys of :anomalies.
  std::vector<std::string> anomalies;
  // :explanation, when there is one.
  std::string explanation;
};
// Keys may be keywords (CheckResult::ToValue) or strings (results.json read back).
std::vector<CheckerVerdict> CheckerVerdicts(const Value& results);

struct IndexInput {
  std::string test_name;
  // test.json: :name :start-time (ms since the epoch) :seed :nodes :concurrency
  // :time-limit :options :argv; keyword or string keys; nil if unknown.
  Value test;
  // The results map; nil when the history was not checked.
  Value results;
  // Files of the run directory relative to it, with their sizes in bytes.
  std::vector<std::pair<std::string, uintmax_t>> files;
  // Ops in the history.
  size_t ops = 0;
};
std::string IndexHtml(const IndexInput& input);

}  // namespace jepsen

#endif  // JEPSEN_REPORT_PAGES_H_
