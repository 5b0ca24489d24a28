// Private: the frame every perf plot shares: title, plot area with linear or log axes,
// tick labels, axis labels, nemesis bands, and a legend laid out in rows below the
// plot that grows the canvas instead of overflowing it.
//
//   Chart chart({.title = "rate", .x_label = "time (s)", ...}, legend, bands);
//   chart.svg().Circle(chart.X(t), chart.Y(v), 2, "");
//   std::string text = chart.Finish();
//
// X() and Y() clamp into the plot area, so everything drawn through them lies inside
// the viewBox.
//
// Thread safety: none.
#ifndef JEPSEN_SRC_REPORT_CHART_H_
#define JEPSEN_SRC_REPORT_CHART_H_

#include <string>
#include <vector>

#include "jepsen/report/perf.h"
#include "report/svg.h"

namespace jepsen::report {

enum class Marker { kCircle, kSquare, kTriangle, kCross, kLine, kBand };

struct LegendItem {
  std::string label;
  std::string color;
  Marker marker = Marker::kCircle;
  // SVG stroke-dasharray for kLine ("" = solid).
  std::string dash;
};

struct ChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  double x_min = 0, x_max = 1;
  double y_min = 0, y_max = 1;
  bool log_y = false;
  double width = 960;
  double plot_height = 380;
  // Shown in the middle of the plot when there is nothing to draw.
  std::string empty_note;
};

// Ticks between lo and hi at 1, 2 or 5 times a power of ten, about `target` of them.
std::vector<double> LinearTicks(double lo, double hi, int target);
// Powers of ten in [lo, hi] (lo > 0), with 2 and 5 multiples when there are few.
std::vector<double> LogTicks(double lo, double hi);
// A tick label: "0.5", "20", "1e+06"...
std::string TickLabel(double v);

class Chart {
 public:
  Chart(ChartOptions options, std::vector<LegendItem> legend,
        const std::vector<FaultInterval>& bands);

  double X(double x) const;
  double Y(double y) const;
  double plot_left() const { return left_; }
  double plot_right() const { return right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return bottom_; }
  SvgWriter& svg() { return svg_; }

  // Draws the legend and closes the document.
  std::string Finish();

 private:
  struct Placed {
    LegendItem item;
    double x, y;
  };
  void DrawFrame(const std::vector<FaultInterval>& bands);
  void DrawLegend();
  static void DrawMarker(SvgWriter& svg, const LegendItem& item, double x, double y);

  ChartOptions o_;
  double left_, right_, top_, bottom_;
  std::vector<Placed> legend_;
  SvgWriter svg_;
};

// Draws a marker of about 6 px centred on (x, y); its fill or stroke comes from the
// enclosing group.
void DrawSeriesMarker(SvgWriter& svg, Marker marker, double x, double y);

// Distinct colours for series and faults.
const std::string& PaletteColor(size_t i);

}  // namespace jepsen::report

#endif  // JEPSEN_SRC_REPORT_CHART_H_
