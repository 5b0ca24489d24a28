// latency-raw, latency-quantiles and rate plots (see jepsen/report/perf.h).
#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "jepsen/report/perf.h"
#include "report/chart.h"
#include "report/ops.h"

namespace jepsen {
namespace {

using report::Chart;
using report::ChartOptions;
using report::LegendItem;
using report::Marker;

constexpr const char* kOutcomes[] = {"ok", "fail", "info"};
constexpr Marker kOutcomeMarkers[] = {Marker::kCircle, Marker::kCross, Marker::kTriangle};
constexpr const char* kOutcomeDash[] = {"", "6 3", "2 2"};

// A completed client op: invocation time (s), latency (ms), which f and outcome.
struct Sample {
  double t;
  double latency_ms;
  uint32_t f;
  uint8_t outcome;  // index into kOutcomes
};

struct Samples {
  std::vector<std::string> fs;  // sorted names
  std::vector<Sample> samples;
  double end = 0;               // seconds
  size_t pending = 0;           // client invocations without completion
};

Samples Collect(const History& history) {
  Samples s;
  std::map<std::string, uint32_t> index;
  std::vector<std::pair<size_t, std::string>> raw;  // sample position -> f name
  for (size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (!op.is_client() || op.is_invoke()) {
      if (op.is_client() && history.Partner(i) == History::kNoPartner) ++s.pending;
      continue;
    }
    const Op* inv = history.Invocation(i);
    if (inv == nullptr || inv->time < 0 || op.time < 0) continue;
    uint8_t outcome = op.is_ok() ? 0 : op.is_fail() ? 1 : 2;
    std::string f = report::FName(inv->f);
    auto [it, added] = index.emplace(f, 0);
    (void)added;
    raw.emplace_back(s.samples.size(), f);
    s.samples.push_back({report::Seconds(inv->time),
                         static_cast<double>(op.time - inv->time) / 1e6, 0, outcome});
  }
  uint32_t n = 0;
  for (auto& [name, id] : index) {
    id = n++;
    s.fs.push_back(name);
  }
  for (auto& [pos, f] : raw) s.samples[pos].f = index[f];
  s.end = report::EndSeconds(history);
  return s;
}

std::string Title(const PlotOptions& o, std::string_view what) {
  return o.test_name.empty() ? std::string(what) : fmt::format("{}: {}", o.test_name, what);
}

// A latency chart over the test's time: log-scale ms from the decade below `lo` to the
// decade above `hi` (0.1 to 1000 ms when there are no samples).
ChartOptions LatencyChartOptions(const Samples& s, const PlotOptions& o, std::string_view what,
                                 std::string x_label, double lo, double hi) {
  if (s.samples.empty()) lo = 0.1, hi = 1000;
  return {.title = Title(o, what),
          .x_label = std::move(x_label),
          .y_label = "latency (ms, log scale)",
          .x_max = std::max(s.end, 1e-3),
          .y_min = std::pow(10, std::floor(std::log10(lo) - 1e-9)),
          .y_max = std::pow(10, std::ceil(std::log10(hi) + 1e-9)),
          .log_y = true,
          .width = o.width,
          .empty_note = s.samples.empty() ? "no completed client operations" : ""};
}

// Window width in seconds: a round number giving about 80 windows.
double WindowWidth(double end) {
  std::vector<double> t = report::LinearTicks(0, std::max(end, 1e-3), 80);
  return t.size() >= 2 ? t[1] - t[0] : std::max(end, 1e-3);
}

// Draws the points of latency-raw with deterministic downsampling: one point per 2x3
// pixel cell and series (the first op to land there), then at most `cap` cells per
// 2-pixel column, always keeping the lowest and the highest. Returns the points drawn.
size_t DrawDownsampled(Chart& chart, const Samples& s, const std::vector<bool>& present,
                       size_t cap) {
  cap = std::max<size_t>(cap, 2);
  const int cols = static_cast<int>((chart.plot_right() - chart.plot_left()) / 2) + 1;
  const int rows = static_cast<int>((chart.plot_bottom() - chart.plot_top()) / 3) + 1;
  size_t drawn = 0;
  std::vector<int32_t> cell(static_cast<size_t>(cols) * rows);
  std::vector<int> occupied;
  // Failures and infos are drawn over the oks, so they stay visible.
  for (size_t order = 0; order < present.size(); ++order) {
    size_t series = (order % s.fs.size()) * 3 + order / s.fs.size();
    if (!present[series]) continue;
    std::fill(cell.begin(), cell.end(), -1);
    for (size_t i = 0; i < s.samples.size(); ++i) {
      const Sample& x = s.samples[i];
      if (x.f * 3 + x.outcome != series) continue;
      int c = static_cast<int>((chart.X(x.t) - chart.plot_left()) / 2);
      int r = static_cast<int>((chart.Y(x.latency_ms) - chart.plot_top()) / 3);
      int32_t& slot = cell[static_cast<size_t>(c) * rows + r];
      if (slot < 0) slot = static_cast<int32_t>(i);
    }
    size_t k = series % 3;
    const std::string& color = report::PaletteColor(series / 3);
    chart.svg().OpenGroup(fmt::format(
        "class=\"series\" data-series=\"{} {}\" {}", report::XmlEscape(s.fs[series / 3]),
        kOutcomes[k],
        k == 0 ? fmt::format("fill=\"{}\" fill-opacity=\"0.75\"", color)
               : fmt::format("fill=\"none\" stroke=\"{}\" stroke-width=\"1.2\"", color)));
    for (int c = 0; c < cols; ++c) {
      occupied.clear();
      for (int r = 0; r < rows; ++r) {
        if (cell[static_cast<size_t>(c) * rows + r] >= 0) occupied.push_back(r);
      }
      auto draw = [&](size_t j) {
        size_t sample = static_cast<size_t>(cell[static_cast<size_t>(c) * rows + occupied[j]]);
        const Sample& x = s.samples[sample];
        report::DrawSeriesMarker(chart.svg(), kOutcomeMarkers[k], chart.X(x.t),
                                 chart.Y(x.latency_ms));
        ++drawn;
      };
      // All cells, or `cap` evenly spaced ones including the lowest and the highest.
      size_t n = occupied.size();
      if (n <= cap) {
        for (size_t j = 0; j < n; ++j) draw(j);
      } else {
        for (size_t m = 0; m < cap; ++m) draw(m * (n - 1) / (cap - 1));
      }
    }
    chart.svg().CloseGroup();
  }
  return drawn;
}

}  // namespace

std::string LatencyRawSvg(const History& history, const std::vector<FaultInterval>& faults,
                          const PlotOptions& o) {
  Samples s = Collect(history);
  double lo = 1e300, hi = 0;
  for (const Sample& x : s.samples) {
    lo = std::min(lo, std::max(x.latency_ms, 1e-3));
    hi = std::max(hi, std::max(x.latency_ms, 1e-3));
  }
  std::vector<bool> present(s.fs.size() * 3, false);
  for (const Sample& x : s.samples) present[x.f * 3 + x.outcome] = true;
  std::vector<LegendItem> legend;
  for (size_t f = 0; f < s.fs.size(); ++f) {
    for (size_t k = 0; k < 3; ++k) {
      if (!present[f * 3 + k]) continue;
      legend.push_back({fmt::format("{} {}", s.fs[f], kOutcomes[k]), report::PaletteColor(f),
                        kOutcomeMarkers[k], ""});
    }
  }
  Chart chart(LatencyChartOptions(s, o, "latency of every operation", "invocation time (s)", lo, hi),
              legend, faults);

  size_t drawn = DrawDownsampled(chart, s, present, o.max_points_per_column);
  chart.svg().Text(chart.plot_right(), chart.plot_top() - 8,
                   fmt::format("{} ops, {} points drawn", s.samples.size(), drawn),
                   "class=\"note\" font-size=\"11\" fill=\"#666\" text-anchor=\"end\"");
  return chart.Finish();
}

std::string LatencyQuantilesSvg(const History& history,
                                const std::vector<FaultInterval>& faults, const PlotOptions& o) {
  Samples s = Collect(history);
  double w = WindowWidth(s.end);
  size_t windows = static_cast<size_t>(std::floor(s.end / w)) + 1;
  // Latencies per f and window.
  std::vector<std::vector<std::vector<double>>> lat(
      s.fs.size(), std::vector<std::vector<double>>(windows));
  for (const Sample& x : s.samples) {
    size_t win = std::min(windows - 1, static_cast<size_t>(x.t / w));
    lat[x.f][win].push_back(std::max(x.latency_ms, 1e-3));
  }
  static constexpr double kQ[] = {0.5, 0.95, 0.99, 1.0};
  static constexpr const char* kQName[] = {"0.5", "0.95", "0.99", "max"};
  static constexpr const char* kQDash[] = {"", "7 3", "3 3", "1 3"};
  // q[f][quantile][window], NaN where the window is empty.
  std::vector<std::vector<std::vector<double>>> q(
      s.fs.size(), std::vector<std::vector<double>>(4, std::vector<double>(windows, NAN)));
  double lo = 1e300, hi = 0;
  for (size_t f = 0; f < s.fs.size(); ++f) {
    for (size_t win = 0; win < windows; ++win) {
      std::vector<double>& v = lat[f][win];
      if (v.empty()) continue;
      std::sort(v.begin(), v.end());
      for (size_t k = 0; k < 4; ++k) {
        size_t idx = std::min(v.size() - 1, static_cast<size_t>(kQ[k] * static_cast<double>(v.size())));
        q[f][k][win] = v[idx];
      }
      lo = std::min(lo, v.front());
      hi = std::max(hi, v.back());
    }
  }
  std::vector<LegendItem> legend;
  for (size_t f = 0; f < s.fs.size(); ++f) {
    for (size_t k = 0; k < 4; ++k) {
      legend.push_back({fmt::format("{} {}", s.fs[f], kQName[k]), report::PaletteColor(f),
                        Marker::kLine, kQDash[k]});
    }
  }
  Chart chart(LatencyChartOptions(s, o, "latency quantiles",
                                  fmt::format("time (s), windows of {} s", report::TickLabel(w)),
                                  lo, hi),
              legend, faults);
  for (size_t f = 0; f < s.fs.size(); ++f) {
    for (size_t k = 0; k < 4; ++k) {
      std::string d;
      bool pen = false;
      for (size_t win = 0; win < windows; ++win) {
        double v = q[f][k][win];
        if (std::isnan(v)) {
          pen = false;
          continue;
        }
        d += pen ? 'L' : 'M';
        report::AppendNum(d, chart.X((static_cast<double>(win) + 0.5) * w));
        d += ' ';
        report::AppendNum(d, chart.Y(v));
        pen = true;
      }
      if (d.empty()) continue;
      chart.svg().Path(d, fmt::format("class=\"series\" data-series=\"{} {}\" fill=\"none\" "
                                      "stroke=\"{}\" stroke-width=\"1.6\"{}",
                                      report::XmlEscape(s.fs[f]), kQName[k],
                                      report::PaletteColor(f),
                                      k == 0 ? "" : fmt::format(" stroke-dasharray=\"{}\"", kQDash[k])));
    }
  }
  return chart.Finish();
}

std::string RateSvg(const History& history, const std::vector<FaultInterval>& faults,
                    const PlotOptions& o) {
  Samples s = Collect(history);
  double w = WindowWidth(s.end);
  size_t windows = static_cast<size_t>(std::floor(s.end / w)) + 1;
  std::vector<std::vector<double>> count(s.fs.size() * 3, std::vector<double>(windows, 0));
  std::vector<bool> present(s.fs.size() * 3, false);
  for (const Sample& x : s.samples) {
    double done = x.t + x.latency_ms / 1e3;
    size_t win = std::min(windows - 1, static_cast<size_t>(done / w));
    count[x.f * 3 + x.outcome][win] += 1;
    present[x.f * 3 + x.outcome] = true;
  }
  double hi = 0;
  for (auto& series : count) {
    for (double& c : series) hi = std::max(hi, c /= w);
  }
  std::vector<LegendItem> legend;
  for (size_t i = 0; i < present.size(); ++i) {
    if (!present[i]) continue;
    legend.push_back({fmt::format("{} {}", s.fs[i / 3], kOutcomes[i % 3]),
                      report::PaletteColor(i / 3), Marker::kLine, kOutcomeDash[i % 3]});
  }
  std::vector<double> yt = report::LinearTicks(0, hi > 0 ? hi * 1.05 : 1, 6);
  Chart chart({.title = Title(o, "throughput"),
               .x_label = fmt::format("completion time (s), windows of {} s", report::TickLabel(w)),
               .y_label = "completions per second",
               .x_max = std::max(s.end, 1e-3),
               .y_max = yt.back() >= hi ? yt.back() : hi * 1.05,
               .width = o.width,
               .empty_note = s.samples.empty() ? "no completed client operations" : ""},
              legend, faults);
  for (size_t i = 0; i < present.size(); ++i) {
    if (!present[i]) continue;
    std::string pts;
    for (size_t win = 0; win < windows; ++win) {
      if (!pts.empty()) pts += ' ';
      report::AppendNum(pts, chart.X((static_cast<double>(win) + 0.5) * w));
      pts += ',';
      report::AppendNum(pts, chart.Y(count[i][win]));
    }
    chart.svg().Polyline(pts, fmt::format("class=\"series\" data-series=\"{} {}\" fill=\"none\" "
                                          "stroke=\"{}\" stroke-width=\"1.6\"{}",
                                          report::XmlEscape(s.fs[i / 3]), kOutcomes[i % 3],
                                          report::PaletteColor(i / 3),
                                          i % 3 == 0 ? "" : fmt::format(" stroke-dasharray=\"{}\"", kOutcomeDash[i % 3])));
  }
  return chart.Finish();
}

}  // namespace jepsen
