#include "jepsen/history_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace jepsen {
namespace {

void Count(std::vector<HistoryStats::Row>& rows,
           std::unordered_map<Value, size_t, ValueHash>& where, const Op& op) {
  auto [it, inserted] = where.emplace(op.f, rows.size());
  if (inserted) rows.push_back({.f = op.f});
  ++rows[it->second].by_type[static_cast<size_t>(op.type)];
}

Value TypeCounts(const std::array<uint64_t, 4>& c) {
  return Value::Map({{Value::Keyword("invoke"), c[0]},
                     {Value::Keyword("ok"), c[1]},
                     {Value::Keyword("fail"), c[2]},
                     {Value::Keyword("info"), c[3]}});
}

Value Rows(const std::vector<HistoryStats::Row>& rows) {
  std::vector<Value> out;
  for (const auto& r : rows) {
    out.push_back(Value::Map(
        {{Value::Keyword("f"), r.f}, {Value::Keyword("counts"), TypeCounts(r.by_type)}}));
  }
  return Value::Vector(std::move(out));
}

void AppendTable(std::string& out, std::string_view title,
                 const std::vector<HistoryStats::Row>& rows) {
  if (rows.empty()) return;
  size_t width = 1;
  std::vector<std::string> names;
  for (const auto& r : rows) {
    names.push_back(r.f.ToEdn());
    width = std::max(width, names.back().size());
  }
  fmt::format_to(std::back_inserter(out), "{}:\n  {:<{}}  {:>9} {:>9} {:>9} {:>9}\n",
                 title, "f", width, "invoke", "ok", "fail", "info");
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& c = rows[i].by_type;
    fmt::format_to(std::back_inserter(out), "  {:<{}}  {:>9} {:>9} {:>9} {:>9}\n",
                   names[i], width, c[0], c[1], c[2], c[3]);
  }
}

}  // namespace

HistoryStats ComputeHistoryStats(const History& history) {
  HistoryStats s;
  std::unordered_map<Value, size_t, ValueHash> client_rows, nemesis_rows;
  std::unordered_set<int64_t> processes;
  for (const Op& op : history) {
    ++s.ops;
    ++s.by_type[static_cast<size_t>(op.type)];
    if (op.is_nemesis()) {
      ++s.nemesis_ops;
      Count(s.nemesis_by_f, nemesis_rows, op);
    } else {
      processes.insert(op.process);
      s.max_process = std::max(s.max_process, op.process);
      Count(s.client_by_f, client_rows, op);
    }
  }
  s.client_processes = processes.size();
  s.pending = history.PendingInvocations().size();
  s.duration_ns = history.Duration();
  return s;
}

std::string FormatHistoryStats(const HistoryStats& s) {
  std::string out;
  auto& c = s.by_type;
  fmt::format_to(std::back_inserter(out),
                 "ops:       {} ({} invoke, {} ok, {} fail, {} info)\n"
                 "pending:   {} invocations never completed\n"
                 "processes: {} client (highest {}), {} nemesis ops\n"
                 "duration:  {:.3f} s\n",
                 s.ops, c[0], c[1], c[2], c[3], s.pending, s.client_processes,
                 s.max_process, s.nemesis_ops, static_cast<double>(s.duration_ns) / 1e9);
  AppendTable(out, "client ops by f", s.client_by_f);
  AppendTable(out, "nemesis ops by f", s.nemesis_by_f);
  return out;
}

Value HistoryStatsToValue(const HistoryStats& s) {
  return Value::Map({
      {Value::Keyword("ops"), static_cast<int64_t>(s.ops)},
      {Value::Keyword("counts"), TypeCounts(s.by_type)},
      {Value::Keyword("pending"), static_cast<int64_t>(s.pending)},
      {Value::Keyword("client-processes"), static_cast<int64_t>(s.client_processes)},
      {Value::Keyword("max-process"), s.max_process},
      {Value::Keyword("nemesis-ops"), static_cast<int64_t>(s.nemesis_ops)},
      {Value::Keyword("duration-ns"), s.duration_ns},
      {Value::Keyword("client-by-f"), Rows(s.client_by_f)},
      {Value::Keyword("nemesis-by-f"), Rows(s.nemesis_by_f)},
  });
}

}  // namespace jepsen
