#include "checker/elle/big_vector.h"
#include "checker/elle/scc.h"

#include <algorithm>

namespace jepsen::elle {
namespace {
constexpr uint32_t kUnvisited = UINT32_MAX;
}  // namespace

Sccs NontrivialSccs(const DepGraph& graph, uint8_t mask) {
  const uint32_t n = graph.size();
  Sccs out;
  out.component_of.assign(n, Sccs::kNoComponent);
  BigVector<uint32_t> index(n, kUnvisited), low(n, 0);
  BigVector<uint8_t> on_stack(n, 0);
  std::vector<uint32_t> stack;
  struct Frame {
    uint32_t v;
    uint32_t edge;
  };
  std::vector<Frame> calls;
  uint32_t counter = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = 1;
    calls.push_back({root, 0});
    while (!calls.empty()) {
      Frame& f = calls.back();
      const uint32_t v = f.v;
      std::span<const Adj> out_edges = graph.Out(v);
      while (f.edge < out_edges.size() && (out_edges[f.edge].rels & mask) == 0) ++f.edge;
      if (f.edge < out_edges.size()) {
        uint32_t w = out_edges[f.edge++].to;
        if (index[w] == kUnvisited) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          calls.push_back({w, 0});  // invalidates f
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      calls.pop_back();
      if (!calls.empty()) {
        uint32_t u = calls.back().v;
        low[u] = std::min(low[u], low[v]);
      }
      if (low[v] != index[v]) continue;
      if (stack.back() == v) {  // a lone node: the common case, no allocation
        stack.pop_back();
        on_stack[v] = 0;
        continue;
      }
      std::vector<uint32_t> component;
      uint32_t w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack[w] = 0;
        out.component_of[w] = static_cast<uint32_t>(out.components.size());
        component.push_back(w);
      } while (w != v);
      out.components.push_back(std::move(component));
    }
  }
  return out;
}

DepGraph InducedSubgraph(const DepGraph& graph, const std::vector<uint32_t>& nodes) {
  std::vector<uint32_t> sorted(nodes);
  std::sort(sorted.begin(), sorted.end());
  auto local = [&](uint32_t global) -> uint32_t {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), global);
    if (it == sorted.end() || *it != global) return kUnvisited;
    return static_cast<uint32_t>(it - sorted.begin());
  };
  // Node i is nodes[i]: map sorted positions back to the caller's order.
  std::vector<uint32_t> order(nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) order[local(nodes[i])] = i;
  DepGraph sub(static_cast<uint32_t>(nodes.size()));
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    for (const Adj& a : graph.Out(nodes[i])) {
      uint32_t j = local(a.to);
      if (j != kUnvisited) sub.Add(i, order[j], a.rels);
    }
  }
  sub.Finish();
  return sub;
}

}  // namespace jepsen::elle
