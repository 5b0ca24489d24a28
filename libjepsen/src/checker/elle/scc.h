// Strongly connected components of a DepGraph, over a subset of its relations.
//
// Only components of two or more transactions are returned: the graph has no self
// edges, so those are exactly the components that hold cycles.
//
// Thread safety: reads the graph only.
#ifndef JEPSEN_SRC_CHECKER_ELLE_SCC_H_
#define JEPSEN_SRC_CHECKER_ELLE_SCC_H_

#include <cstdint>
#include <vector>

#include "checker/elle/big_vector.h"
#include "checker/elle/dep_graph.h"

namespace jepsen::elle {

struct Sccs {
  // Each component's nodes.
  std::vector<std::vector<uint32_t>> components;
  // The component index of every node, or kNoComponent if it is in none of them.
  BigVector<uint32_t> component_of;
  static constexpr uint32_t kNoComponent = UINT32_MAX;
};

// Tarjan's algorithm, iterative, following only edges whose relations meet `mask`.
Sccs NontrivialSccs(const DepGraph& graph, uint8_t mask);

// The subgraph induced by `nodes`: node i of the result is nodes[i].
DepGraph InducedSubgraph(const DepGraph& graph, const std::vector<uint32_t>& nodes);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_SCC_H_
