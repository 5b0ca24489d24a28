#include "checker/elle/explain.h"

#include <fmt/format.h>

#include "checker/elle/dep_graph.h"

namespace jepsen::elle {

std::string Abbreviate(const Value& v, size_t limit) {
  std::string s = v.ToEdn();
  if (s.size() <= limit) return s;
  if (v.is_sequential() && v.size() > 4) {
    // Keep the tail: for list reads the last elements are what matter.
    std::string tail;
    for (size_t i = v.size() - 3; i < v.size(); ++i) tail += " " + v[i].ToEdn();
    return fmt::format("[... {} more{}]", v.size() - 3, tail);
  }
  return s.substr(0, limit) + "...";
}

std::string DescribeTxn(const TxnHistory& th, uint32_t t) {
  return Abbreviate(th.op(t).ToValue(), 400);
}

std::string ExplainEdge(const TxnHistory& th, const EdgeExplainer& data, uint32_t from,
                        uint32_t to, uint8_t rel, std::string_view a, std::string_view b) {
  const History& h = th.history();
  switch (rel) {
    case kProcess:
      return fmt::format("{} and {} ran on process {}, {} first", a, b, th[from].process, a);
    case kRealtime:
      return fmt::format("{} completed (index {}) before {} was invoked (index {})", a,
                         h[th[from].complete_pos].index, b, h[th[to].invoke_pos].index);
    default: return data.ExplainData(from, to, rel, a, b);
  }
}

std::string ExplainCycle(const TxnHistory& th, const EdgeExplainer& data,
                         const Finding& cycle) {
  std::string out = fmt::format("{}: {}.\nLet:\n", AnomalyName(cycle.type),
                                AnomalyDescription(cycle.type));
  const size_t n = cycle.txns.size();
  auto name = [](size_t i) { return fmt::format("T{}", i + 1); };
  for (size_t i = 0; i < n; ++i) {
    fmt::format_to(std::back_inserter(out), "  {} = {}\n", name(i),
                   DescribeTxn(th, cycle.txns[i]));
  }
  out += "Then:\n";
  for (size_t i = 0; i < n; ++i) {
    size_t j = (i + 1) % n;
    std::string why = ExplainEdge(th, data, cycle.txns[i], cycle.txns[j], cycle.rels[i],
                                  name(i), name(j));
    if (i + 1 < n) {
      fmt::format_to(std::back_inserter(out), "  - {} < {} ({}), because {}.\n", name(i),
                     name(j), RelName(cycle.rels[i]), why);
    } else {
      fmt::format_to(std::back_inserter(out),
                     "  - However, {} < {} ({}), because {}: a contradiction!\n", name(i),
                     name(j), RelName(cycle.rels[i]), why);
    }
  }
  return out;
}

}  // namespace jepsen::elle
