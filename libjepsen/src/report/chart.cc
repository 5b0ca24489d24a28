#include "report/chart.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace jepsen::report {
namespace {

constexpr double kLeft = 80, kRight = 28, kTop = 56;
constexpr double kLegendRow = 20, kLegendFont = 12, kTickFont = 11;

}  // namespace

const std::string& PaletteColor(size_t i) {
  static const std::vector<std::string> kColors = {
      "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
      "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939"};
  return kColors[i % kColors.size()];
}

std::vector<double> LinearTicks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo) return {lo};
  double raw = (hi - lo) / std::max(target, 1);
  double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  }
  return ticks;
}

std::vector<double> LogTicks(double lo, double hi) {
  std::vector<double> ticks;
  int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  int e1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  bool fine = e1 - e0 <= 3;
  for (int e = e0; e <= e1; ++e) {
    for (double m : fine ? std::vector<double>{1, 2, 5} : std::vector<double>{1}) {
      double t = m * std::pow(10, e);
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
    }
  }
  return ticks;
}

std::string TickLabel(double v) {
  if (std::abs(v) >= 1e5 || (v != 0 && std::abs(v) < 1e-3)) return fmt::format("{:.0e}", v);
  std::string s = fmt::format("{:.3f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

void DrawSeriesMarker(SvgWriter& svg, Marker marker, double x, double y) {
  std::string& out = svg.buffer();
  switch (marker) {
    case Marker::kSquare:
      out += "<rect x=\"";
      AppendNum(out, x - 2.5);
      out += "\" y=\"";
      AppendNum(out, y - 2.5);
      out += "\" width=\"5\" height=\"5\"/>\n";
      break;
    case Marker::kTriangle:
      out += "<path d=\"M";
      AppendNum(out, x);
      out += ' ';
      AppendNum(out, y - 3.5);
      out += "l3.5 6h-7z\"/>\n";
      break;
    case Marker::kCross:
      out += "<path d=\"M";
      AppendNum(out, x - 3);
      out += ' ';
      AppendNum(out, y - 3);
      out += "l6 6m0-6l-6 6\"/>\n";
      break;
    default:
      out += "<circle cx=\"";
      AppendNum(out, x);
      out += "\" cy=\"";
      AppendNum(out, y);
      out += "\" r=\"2.2\"/>\n";
  }
}

Chart::Chart(ChartOptions options, std::vector<LegendItem> legend,
             const std::vector<FaultInterval>& bands)
    : o_(std::move(options)), svg_(0, 0, "") {
  if (!(o_.x_max > o_.x_min)) o_.x_max = o_.x_min + 1;
  if (!(o_.y_max > o_.y_min)) o_.y_max = o_.y_min + 1;
  if (o_.log_y && o_.y_min <= 0) o_.y_min = std::min(o_.y_max / 10, 1e-3);
  left_ = kLeft;
  right_ = o_.width - kRight;
  top_ = kTop;
  bottom_ = top_ + o_.plot_height;
  // Fault names join the legend once each, as band swatches.
  for (const FaultInterval& b : bands) {
    bool seen = std::any_of(legend.begin(), legend.end(), [&](const LegendItem& i) {
      return i.marker == Marker::kBand && i.label == b.name;
    });
    if (!seen) legend.push_back({.label = b.name, .color = b.color, .marker = Marker::kBand});
  }
  // Rows of entries, wrapping before the right edge; labels longer than a third of the
  // width are cut.
  double x = left_, y = bottom_ + 60;
  size_t max_chars = static_cast<size_t>((o_.width / 3) / (kLegendFont * 0.62));
  for (LegendItem& item : legend) {
    item.label = Ellipsize(item.label, max_chars);
    double w = 22 + TextWidth(item.label, kLegendFont) + 18;
    if (x + w > o_.width - 10 && x > left_) {
      x = left_;
      y += kLegendRow;
    }
    legend_.push_back({item, x, y});
    x += w;
  }
  double height = (legend_.empty() ? bottom_ + 44 : y + kLegendRow / 2) + 8;
  svg_ = SvgWriter(o_.width, height, o_.title);
  DrawFrame(bands);
}

double Chart::X(double x) const {
  double t = (x - o_.x_min) / (o_.x_max - o_.x_min);
  if (!std::isfinite(t)) t = 0;
  return left_ + std::clamp(t, 0.0, 1.0) * (right_ - left_);
}

double Chart::Y(double y) const {
  double t;
  if (o_.log_y) {
    t = (std::log10(std::max(y, o_.y_min)) - std::log10(o_.y_min)) /
        (std::log10(o_.y_max) - std::log10(o_.y_min));
  } else {
    t = (y - o_.y_min) / (o_.y_max - o_.y_min);
  }
  if (!std::isfinite(t)) t = 0;
  return bottom_ - std::clamp(t, 0.0, 1.0) * (bottom_ - top_);
}

void Chart::DrawFrame(const std::vector<FaultInterval>& bands) {
  double title_chars = (o_.width - 40) / (16 * 0.62);
  svg_.Text(o_.width / 2, 30, Ellipsize(o_.title, static_cast<size_t>(title_chars)),
            "class=\"title\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\"");
  // A band's left and right edge: at least 1.5 px wide, kept inside the plot.
  auto edges = [&](const FaultInterval& b) {
    double x0 = X(b.start), x1 = std::max(X(b.end), x0 + 1.5);
    if (x1 > right_) x0 = std::max(left_, right_ - (x1 - x0)), x1 = right_;
    return std::pair{x0, x1};
  };
  svg_.OpenGroup("class=\"nemesis-bands\"");
  for (const FaultInterval& b : bands) {
    auto [x0, x1] = edges(b);
    svg_.OpenGroup(fmt::format("class=\"nemesis-band\" data-fault=\"{}\"", XmlEscape(b.name)));
    svg_.Title(fmt::format("{}: {:.3f} s to {:.3f} s{}", b.name, b.start, b.end,
                           b.open_ended ? " (never healed)" : ""));
    svg_.Rect(x0, top_, x1 - x0, bottom_ - top_,
              fmt::format("fill=\"{}\" fill-opacity=\"0.35\"", XmlEscape(b.color)));
    svg_.CloseGroup();
  }
  svg_.CloseGroup();

  std::vector<double> xt = LinearTicks(o_.x_min, o_.x_max, 10);
  std::vector<double> yt = o_.log_y ? LogTicks(o_.y_min, o_.y_max) : LinearTicks(o_.y_min, o_.y_max, 6);
  svg_.OpenGroup("class=\"grid\" stroke=\"#e4e4e4\" stroke-width=\"1\"");
  for (double t : xt) svg_.Line(X(t), top_, X(t), bottom_, "");
  for (double t : yt) svg_.Line(left_, Y(t), right_, Y(t), "");
  svg_.CloseGroup();

  // The bands' names, over the grid lines (a thin halo keeps them legible), in bands
  // wide enough to hold them.
  svg_.OpenGroup(
      "class=\"band-labels\" font-size=\"10\" fill=\"#555\" stroke=\"#fff\" "
      "stroke-width=\"2.5\" stroke-opacity=\"0.8\" paint-order=\"stroke\"");
  for (const FaultInterval& b : bands) {
    auto [x0, x1] = edges(b);
    if (x1 - x0 > TextWidth(b.name, 10) + 6) {
      svg_.Text(x0 + 3, top_ + 12, b.name, "class=\"band-label\"");
    }
  }
  svg_.CloseGroup();

  svg_.OpenGroup(fmt::format("class=\"axis x-axis\" font-size=\"{}\"", kTickFont));
  svg_.Line(left_, bottom_, right_, bottom_, "stroke=\"#333\"");
  for (double t : xt) {
    svg_.Line(X(t), bottom_, X(t), bottom_ + 5, "stroke=\"#333\"");
    svg_.Text(X(t), bottom_ + 18, TickLabel(t), "class=\"tick-label\" text-anchor=\"middle\"");
  }
  svg_.Text((left_ + right_) / 2, bottom_ + 38, o_.x_label,
            "class=\"axis-label\" font-size=\"12\" text-anchor=\"middle\"");
  svg_.CloseGroup();

  svg_.OpenGroup(fmt::format("class=\"axis y-axis\" font-size=\"{}\"", kTickFont));
  svg_.Line(left_, top_, left_, bottom_, "stroke=\"#333\"");
  for (double t : yt) {
    svg_.Line(left_ - 5, Y(t), left_, Y(t), "stroke=\"#333\"");
    svg_.Text(left_ - 8, Y(t) + 4, TickLabel(t), "class=\"tick-label\" text-anchor=\"end\"");
  }
  double cy = (top_ + bottom_) / 2;
  svg_.Text(18, cy, o_.y_label,
            fmt::format("class=\"axis-label\" font-size=\"12\" text-anchor=\"middle\" "
                        "transform=\"rotate(-90 18 {})\"",
                        Num(cy)));
  svg_.CloseGroup();
  if (!o_.empty_note.empty()) {
    svg_.Text((left_ + right_) / 2, cy, o_.empty_note,
              "class=\"empty-note\" font-size=\"14\" fill=\"#888\" text-anchor=\"middle\"");
  }
}

void Chart::DrawMarker(SvgWriter& svg, const LegendItem& item, double x, double y) {
  std::string color = XmlEscape(item.color);
  switch (item.marker) {
    case Marker::kBand:
      svg.Rect(x, y - 6, 16, 12, fmt::format("fill=\"{}\" fill-opacity=\"0.6\"", color));
      break;
    case Marker::kLine:
      svg.Line(x, y, x + 16, y,
               fmt::format("stroke=\"{}\" stroke-width=\"2\"{}", color,
                           item.dash.empty() ? "" : " stroke-dasharray=\"" + item.dash + "\""));
      break;
    default: {
      bool stroke = item.marker == Marker::kCross || item.marker == Marker::kTriangle;
      svg.OpenGroup(stroke ? fmt::format("fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\"", color)
                           : fmt::format("fill=\"{}\"", color));
      DrawSeriesMarker(svg, item.marker, x + 8, y);
      svg.CloseGroup();
    }
  }
}

void Chart::DrawLegend() {
  svg_.OpenGroup(fmt::format("class=\"legend\" font-size=\"{}\"", kLegendFont));
  for (const Placed& p : legend_) {
    svg_.OpenGroup(fmt::format("class=\"legend-entry{}\" data-label=\"{}\"",
                               p.item.marker == Marker::kBand ? " legend-fault" : "",
                               XmlEscape(p.item.label)));
    DrawMarker(svg_, p.item, p.x, p.y);
    svg_.Text(p.x + 22, p.y + 4, p.item.label, "");
    svg_.CloseGroup();
  }
  svg_.CloseGroup();
}

std::string Chart::Finish() {
  DrawLegend();
  return svg_.Finish();
}

}  // namespace jepsen::report
