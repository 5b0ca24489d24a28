#include "report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "text_util.h"

namespace jepsen::report {

void AppendXmlEscaped(std::string& out, std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x80) {
      int n = internal::Utf8SequenceLength(p, end);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++p;
      } else {
        out.append(p, static_cast<size_t>(n));
        p += n;
      }
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\t':
      case '\n': out += static_cast<char>(c); break;
      default:
        if (c >= 0x20 && c != 0x7F) out += static_cast<char>(c);
    }
    ++p;
  }
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendXmlEscaped(out, text);
  return out;
}

void AppendNum(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0;
  double r = std::round(v * 10) / 10;
  if (r == 0) r = 0;  // no "-0"
  char buf[32];
  int n = std::abs(r - std::round(r)) < 1e-9
              ? std::snprintf(buf, sizeof buf, "%.0f", r)
              : std::snprintf(buf, sizeof buf, "%.1f", r);
  out.append(buf, static_cast<size_t>(n));
}

std::string Num(double v) {
  std::string s;
  AppendNum(s, v);
  return s;
}

double TextWidth(std::string_view text, double font_size) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return static_cast<double>(chars) * font_size * 0.62;
}

std::string Ellipsize(std::string_view text, size_t max_chars) {
  size_t chars = 0, i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) break;
    ++chars;
  }
  if (i >= text.size()) return std::string(text);
  // Back up one character to make room for the ellipsis.
  size_t cut = i;
  do {
    --cut;
  } while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80);
  return std::string(text.substr(0, cut)) + "\xE2\x80\xA6";
}

SvgWriter::SvgWriter(double width, double height, std::string_view title)
    : width_(width), height_(height) {
  out_ = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<title>{2}</title>\n"
      "<rect class=\"background\" x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n",
      Num(width), Num(height), XmlEscape(title));
}

void SvgWriter::OpenGroup(std::string_view attrs) {
  out_ += "<g";
  if (!attrs.empty()) (out_ += ' ') += attrs;
  out_ += ">\n";
}

void SvgWriter::CloseGroup() { out_ += "</g>\n"; }

void SvgWriter::Rect(double x, double y, double w, double h, std::string_view attrs) {
  out_ += "<rect x=\"";
  AppendNum(out_, x);
  out_ += "\" y=\"";
  AppendNum(out_, y);
  out_ += "\" width=\"";
  AppendNum(out_, std::max(w, 0.0));
  out_ += "\" height=\"";
  AppendNum(out_, std::max(h, 0.0));
  out_ += "\" ";
  out_ += attrs;
  out_ += "/>\n";
}

void SvgWriter::Line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  out_ += "<line x1=\"";
  AppendNum(out_, x1);
  out_ += "\" y1=\"";
  AppendNum(out_, y1);
  out_ += "\" x2=\"";
  AppendNum(out_, x2);
  out_ += "\" y2=\"";
  AppendNum(out_, y2);
  out_ += "\" ";
  out_ += attrs;
  out_ += "/>\n";
}

void SvgWriter::Circle(double cx, double cy, double r, std::string_view attrs) {
  out_ += "<circle cx=\"";
  AppendNum(out_, cx);
  out_ += "\" cy=\"";
  AppendNum(out_, cy);
  out_ += "\" r=\"";
  AppendNum(out_, r);
  out_ += '"';
  if (!attrs.empty()) (out_ += ' ') += attrs;
  out_ += "/>\n";
}

void SvgWriter::Polyline(std::string_view points, std::string_view attrs) {
  out_ += "<polyline points=\"";
  out_ += points;
  out_ += "\" ";
  out_ += attrs;
  out_ += "/>\n";
}

void SvgWriter::Path(std::string_view d, std::string_view attrs) {
  out_ += "<path d=\"";
  out_ += d;
  out_ += "\" ";
  out_ += attrs;
  out_ += "/>\n";
}

void SvgWriter::Text(double x, double y, std::string_view text, std::string_view attrs) {
  out_ += "<text x=\"";
  AppendNum(out_, x);
  out_ += "\" y=\"";
  AppendNum(out_, y);
  out_ += '"';
  if (!attrs.empty()) (out_ += ' ') += attrs;
  out_ += '>';
  AppendXmlEscaped(out_, text);
  out_ += "</text>\n";
}

void SvgWriter::Title(std::string_view text) {
  out_ += "<title>";
  AppendXmlEscaped(out_, text);
  out_ += "</title>";
}

std::string SvgWriter::Finish() {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace jepsen::report
