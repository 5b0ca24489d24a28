// DepGraph: the dependency graph between transactions, in compressed sparse rows.
//
// Nodes are transaction ids of a TxnHistory. Each edge carries a bit set of the
// relations that order its ends: ww, wr, rw (Adya's dependencies), process (same
// process, one after the other) and realtime (one completed before the other began).
// Edges are collected with Add, then Finish sorts them into rows and merges parallel
// edges by or-ing their relations.
//
// Thread safety: none while building; immutable (and freely shared) after Finish.
#ifndef JEPSEN_SRC_CHECKER_ELLE_DEP_GRAPH_H_
#define JEPSEN_SRC_CHECKER_ELLE_DEP_GRAPH_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "checker/elle/big_vector.h"

namespace jepsen::elle {

class TxnHistory;

enum Rel : uint8_t {
  kWw = 1,
  kWr = 2,
  kRw = 4,
  kProcess = 8,
  kRealtime = 16,
};
inline constexpr uint8_t kDataRels = kWw | kWr | kRw;

// "ww", "wr", "rw", "process", "realtime" for a single relation bit.
std::string_view RelName(uint8_t rel);

struct Adj {
  uint32_t to;
  uint8_t rels;
};

class DepGraph {
 public:
  explicit DepGraph(uint32_t nodes) : nodes_(nodes) {}

  // Records from -> to; self edges are dropped. Only before Finish.
  void Add(uint32_t from, uint32_t to, uint8_t rels) {
    if (from != to) pending_.push_back({from, to, rels});
  }
  void Finish();
  // Room for `edges` more Adds without reallocating.
  void Reserve(size_t edges) { pending_.reserve(pending_.size() + edges); }
  // Moves every edge added to `other` (not yet finished, same nodes) into this one.
  void Absorb(DepGraph&& other);

  uint32_t size() const { return nodes_; }
  std::span<const Adj> Out(uint32_t v) const {
    return {adj_.data() + offsets_[v], offsets_[v + 1] - offsets_[v]};
  }
  // The relations on from -> to (0 if none).
  uint8_t Rels(uint32_t from, uint32_t to) const;
  size_t edge_count() const { return adj_.size(); }
  size_t MemoryBytes() const;
  size_t PendingBytes() const {
    size_t n = pending_.size();
    for (const BigVector<Pending>& list : absorbed_) n += list.size();
    return n * sizeof(Pending);
  }

 private:
  struct Pending {
    uint32_t from;
    uint32_t to;
    uint8_t rels;
  };
  uint32_t nodes_;
  BigVector<Pending> pending_;
  // Lists moved in by Absorb, merged by Finish.
  std::vector<BigVector<Pending>> absorbed_;
  BigVector<uint32_t> offsets_;
  BigVector<Adj> adj_;
};

// Adds process-order edges (each process's consecutive committed-or-info txns) and/or
// real-time edges (a transitive reduction of "completed before invoked") between the
// txns that may have committed.
void AddSessionEdges(const TxnHistory& th, bool process, bool realtime, DepGraph* graph);

// For every key in both lists of (key, txn) pairs (each sorted), adds an edge with
// `rels` from each txn of `from` to each txn of `to` for that key; keys where that
// would take more than `max_edges` edges are skipped (the edges are then implied by
// others, or too costly to matter).
void AddKeyCrossEdges(const std::vector<std::pair<uint32_t, uint32_t>>& from,
                      const std::vector<std::pair<uint32_t, uint32_t>>& to, uint8_t rels,
                      size_t max_edges, DepGraph* graph);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_DEP_GRAPH_H_
