// Perf plots of a history as SVG, drawn natively (no gnuplot): latency of every op,
// latency quantiles over time, completion rates, and clock offsets, each with the
// nemesis's activity shaded as bands in time.
//
//   std::vector<FaultInterval> faults = FaultIntervals(history, package.perf);
//   std::string svg = LatencyRawSvg(history, faults, {.test_name = "etcd-register"});
//
// Times on the x axis are seconds since the start of the test (op :time); ops without
// a time (hand-written histories) are left out of the plots. See docs/reports.md.
//
// Thread safety: pure functions of their arguments.
#ifndef JEPSEN_REPORT_PERF_H_
#define JEPSEN_REPORT_PERF_H_

#include <cstddef>
#include <string>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/value.h"

namespace jepsen {

// A span of time in which a fault was active.
struct FaultInterval {
  // The fault's display name ("partition", "kill", or the op's :f).
  std::string name;
  // CSS colour of its band.
  std::string color;
  // Seconds since the start of the test.
  double start = 0;
  double end = 0;
  // True when no heal followed: the band runs to the end of the history.
  bool open_ended = false;
};

// The intervals in which faults were active. `perf` is a NemesisPackage's perf map,
// {:start-f {:name "partition" :color "#E9A0A0" :stop [:stop-f ...]}} (:stop optional),
// or nil. A fault opens at its start op's invocation and closes at the completion of
// the next stop op of the same fault: the :stop fs when given, else start-x/stop-x,
// kill/start, pause/resume, and *-clock/reset-clock. Nemesis ops that neither start
// nor stop a known fault become intervals of their own, from invocation to completion.
// A start op completed as :fail opens nothing (the fault did not happen).
std::vector<FaultInterval> FaultIntervals(const History& history, const Value& perf);

struct PlotOptions {
  // Shown in each plot's title.
  std::string test_name;
  // Canvas width in pixels (the height follows from the legend).
  double width = 960;
  // latency-raw: most points kept per series in one 2-pixel column (the extremes are
  // always kept), so plots of huge histories stay small.
  size_t max_points_per_column = 8;
};

// latency-raw.svg: one point per completed client op (x: invocation time, y: latency
// in ms on a log scale), colour per :f and marker per outcome (ok, fail, info).
std::string LatencyRawSvg(const History& history, const std::vector<FaultInterval>& faults,
                          const PlotOptions& options);
// latency-quantiles.svg: the 0.5, 0.95, 0.99 quantiles and the maximum of latency per
// :f over time windows.
std::string LatencyQuantilesSvg(const History& history,
                                const std::vector<FaultInterval>& faults,
                                const PlotOptions& options);
// rate.svg: completions per second per :f and outcome over time windows.
std::string RateSvg(const History& history, const std::vector<FaultInterval>& faults,
                    const PlotOptions& options);

// True if the history has a clock fault op (:f ending in "-clock").
bool HasClockOps(const History& history);
// clock.svg: each node's clock offset (ms) over time, from the completions of clock
// ops whose value maps node names to offsets in ms ({"n1" 120, ...}).
std::string ClockSvg(const History& history, const std::vector<FaultInterval>& faults,
                     const PlotOptions& options);

}  // namespace jepsen

#endif  // JEPSEN_REPORT_PERF_H_
