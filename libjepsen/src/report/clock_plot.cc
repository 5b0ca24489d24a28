// clock.svg (see jepsen/report/perf.h).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "jepsen/report/perf.h"
#include "report/chart.h"
#include "report/ops.h"

namespace jepsen {
namespace {

constexpr double kStrobeSeconds = 5;  // how long :strobe-clock flips (faults.cc)

bool IsClockF(const std::string& f) {
  return f.size() > 6 && f.compare(f.size() - 6, 6, "-clock") == 0;
}

struct Event {
  double t;
  double offset_ms;
  double strobe_origin;  // >= 0: the end of a strobe begun at that time
};

}  // namespace

bool HasClockOps(const History& history) {
  for (const Op& op : history) {
    if (op.is_nemesis() && IsClockF(report::FName(op.f))) return true;
  }
  return false;
}

std::string ClockSvg(const History& history, const std::vector<FaultInterval>& faults,
                     const PlotOptions& o) {
  std::map<std::string, std::vector<Event>> events;
  for (size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (!op.is_nemesis() || op.time < 0 || report::IsInvocation(history, i)) continue;
    std::string f = report::FName(op.f);
    if (!IsClockF(f) || !op.value.is_map()) continue;
    double t = report::Seconds(op.time);
    for (const MapEntry& e : op.value.entries()) {
      if (!e.value.is_number()) continue;
      std::string node = report::FName(e.key);
      events[node].push_back({t, e.value.AsDouble(), -1});
      if (f == "strobe-clock") events[node].push_back({t + kStrobeSeconds, 0, t});
    }
  }
  double end = report::EndSeconds(history);
  double lo = 0, hi = 0;
  for (auto& [node, ev] : events) {
    std::stable_sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
    for (const Event& e : ev) lo = std::min(lo, e.offset_ms), hi = std::max(hi, e.offset_ms);
    end = std::max(end, ev.back().t);
  }
  double pad = std::max((hi - lo) * 0.08, 1.0);
  std::vector<report::LegendItem> legend;
  size_t n = 0;
  for (auto& [node, ev] : events) {
    legend.push_back({node, report::PaletteColor(n++), report::Marker::kLine, ""});
  }
  report::Chart chart({.title = o.test_name.empty() ? "clock offsets"
                                                    : o.test_name + ": clock offsets",
                       .x_label = "time (s)",
                       .y_label = "clock offset (ms)",
                       .x_max = std::max(end, 1e-3),
                       .y_min = lo - pad,
                       .y_max = hi + pad,
                       .width = o.width,
                       .empty_note = events.empty() ? "no clock offsets recorded" : ""},
                      legend, faults);
  chart.svg().Line(chart.plot_left(), chart.Y(0), chart.plot_right(), chart.Y(0),
                   "class=\"zero\" stroke=\"#999\" stroke-dasharray=\"4 4\"");
  n = 0;
  for (auto& [node, ev] : events) {
    // A step line: the offset holds until the next event. A strobe's return to zero
    // applies only if nothing else touched the node's clock since the strobe began.
    std::string pts;
    double current = 0, last_real = -1;
    auto point = [&](double t, double v) {
      if (!pts.empty()) pts += ' ';
      report::AppendNum(pts, chart.X(t));
      pts += ',';
      report::AppendNum(pts, chart.Y(v));
    };
    point(0, 0);
    for (const Event& e : ev) {
      if (e.strobe_origin >= 0 && e.strobe_origin != last_real) continue;
      if (e.strobe_origin < 0) last_real = e.t;
      point(e.t, current);
      point(e.t, e.offset_ms);
      current = e.offset_ms;
    }
    point(end, current);
    const std::string& color = report::PaletteColor(n++);
    chart.svg().Polyline(pts, fmt::format("class=\"series\" data-series=\"{}\" fill=\"none\" "
                                          "stroke=\"{}\" stroke-width=\"1.8\"",
                                          report::XmlEscape(node), color));
  }
  return chart.Finish();
}

}  // namespace jepsen
