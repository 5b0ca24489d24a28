#include "checker/linear/counterexample.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "report/svg.h"

namespace jepsen::linear {
namespace {

constexpr size_t kMaxListed = 12;       // ops listed in the text and the Value
constexpr size_t kMaxDrawnPrefix = 12;  // linearized ops drawn before the offender

int64_t IndexAt(const Counterexample& c, int64_t pos) { return c.history[pos].index; }

std::string_view Outcome(const LinOp& op) {
  if (!op.crashed()) return "ok";
  return op.info >= 0 ? "info" : "pending";
}

Value OpMap(const Counterexample& c, uint32_t i) {
  const LinOp& op = c.ops[i];
  std::vector<MapEntry> e = {
      {Value::Keyword("process"), op.process},
      {Value::Keyword("type"), Value::Keyword(op.crashed() ? "info" : "ok")},
      {Value::Keyword("f"), op.f},
      {Value::Keyword("value"), op.value},
      {Value::Keyword("index"), IndexAt(c, op.invoke)}};
  if (!op.crashed()) e.push_back({Value::Keyword("completion-index"), IndexAt(c, op.complete)});
  if (op.crashed() && op.info < 0) e.push_back({Value::Keyword("pending"), Value::Bool(true)});
  return Value::Map(std::move(e));
}

std::string Describe(const Counterexample& c, uint32_t i) {
  const LinOp& op = c.ops[i];
  std::string what = fmt::format("process {} {} {}", op.process, op.f, op.value);
  if (!op.crashed()) {
    return fmt::format("{} (ok, index {} to {})", what, IndexAt(c, op.invoke),
                       IndexAt(c, op.complete));
  }
  return fmt::format("{} ({}, invoked at index {})", what, Outcome(op), IndexAt(c, op.invoke));
}

// Ops whose intervals overlap the offender's (crashed ops extend forever).
std::vector<uint32_t> Concurrent(const Counterexample& c) {
  const LinOp& off = c.ops[c.outcome.offender];
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < c.ops.size(); ++i) {
    if (static_cast<int64_t>(i) == c.outcome.offender) continue;
    const LinOp& op = c.ops[i];
    if (op.invoke < off.complete && (op.crashed() || op.complete > off.invoke)) out.push_back(i);
  }
  return out;
}

std::vector<uint32_t> LastLinearized(const Counterexample& c, size_t n) {
  const std::vector<uint32_t>& lin = c.outcome.linearized;
  return {lin.end() - static_cast<ptrdiff_t>(std::min(n, lin.size())), lin.end()};
}

}  // namespace

Value CounterexampleValue(const Counterexample& c) {
  auto ops_value = [&](const std::vector<uint32_t>& ids) {
    std::vector<Value> v;
    for (size_t i = 0; i < ids.size() && i < kMaxListed; ++i) v.push_back(OpMap(c, ids[i]));
    return Value::Vector(std::move(v));
  };
  std::vector<uint32_t> concurrent = Concurrent(c);
  return Value::Map({
      {Value::Keyword("op"), OpMap(c, static_cast<uint32_t>(c.outcome.offender))},
      {Value::Keyword("states-before"), Value::Vector(c.outcome.states_before)},
      {Value::Keyword("linearized-count"), static_cast<int64_t>(c.outcome.linearized.size())},
      {Value::Keyword("last-linearized"), ops_value(LastLinearized(c, kMaxListed))},
      {Value::Keyword("concurrent-count"), static_cast<int64_t>(concurrent.size())},
      {Value::Keyword("concurrent"), ops_value(concurrent)},
  });
}

std::string CounterexampleText(const Counterexample& c) {
  uint32_t off = static_cast<uint32_t>(c.outcome.offender);
  std::vector<std::string> states;
  for (const Value& s : c.outcome.states_before) states.push_back(s.ToEdn());
  std::string text = fmt::format(
      "Not linearizable: no order of the operations lets {} take effect. The longest "
      "linearizable prefix found places {} operation(s) before it",
      Describe(c, off), c.outcome.linearized.size());
  std::vector<uint32_t> last = LastLinearized(c, 3);
  if (!last.empty()) {
    std::vector<std::string> d;
    for (uint32_t i : last) d.push_back(Describe(c, i));
    text += fmt::format(" (ending with {})", fmt::join(d, "; "));
  }
  text += fmt::format(", after which the model can be in state {}.",
                      fmt::join(states, " or "));
  std::vector<uint32_t> concurrent = Concurrent(c);
  if (!concurrent.empty()) {
    std::vector<std::string> d;
    for (size_t i = 0; i < concurrent.size() && i < 5; ++i) d.push_back(Describe(c, concurrent[i]));
    text += fmt::format(" Concurrent with it: {}{}.", fmt::join(d, "; "),
                        concurrent.size() > 5 ? fmt::format(" and {} more", concurrent.size() - 5)
                                              : std::string());
  }
  return text;
}

Status WriteCounterexampleSvg(const std::string& path, const Counterexample& c) {
  using report::Ellipsize;
  using report::TextWidth;
  uint32_t off = static_cast<uint32_t>(c.outcome.offender);
  std::set<uint32_t> shown = {off};
  for (uint32_t i : Concurrent(c)) shown.insert(i);
  std::vector<uint32_t> prefix = LastLinearized(c, kMaxDrawnPrefix);
  for (uint32_t i : prefix) shown.insert(i);
  std::set<uint32_t> linearized(c.outcome.linearized.begin(), c.outcome.linearized.end());

  // An ordinal time axis: each distinct event position gets a column.
  std::set<uint32_t> positions;
  std::map<int64_t, int> lanes;
  for (uint32_t i : shown) {
    positions.insert(c.ops[i].invoke);
    if (!c.ops[i].crashed()) positions.insert(c.ops[i].complete);
    lanes.emplace(c.ops[i].process, 0);
  }
  int lane = 0;
  double left = 0;
  for (auto& [process, l] : lanes) {
    l = lane++;
    left = std::max(left, TextWidth(fmt::format("process {}", process), 11));
  }
  left += 16;
  std::map<uint32_t, int> column;
  for (uint32_t p : positions) column.emplace(p, static_cast<int>(column.size()));
  const double kCol = 40, kLane = 30, kFont = 11;
  double width = std::max(720.0, left + (static_cast<double>(column.size()) + 3) * kCol);
  // The headline wraps to the width instead of running off the canvas.
  std::vector<std::string> headline;
  std::string text = "Not linearizable: " + Describe(c, off);
  size_t per_line = static_cast<size_t>((width - 20) / (13 * 0.62));
  while (!text.empty()) {
    size_t cut = text.size() <= per_line ? text.size() : text.rfind(' ', per_line);
    if (cut == std::string::npos || cut == 0) cut = std::min(text.size(), per_line);
    headline.push_back(text.substr(0, cut));
    text = text.substr(std::min(text.size(), cut + 1));
    if (headline.size() == 3 && !text.empty()) {
      headline.back() = Ellipsize(headline.back() + " " + text, per_line);
      break;
    }
  }
  double top = 16 + 18.0 * static_cast<double>(headline.size()) + 30;
  double height = top + lane * kLane + 16;

  report::SvgWriter svg(width, height, "Not linearizable: " + Describe(c, off));
  for (size_t i = 0; i < headline.size(); ++i) {
    svg.Text(10, 22 + 18.0 * static_cast<double>(i), headline[i],
             i == 0 ? "class=\"title\" font-size=\"13\" font-weight=\"bold\""
                    : "class=\"title\" font-size=\"13\"");
  }
  // Legend of the colours, on its own row under the headline.
  double lx = 10, ly = top - 20;
  svg.OpenGroup("class=\"legend\" font-size=\"11\"");
  for (auto [color, label] : {std::pair{"#f66", "the offender"}, {"#8c8", "linearized before it"},
                              {"#ccc", "not linearized yet"}, {"#fc8", "crashed (info)"}}) {
    svg.Rect(lx, ly - 9, 14, 11, fmt::format("fill=\"{}\" stroke=\"#333\"", color));
    svg.Text(lx + 18, ly, label, "");
    lx += 18 + TextWidth(label, 11) + 16;
  }
  svg.CloseGroup();
  for (auto& [process, l] : lanes) {
    svg.Text(8, top + l * kLane + 16, fmt::format("process {}", process),
             "class=\"lane-label\" font-size=\"11\"");
  }
  for (uint32_t i : shown) {
    const LinOp& op = c.ops[i];
    double x0 = left + column[op.invoke] * kCol;
    double x1 = op.crashed() ? width - 8 : left + column[op.complete] * kCol + kCol / 2;
    double w = std::max(x1 - x0, 8.0);
    double y = top + lanes[op.process] * kLane;
    std::string_view fill = i == off              ? "#f66"
                            : op.crashed()        ? "#fc8"
                            : linearized.count(i) ? "#8c8"
                                                  : "#ccc";
    svg.OpenGroup("class=\"op\"");
    svg.Title(Describe(c, i));
    svg.Rect(x0, y, w, 22,
             fmt::format("rx=\"3\" fill=\"{}\" stroke=\"#333\"{}", fill,
                         op.crashed() ? " stroke-dasharray=\"4 2\"" : ""));
    // The label is cut to the bar; the full op is in the hover title.
    size_t fits = static_cast<size_t>((w - 6) / (kFont * 0.62));
    if (fits >= 3) {
      svg.Text(x0 + 3, y + 15, Ellipsize(fmt::format("{} {}", op.f, op.value), fits),
               "font-size=\"11\" font-family=\"DejaVu Sans Mono, monospace\"");
    }
    svg.CloseGroup();
  }
  std::string out = svg.Finish();
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return IoError(fmt::format("cannot write {}", path));
  bool ok = std::fwrite(out.data(), 1, out.size(), f) == out.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return IoError(fmt::format("cannot write {}", path));
  return OkStatus();
}

}  // namespace jepsen::linear
