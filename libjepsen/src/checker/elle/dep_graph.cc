#include "checker/elle/dep_graph.h"

#include <algorithm>
#include <unordered_map>

#include "checker/elle/txn_history.h"

namespace jepsen::elle {

std::string_view RelName(uint8_t rel) {
  switch (rel) {
    case kWw: return "ww";
    case kWr: return "wr";
    case kRw: return "rw";
    case kProcess: return "process";
    case kRealtime: return "realtime";
    default: return "?";
  }
}

void DepGraph::Finish() {
  // Counting sort by source, then merge duplicate targets within each row.
  absorbed_.push_back(std::move(pending_));
  pending_ = {};
  BigVector<uint32_t> counts(size_t{nodes_} + 1, 0);
  size_t total = 0;
  for (const BigVector<Pending>& list : absorbed_) {
    total += list.size();
    for (const Pending& e : list) ++counts[e.from + 1];
  }
  for (uint32_t v = 0; v < nodes_; ++v) counts[v + 1] += counts[v];
  BigVector<Adj> sorted(total);
  {
    BigVector<uint32_t> next(counts.begin(), counts.end() - 1);
    for (BigVector<Pending>& list : absorbed_) {
      for (const Pending& e : list) sorted[next[e.from]++] = {e.to, e.rels};
      list = {};
    }
  }
  absorbed_.clear();
  offsets_.assign(size_t{nodes_} + 1, 0);
  adj_.clear();
  adj_.reserve(sorted.size());
  for (uint32_t v = 0; v < nodes_; ++v) {
    auto begin = sorted.begin() + counts[v], end = sorted.begin() + counts[v + 1];
    std::sort(begin, end, [](const Adj& a, const Adj& b) { return a.to < b.to; });
    for (auto it = begin; it != end; ++it) {
      if (adj_.size() > offsets_[v] && adj_.back().to == it->to) {
        adj_.back().rels |= it->rels;
      } else {
        adj_.push_back(*it);
      }
    }
    offsets_[v + 1] = static_cast<uint32_t>(adj_.size());
  }
  adj_.shrink_to_fit();
}

void DepGraph::Absorb(DepGraph&& other) {
  absorbed_.push_back(std::move(other.pending_));
  for (BigVector<Pending>& p : other.absorbed_) absorbed_.push_back(std::move(p));
  other.pending_ = {};
  other.absorbed_.clear();
}

uint8_t DepGraph::Rels(uint32_t from, uint32_t to) const {
  for (const Adj& a : Out(from)) {
    if (a.to == to) return a.rels;
  }
  return 0;
}

size_t DepGraph::MemoryBytes() const {
  size_t absorbed = 0;
  for (const BigVector<Pending>& list : absorbed_) absorbed += list.capacity();
  return (pending_.capacity() + absorbed) * sizeof(Pending) + offsets_.capacity() * sizeof(uint32_t) +
         adj_.capacity() * sizeof(Adj);
}

void AddSessionEdges(const TxnHistory& th, bool process, bool realtime, DepGraph* graph) {
  if (!process && !realtime) return;
  const History& h = th.history();
  // Positions of completions, so one sweep sees invocations and completions in order.
  BigVector<uint32_t> completing(h.size(), kNone);
  for (uint32_t t = 0; t < th.size(); ++t) {
    if (th[t].committed()) completing[th[t].complete_pos] = t;
  }
  std::unordered_map<int64_t, uint32_t> last_of_process;
  // The frontier: completed txns not known to precede another completed one. A txn
  // invoked now follows each of them in real time (and, transitively, everything they
  // follow). When txn t completes, every frontier member that completed before t was
  // invoked precedes t, so t dominates it and it leaves the frontier.
  std::vector<uint32_t> frontier;
  uint32_t t_next = 0;
  for (uint32_t pos = 0; pos < h.size(); ++pos) {
    if (t_next < th.size() && th[t_next].invoke_pos == pos) {
      uint32_t t = t_next++;
      if (!th[t].maybe_committed()) continue;
      if (process) {
        auto [it, fresh] = last_of_process.try_emplace(th[t].process, t);
        if (!fresh) {
          graph->Add(it->second, t, kProcess);
          it->second = t;
        }
      }
      if (realtime) {
        for (uint32_t f : frontier) graph->Add(f, t, kRealtime);
      }
    } else if (realtime && completing[pos] != kNone) {
      uint32_t t = completing[pos];
      uint32_t invoked = th[t].invoke_pos;
      std::erase_if(frontier, [&](uint32_t f) { return th[f].complete_pos < invoked; });
      frontier.push_back(t);
    }
  }
}

void AddKeyCrossEdges(const std::vector<std::pair<uint32_t, uint32_t>>& from,
                      const std::vector<std::pair<uint32_t, uint32_t>>& to, uint8_t rels,
                      size_t max_edges, DepGraph* graph) {
  size_t t = 0;
  for (size_t f = 0; f < from.size();) {
    uint32_t key = from[f].first;
    size_t f_end = f;
    while (f_end < from.size() && from[f_end].first == key) ++f_end;
    while (t < to.size() && to[t].first < key) ++t;
    size_t t_end = t;
    while (t_end < to.size() && to[t_end].first == key) ++t_end;
    if ((f_end - f) * (t_end - t) <= max_edges) {
      for (size_t i = f; i < f_end; ++i) {
        for (size_t j = t; j < t_end; ++j) graph->Add(from[i].second, to[j].second, rels);
      }
    }
    f = f_end;
  }
}

}  // namespace jepsen::elle
