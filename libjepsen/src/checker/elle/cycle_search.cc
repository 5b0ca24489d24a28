#include "checker/elle/cycle_search.h"

#include <algorithm>
#include <array>

#include "checker/elle/scc.h"

namespace jepsen::elle {
namespace {

constexpr uint32_t kUnseen = UINT32_MAX;
// Breadth-first work allowed per (component, anomaly kind) before we stop trying
// further start edges; keeps pathological components from stalling the check.
constexpr size_t kSearchWork = size_t{1} << 23;

// The base kinds, each followed in the enum by its -process and -realtime variants.
constexpr Anomaly kKinds[] = {Anomaly::kG0, Anomaly::kG1c, Anomaly::kGSingle,
                              Anomaly::kGNonadjacent, Anomaly::kG2Item};

Anomaly Variant(Anomaly base, int level) {
  return static_cast<Anomaly>(static_cast<int>(base) + level);
}

// Searches one component (as its own small graph, node i = nodes[i]).
class ComponentSearch {
 public:
  ComponentSearch(const DepGraph& g, const std::vector<uint32_t>& nodes,
                  const AnomalySet& wanted, const Deadline& deadline,
                  CycleSearchResult* result)
      : g_(g), nodes_(nodes), wanted_(wanted), deadline_(deadline), result_(result) {}

  void Run(const std::vector<uint8_t>& levels) {
    for (size_t level = 0; level < levels.size(); ++level) {
      const uint8_t extra = levels[level];
      for (Anomaly kind : kKinds) {
        if (!wanted_[Index(Variant(kind, static_cast<int>(level)))]) continue;
        if (found_[Index(kind)]) continue;  // the weaker variant already shows it
        if (deadline_.Expired()) {
          result_->timed_out = result_->incomplete = true;
          return;
        }
        SearchKind(kind, extra);
      }
    }
  }

 private:
  void SearchKind(Anomaly kind, uint8_t extra) {
    switch (kind) {
      case Anomaly::kG0: ThroughSccEdge(kWw | extra, kWw, kWw | extra); break;
      case Anomaly::kG1c: ThroughSccEdge(kWw | kWr | extra, kWr, kWw | kWr | extra); break;
      case Anomaly::kGSingle: SingleRw(kWw | kWr | extra); break;
      case Anomaly::kGNonadjacent: Nonadjacent(kDataRels | extra); break;
      default: ThroughSccEdge(kDataRels | extra, kRw, kDataRels | extra); break;
    }
  }

  // In each sub-component over `mask`, a shortest cycle through an edge with `start`.
  void ThroughSccEdge(uint8_t mask, uint8_t start, uint8_t path_mask) {
    Sccs subs = NontrivialSccs(g_, mask);
    for (const std::vector<uint32_t>& sub : subs.components) {
      bool done = false;
      for (uint32_t u : sub) {
        for (const Adj& a : g_.Out(u)) {
          if ((a.rels & start) == 0 || subs.component_of[a.to] != subs.component_of[u]) continue;
          std::vector<uint32_t> path = Bfs(a.to, u, path_mask);
          if (path.empty()) continue;
          Record(u, path, path_mask);
          done = true;
          break;
        }
        if (done) break;
      }
    }
  }

  // A cycle with exactly one rw edge: rw u -> v, then v back to u without rw.
  void SingleRw(uint8_t path_mask) {
    size_t work = 0;
    for (uint32_t u = 0; u < g_.size() && work < kSearchWork; ++u) {
      for (const Adj& a : g_.Out(u)) {
        if ((a.rels & kRw) == 0) continue;
        std::vector<uint32_t> path = Bfs(a.to, u, path_mask, &work);
        if (!path.empty()) {
          Record(u, path, path_mask | kRw);
          return;
        }
        if (work >= kSearchWork) {
          result_->incomplete = true;
          return;
        }
      }
    }
  }

  // Breadth-first from `from` to `to` over edges meeting `mask`; the path from..to, or
  // empty when `to` is unreachable.
  std::vector<uint32_t> Bfs(uint32_t from, uint32_t to, uint8_t mask, size_t* work = nullptr) {
    parent_.assign(g_.size(), kUnseen);
    queue_.clear();
    queue_.push_back(from);
    parent_[from] = from;
    for (size_t head = 0; head < queue_.size(); ++head) {
      uint32_t x = queue_[head];
      if (x == to) break;
      for (const Adj& a : g_.Out(x)) {
        if ((a.rels & mask) == 0 || parent_[a.to] != kUnseen) continue;
        parent_[a.to] = x;
        queue_.push_back(a.to);
      }
    }
    if (work) *work += queue_.size() + g_.size() / 8;
    if (parent_[to] == kUnseen) return {};
    std::vector<uint32_t> path;
    for (uint32_t x = to; x != from; x = parent_[x]) path.push_back(x);
    path.push_back(from);
    std::reverse(path.begin(), path.end());
    return path;
  }

  // Several rw edges, none adjacent: breadth-first over (node, last step was rw,
  // seen two rw) from the head of a first rw edge u -> v, back to u by a non-rw step.
  void Nonadjacent(uint8_t mask) {
    const uint8_t plain = mask & ~kRw;
    const uint32_t n = g_.size();
    size_t work = 0;
    std::vector<uint32_t> parent(size_t{n} * 4);
    std::vector<uint32_t> queue;
    auto state = [](uint32_t node, uint32_t last_rw, uint32_t two) {
      return node * 4 + last_rw * 2 + two;
    };
    for (uint32_t u = 0; u < n && work < kSearchWork; ++u) {
      for (const Adj& first : g_.Out(u)) {
        if ((first.rels & kRw) == 0) continue;
        std::fill(parent.begin(), parent.end(), kUnseen);
        queue.assign(1, state(first.to, 1, 0));
        parent[queue[0]] = queue[0];
        const uint32_t goal = state(u, 0, 1);
        for (size_t head = 0; head < queue.size() && parent[goal] == kUnseen; ++head) {
          uint32_t s = queue[head];
          uint32_t x = s / 4, last_rw = (s / 2) % 2, two = s % 2;
          for (const Adj& a : g_.Out(x)) {
            auto visit = [&](uint32_t next) {
              if (parent[next] == kUnseen) {
                parent[next] = s;
                queue.push_back(next);
              }
            };
            if (a.rels & plain) visit(state(a.to, 0, two));
            if ((a.rels & kRw) && !last_rw) visit(state(a.to, 1, 1));
          }
        }
        work += queue.size() + n / 2;
        if (parent[goal] != kUnseen) {
          std::vector<uint32_t> path;
          std::vector<uint8_t> rels;
          for (uint32_t s = goal; s != parent[s]; s = parent[s]) {
            path.push_back(s / 4);
            uint32_t p = parent[s];
            rels.push_back(((s / 2) % 2) ? uint8_t{kRw} : ShownRel(g_.Rels(p / 4, s / 4), plain));
          }
          path.push_back(first.to);
          std::reverse(path.begin(), path.end());
          std::reverse(rels.begin(), rels.end());
          // The state space allows passing a node twice; only simple cycles count.
          std::vector<uint32_t> distinct(path);
          std::sort(distinct.begin(), distinct.end());
          if (std::adjacent_find(distinct.begin(), distinct.end()) != distinct.end()) continue;
          // path: v .. u; steps: u -> v (rw), then rels along the path.
          Cycle c;
          c.txns.push_back(nodes_[u]);
          c.rels.push_back(kRw);
          for (size_t i = 0; i + 1 < path.size(); ++i) {
            c.txns.push_back(nodes_[path[i]]);
            c.rels.push_back(rels[i]);
          }
          c.type = ClassifyCycle(c.rels);
          Keep(std::move(c));
          return;
        }
        if (work >= kSearchWork) {
          result_->incomplete = true;
          return;
        }
      }
    }
  }

  // Records the cycle u -> path[0] -> ... -> path.back() == u.
  void Record(uint32_t u, const std::vector<uint32_t>& path, uint8_t mask) {
    Cycle c;
    std::vector<uint32_t> ring;
    ring.push_back(u);
    ring.insert(ring.end(), path.begin(), path.end() - 1);
    for (size_t i = 0; i < ring.size(); ++i) {
      uint32_t a = ring[i], b = ring[(i + 1) % ring.size()];
      c.txns.push_back(nodes_[a]);
      c.rels.push_back(ShownRel(g_.Rels(a, b), mask));
    }
    c.type = ClassifyCycle(c.rels);
    Keep(std::move(c));
  }

  void Keep(Cycle c) {
    Anomaly base = static_cast<Anomaly>((Index(c.type) / 3) * 3);
    if (!wanted_[Index(c.type)] || found_[Index(c.type)]) return;
    found_.set(Index(c.type));
    found_.set(Index(base));
    result_->cycles.push_back(std::move(c));
  }

  const DepGraph& g_;
  const std::vector<uint32_t>& nodes_;
  const AnomalySet& wanted_;
  const Deadline& deadline_;
  CycleSearchResult* result_;
  AnomalySet found_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> queue_;
};

}  // namespace

uint8_t ShownRel(uint8_t rels, uint8_t mask) {
  rels &= mask;
  for (uint8_t r : {kWw, kWr, kProcess, kRealtime, kRw}) {
    if (rels & r) return r;
  }
  return 0;
}

Anomaly ClassifyCycle(const std::vector<uint8_t>& rels) {
  size_t rw = 0, wr = 0;
  bool adjacent = false, process = false, realtime = false;
  for (size_t i = 0; i < rels.size(); ++i) {
    rw += rels[i] == kRw;
    wr += rels[i] == kWr;
    process |= rels[i] == kProcess;
    realtime |= rels[i] == kRealtime;
    adjacent |= rels[i] == kRw && rels[(i + 1) % rels.size()] == kRw;
  }
  Anomaly base = rw == 0   ? (wr == 0 ? Anomaly::kG0 : Anomaly::kG1c)
                 : rw == 1 ? Anomaly::kGSingle
                 : adjacent ? Anomaly::kG2Item
                            : Anomaly::kGNonadjacent;
  return Variant(base, realtime ? 2 : process ? 1 : 0);
}

CycleSearchResult FindCycles(const DepGraph& graph, const AnomalySet& wanted,
                             const Deadline& deadline) {
  CycleSearchResult result;
  // Levels: 0 data dependencies only, 1 plus process order, 2 plus real time.
  std::vector<uint8_t> levels = {0};
  bool process = false, realtime = false;
  for (Anomaly kind : kKinds) {
    process |= wanted[Index(Variant(kind, 1))];
    realtime |= wanted[Index(Variant(kind, 2))];
  }
  if (process || realtime) levels.push_back(kProcess);
  if (realtime) levels.push_back(kProcess | kRealtime);
  uint8_t mask = kDataRels | levels.back();
  Sccs sccs = NontrivialSccs(graph, mask);
  for (const std::vector<uint32_t>& nodes : sccs.components) {
    if (deadline.Expired()) {
      result.timed_out = result.incomplete = true;
      break;
    }
    DepGraph sub = InducedSubgraph(graph, nodes);
    ComponentSearch(sub, nodes, wanted, deadline, &result).Run(levels);
  }
  return result;
}

}  // namespace jepsen::elle
