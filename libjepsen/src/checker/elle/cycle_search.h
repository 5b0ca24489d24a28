// Cycle search: the dependency cycles that make up G0 ... G2-item and their variants.
//
// First the strongly connected components of the whole graph (over every relation the
// wanted anomalies use); a valid history has none, so that pass is all it costs. Inside
// each component, for each wanted anomaly kind, a breadth-first search finds a shortest
// cycle of that kind through one of its characteristic edges (a wr edge for G1c, an rw
// edge for G-single ...), so explanations stay small. Each cycle is then classified by
// the relations it actually needs, preferring ww, wr, process and real time over rw.
//
// Thread safety: reads the graph only.
#ifndef JEPSEN_SRC_CHECKER_ELLE_CYCLE_SEARCH_H_
#define JEPSEN_SRC_CHECKER_ELLE_CYCLE_SEARCH_H_

#include <cstdint>
#include <vector>

#include "checker/elle/deadline.h"
#include "checker/elle/dep_graph.h"
#include "jepsen/checker/elle_consistency.h"

namespace jepsen::elle {

struct Cycle {
  Anomaly type;
  // Transactions around the cycle: txns[i] -> txns[i + 1], and the last -> txns[0].
  std::vector<uint32_t> txns;
  // The one relation shown for each step (a single Rel bit).
  std::vector<uint8_t> rels;
};

struct CycleSearchResult {
  // At most one cycle per anomaly type per component.
  std::vector<Cycle> cycles;
  // The deadline passed, or a component was too large to search exhaustively.
  bool incomplete = false;
  bool timed_out = false;
};

// Finds cycles of the kinds in `wanted` (other anomalies in the set are ignored).
CycleSearchResult FindCycles(const DepGraph& graph, const AnomalySet& wanted,
                             const Deadline& deadline);

// The type of a cycle whose steps have the relations `rels` (one bit each).
Anomaly ClassifyCycle(const std::vector<uint8_t>& rels);

// The relation to show for an edge with relations `rels`, among those in `mask`:
// ww, then wr, process, realtime and rw last.
uint8_t ShownRel(uint8_t rels, uint8_t mask);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_CYCLE_SEARCH_H_
