// Private: a small SVG writer shared by every plot (perf plots, clock, the
// linearizability counterexample). It escapes all text, formats coordinates compactly
// and never prints NaN or infinity (they become 0), so the output is always valid XML.
//
//   SvgWriter svg(900, 500, "Latency");
//   svg.Rect(10, 10, 50, 20, "fill=\"#ccc\"");
//   svg.Text(12, 24, "a < b", "font-size=\"11\"");
//   std::string text = svg.Finish();
//
// Thread safety: none; one writer per document.
#ifndef JEPSEN_SRC_REPORT_SVG_H_
#define JEPSEN_SRC_REPORT_SVG_H_

#include <string>
#include <string_view>

namespace jepsen::report {

// Text safe inside XML elements and double-quoted attributes: & < > " ' escaped,
// control characters other than tab and newline dropped, invalid UTF-8 bytes replaced
// by U+FFFD.
std::string XmlEscape(std::string_view text);
void AppendXmlEscaped(std::string& out, std::string_view text);

// A coordinate with at most one decimal ("12", "12.5"); non-finite values print as 0.
void AppendNum(std::string& out, double v);
std::string Num(double v);

// Approximate width in pixels of `text` at `font_size` in the plots' sans-serif font
// (generous, so that layouts computed from it do not overlap).
double TextWidth(std::string_view text, double font_size);
// `text` cut to at most `max_chars` characters (UTF-8 aware), with "…" when cut.
std::string Ellipsize(std::string_view text, size_t max_chars);

class SvgWriter {
 public:
  // Opens <svg> (no XML declaration: the file starts with "<svg") with width, height
  // and viewBox "0 0 width height", a white background and a <title> (escaped).
  SvgWriter(double width, double height, std::string_view title);

  double width() const { return width_; }
  double height() const { return height_; }

  // <g attrs>: `attrs` is raw attribute text (callers escape values with XmlEscape).
  void OpenGroup(std::string_view attrs);
  void CloseGroup();
  void Rect(double x, double y, double w, double h, std::string_view attrs);
  void Line(double x1, double y1, double x2, double y2, std::string_view attrs);
  void Circle(double cx, double cy, double r, std::string_view attrs);
  // A polyline through "x,y" points already formatted with AppendNum.
  void Polyline(std::string_view points, std::string_view attrs);
  void Path(std::string_view d, std::string_view attrs);
  // <text x y attrs>escaped text</text>.
  void Text(double x, double y, std::string_view text, std::string_view attrs);
  // <title>escaped</title>, for hover text inside a group.
  void Title(std::string_view text);
  // Appends raw markup (must be well-formed).
  void Raw(std::string_view markup) { out_ += markup; }
  std::string& buffer() { return out_; }

  // Closes the document and returns it; the writer is then empty.
  std::string Finish();

 private:
  double width_, height_;
  std::string out_;
};

}  // namespace jepsen::report

#endif  // JEPSEN_SRC_REPORT_SVG_H_
