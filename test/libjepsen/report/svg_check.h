// ParseSvg: parses a plot with the strict XML reader and checks what every plot must
// satisfy: a root <svg> with width, height and a matching viewBox; a <title>; every
// coordinate finite and inside the viewBox.
#ifndef JEPSEN_TEST_LIBJEPSEN_REPORT_SVG_CHECK_H_
#define JEPSEN_TEST_LIBJEPSEN_REPORT_SVG_CHECK_H_

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>

#include "libjepsen/report/xml.h"

namespace jepsen::testing {

inline double ParseNumber(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  INFO("number '" << s << "'");
  REQUIRE(end != s.c_str());
  REQUIRE(*end == '\0');
  REQUIRE(std::isfinite(v));
  return v;
}

inline std::unique_ptr<XmlNode> ParseSvg(const std::string& svg) {
  std::string error;
  std::unique_ptr<XmlNode> root = XmlReader::Parse(svg, &error);
  INFO(error);
  REQUIRE(root != nullptr);
  REQUIRE(root->name == "svg");
  double w = ParseNumber(root->Attr("width")), h = ParseNumber(root->Attr("height"));
  CHECK(root->Attr("viewBox") == "0 0 " + root->Attr("width") + " " + root->Attr("height"));
  bool titled = false;
  for (const auto& c : root->children) titled |= c->name == "title" && !c->text.empty();
  CHECK(titled);
  const double eps = 0.05;
  root->Walk([&](const XmlNode& n) {
    INFO("<" << n.name << "> class=" << n.Attr("class"));
    for (const char* k : {"x", "x1", "x2", "cx"}) {
      if (n.attrs.count(k) == 0) continue;
      double v = ParseNumber(n.Attr(k));
      CHECK(v >= -eps);
      CHECK(v <= w + eps);
    }
    for (const char* k : {"y", "y1", "y2", "cy"}) {
      if (n.attrs.count(k) == 0) continue;
      double v = ParseNumber(n.Attr(k));
      CHECK(v >= -eps);
      CHECK(v <= h + eps);
    }
    if (n.name == "rect") {
      CHECK(ParseNumber(n.Attr("x")) + ParseNumber(n.Attr("width")) <= w + eps);
      CHECK(ParseNumber(n.Attr("y")) + ParseNumber(n.Attr("height")) <= h + eps);
    }
    if (n.name == "polyline") {
      std::istringstream in(n.Attr("points"));
      std::string pt;
      while (in >> pt) {
        size_t comma = pt.find(',');
        REQUIRE(comma != std::string::npos);
        double x = ParseNumber(pt.substr(0, comma)), y = ParseNumber(pt.substr(comma + 1));
        CHECK(x >= -eps);
        CHECK(x <= w + eps);
        CHECK(y >= -eps);
        CHECK(y <= h + eps);
      }
    }
    if (n.name == "path") {
      // Absolute moves and lines stay inside; every number is finite.
      std::string d = n.Attr("d");
      for (size_t i = 0; i < d.size(); ++i) {
        if (d[i] != 'M' && d[i] != 'L') continue;
        size_t j = i + 1;
        while (j < d.size() && (std::isdigit(static_cast<unsigned char>(d[j])) || d[j] == '.' || d[j] == '-')) ++j;
        double x = ParseNumber(d.substr(i + 1, j - i - 1));
        size_t k = j + 1;
        while (k < d.size() && (std::isdigit(static_cast<unsigned char>(d[k])) || d[k] == '.' || d[k] == '-')) ++k;
        double y = ParseNumber(d.substr(j + 1, k - j - 1));
        CHECK(x >= -eps);
        CHECK(x <= w + eps);
        CHECK(y >= -eps);
        CHECK(y <= h + eps);
      }
      CHECK(d.find("nan") == std::string::npos);
      CHECK(d.find("inf") == std::string::npos);
    }
  });
  return root;
}

// Elements with class `cls`.
inline std::vector<const XmlNode*> WithClass(const XmlNode& root, std::string_view cls) {
  return root.FindAll([&](const XmlNode& n) { return n.HasClass(cls); });
}

// The data-label of every legend entry, in order.
inline std::vector<std::string> LegendLabels(const XmlNode& root) {
  std::vector<std::string> out;
  for (const XmlNode* n : WithClass(root, "legend-entry")) out.push_back(n->Attr("data-label"));
  return out;
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_LIBJEPSEN_REPORT_SVG_CHECK_H_
