// HistoryStats: a summary of a history (what `jepsen history stats` prints).
//
//   HistoryStats s = ComputeHistoryStats(history);
//   fmt::print("{}", FormatHistoryStats(s));
//
// Thread safety: plain values and pure functions.
#ifndef JEPSEN_HISTORY_STATS_H_
#define JEPSEN_HISTORY_STATS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/value.h"

namespace jepsen {

struct HistoryStats {
  struct Row {
    Value f;
    // Counts indexed by OpType: invoke, ok, fail, info.
    std::array<uint64_t, 4> by_type{};
  };

  uint64_t ops = 0;
  std::array<uint64_t, 4> by_type{};  // indexed by OpType
  // Client ops per f, in order of first appearance; nemesis ops in nemesis_by_f.
  std::vector<Row> client_by_f;
  std::vector<Row> nemesis_by_f;
  uint64_t client_processes = 0;  // distinct client process numbers
  int64_t max_process = -1;
  uint64_t nemesis_ops = 0;
  uint64_t pending = 0;  // invocations that never completed
  int64_t duration_ns = 0;
};

HistoryStats ComputeHistoryStats(const History& history);

// A readable multi-line table.
std::string FormatHistoryStats(const HistoryStats& stats);
// The stats as a map, for --json and EDN output.
Value HistoryStatsToValue(const HistoryStats& stats);

}  // namespace jepsen

#endif  // JEPSEN_HISTORY_STATS_H_
