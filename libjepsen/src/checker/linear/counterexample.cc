#include "checker/linear/counterexample.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

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

std::string Escape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
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
  for (auto& [process, l] : lanes) l = lane++;
  std::map<uint32_t, int> column;
  for (uint32_t p : positions) column.emplace(p, static_cast<int>(column.size()));
  const int kLeft = 90, kCol = 36, kLane = 34, kTop = 40;
  int width = kLeft + (static_cast<int>(column.size()) + 3) * kCol;
  int height = kTop + lane * kLane + 30;

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"monospace\" font-size=\"11\">\n"
      "<text x=\"8\" y=\"18\" font-size=\"13\">Not linearizable: {} (red). Green: linearized "
      "before it; grey: not yet; orange: crashed.</text>\n",
      width, height, Escape(Describe(c, off)));
  for (auto& [process, l] : lanes) {
    svg += fmt::format("<text x=\"8\" y=\"{}\">process {}</text>\n", kTop + l * kLane + 18,
                       process);
  }
  for (uint32_t i : shown) {
    const LinOp& op = c.ops[i];
    int x0 = kLeft + column[op.invoke] * kCol;
    int x1 = op.crashed() ? width - 8 : kLeft + column[op.complete] * kCol + kCol / 2;
    int y = kTop + lanes[op.process] * kLane;
    std::string_view fill = i == off              ? "#f66"
                            : op.crashed()        ? "#fc8"
                            : linearized.count(i) ? "#8c8"
                                                  : "#ccc";
    std::string label = fmt::format("{} {}", op.f, op.value);
    svg += fmt::format(
        "<g><title>{}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" rx=\"3\" "
        "fill=\"{}\" stroke=\"#333\"{}/><text x=\"{}\" y=\"{}\">{}</text></g>\n",
        Escape(Describe(c, i)), x0, y, std::max(x1 - x0, 8), fill,
        op.crashed() ? " stroke-dasharray=\"4 2\"" : "", x0 + 3, y + 16, Escape(label));
  }
  svg += "</svg>\n";
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return IoError(fmt::format("cannot write {}", path));
  bool ok = std::fwrite(svg.data(), 1, svg.size(), f) == svg.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return IoError(fmt::format("cannot write {}", path));
  return OkStatus();
}

}  // namespace jepsen::linear
