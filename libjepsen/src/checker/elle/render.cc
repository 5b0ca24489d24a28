#include "checker/elle/render.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

namespace jepsen::elle {
namespace {

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string DotEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string_view ColorOf(std::string_view rel) {
  if (rel == "ww") return "#1f77b4";
  if (rel == "wr") return "#2ca02c";
  if (rel == "rw") return "#d62728";
  if (rel == "process") return "#9467bd";
  return "#7f7f7f";  // realtime
}

}  // namespace

std::string RenderSvg(const CycleDrawing& d) {
  const size_t n = d.names.size();
  const double box_w = 150, box_h = 40;
  const double radius = std::max(110.0, 95.0 * static_cast<double>(n) / std::numbers::pi);
  const double cx = radius + box_w, cy = radius + box_h + 30;
  const double width = 2 * cx, height = 2 * (radius + box_h) + 60;
  std::vector<double> xs(n), ys(n);
  for (size_t i = 0; i < n; ++i) {
    double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(i) /
                                               static_cast<double>(n);
    xs[i] = cx + radius * std::cos(angle);
    ys[i] = cy + radius * std::sin(angle);
  }
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
  out += "<defs>";
  for (std::string_view rel : {"ww", "wr", "rw", "process", "realtime"}) {
    fmt::format_to(std::back_inserter(out),
                   "<marker id=\"arrow-{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                   "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">"
                   "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{}\"/></marker>",
                   rel, ColorOf(rel));
  }
  out += "</defs>\n";
  fmt::format_to(std::back_inserter(out),
                 "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>\n",
                 XmlEscape(d.title));
  for (size_t i = 0; i < n; ++i) {
    size_t j = (i + 1) % n;
    // Start and end on the boxes' borders (approximately), bending outward.
    double dx = xs[j] - xs[i], dy = ys[j] - ys[i];
    double len = std::max(1.0, std::hypot(dx, dy));
    double trim = std::min(len / 3, 34.0);
    double x1 = xs[i] + dx / len * trim, y1 = ys[i] + dy / len * trim;
    double x2 = xs[j] - dx / len * trim, y2 = ys[j] - dy / len * trim;
    double mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    double ox = mx - cx, oy = my - cy;
    double olen = std::max(1.0, std::hypot(ox, oy));
    double bend = n == 2 ? 60 : 25;
    // For two nodes the midpoints coincide with the center: bend sideways instead.
    double nx = n == 2 ? -dy / len : ox / olen, ny = n == 2 ? dx / len : oy / olen;
    double qx = mx + nx * bend, qy = my + ny * bend;
    std::string_view rel = i < d.edges.size() ? std::string_view(d.edges[i]) : "?";
    fmt::format_to(std::back_inserter(out),
                   "<path d=\"M {:.1f} {:.1f} Q {:.1f} {:.1f} {:.1f} {:.1f}\" fill=\"none\" "
                   "stroke=\"{}\" stroke-width=\"2\" marker-end=\"url(#arrow-{})\"/>\n",
                   x1, y1, qx, qy, x2, y2, ColorOf(rel), rel);
    fmt::format_to(std::back_inserter(out),
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"{}\">{}</text>\n",
                   (mx + qx) / 2, (my + qy) / 2 + 4, ColorOf(rel), XmlEscape(rel));
  }
  for (size_t i = 0; i < n; ++i) {
    std::string detail = i < d.details.size() ? d.details[i] : "";
    if (detail.size() > 24) detail = detail.substr(0, 21) + "...";
    fmt::format_to(std::back_inserter(out),
                   "<g><title>{}</title><rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.0f}\" "
                   "height=\"{:.0f}\" rx=\"6\" fill=\"#f7f7f7\" stroke=\"#333\"/>"
                   "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                   "font-weight=\"bold\">{}</text><text x=\"{:.1f}\" y=\"{:.1f}\" "
                   "text-anchor=\"middle\">{}</text></g>\n",
                   XmlEscape(i < d.details.size() ? d.details[i] : ""), xs[i] - box_w / 2,
                   ys[i] - box_h / 2, box_w, box_h, xs[i], ys[i] - 3, XmlEscape(d.names[i]),
                   xs[i], ys[i] + 13, XmlEscape(detail));
  }
  out += "</svg>\n";
  return out;
}

std::string RenderDot(const CycleDrawing& d) {
  std::string out = fmt::format("digraph \"{}\" {{\n  node [shape=box];\n", DotEscape(d.title));
  for (size_t i = 0; i < d.names.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "  \"{}\" [label=\"{}\\n{}\"];\n",
                   DotEscape(d.names[i]), DotEscape(d.names[i]),
                   DotEscape(i < d.details.size() ? d.details[i] : ""));
  }
  for (size_t i = 0; i < d.names.size(); ++i) {
    size_t j = (i + 1) % d.names.size();
    std::string rel = i < d.edges.size() ? d.edges[i] : "?";
    fmt::format_to(std::back_inserter(out), "  \"{}\" -> \"{}\" [label=\"{}\", color=\"{}\"];\n",
                   DotEscape(d.names[i]), DotEscape(d.names[j]), DotEscape(rel),
                   ColorOf(rel));
  }
  out += "}\n";
  return out;
}

}  // namespace jepsen::elle
