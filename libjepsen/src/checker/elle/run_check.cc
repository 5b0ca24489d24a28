#include "checker/elle/run_check.h"

#include <thread>

#include <fmt/format.h>

#include "checker/elle/cycle_search.h"
#include "checker/elle/deadline.h"
#include "checker/elle/internal_check.h"
#include "checker/elle/report.h"

namespace jepsen::elle {

CheckResult RunElleCheck(const CheckContext& context, const History& history,
                         const ElleOptions& options, WorkloadFactory make_workload) {
  Deadline deadline(context);
  Result<TxnHistory> th = TxnHistory::Build(history);
  if (!th.ok()) {
    return {Validity::kUnknown,
            Value::Map({{Value::Keyword("error"), Value::String(th.status().message())},
                        {Value::Keyword("explanation"),
                         Value::String("The history is not a transactional history: " +
                                       th.status().message())}})};
  }
  const AnomalySet wanted = AnomaliesToFind(options);
  Findings findings(options.max_examples);
  std::unique_ptr<Workload> workload = make_workload(*th, options);
  bool process = false, realtime = false;
  for (Anomaly base : {Anomaly::kG0, Anomaly::kG1c, Anomaly::kGSingle, Anomaly::kGNonadjacent,
                       Anomaly::kG2Item}) {
    process |= wanted[Index(base) + 1];
    realtime |= wanted[Index(base) + 2];
  }
  // Internal consistency and session edges read only the TxnHistory, so they run
  // beside the workload's analysis, into their own findings and edge list.
  Findings internal(options.max_examples);
  DepGraph session(static_cast<uint32_t>(th->size()));
  auto side_work = [&] {
    CheckInternal(*th, wanted, &internal);
    if (realtime) session.Reserve(th->size() * 6);
    AddSessionEdges(*th, process, realtime, &session);
  };
  std::thread side;
  if (context.threads >= 2) side = std::thread(side_work);
  DepGraph graph(static_cast<uint32_t>(th->size()));
  graph.Reserve(th->mop_count() * 3 / 2);
  workload->Analyze(wanted, &findings, &graph);
  if (side.joinable()) {
    side.join();
  } else {
    side_work();
  }
  findings.Merge(std::move(internal));
  graph.Absorb(std::move(session));
  ReportInput in{.th = &*th, .findings = &findings, .wanted = wanted};
  size_t bytes = th->MemoryBytes() + workload->MemoryBytes() + graph.PendingBytes() * 2;
  if (context.memory_limit_bytes != 0 && bytes > context.memory_limit_bytes) {
    in.incomplete = true;
    in.incomplete_reason = fmt::format("the dependency graph needs about {} MB, over the "
                                       "memory limit", bytes >> 20);
    return BuildResult(in);
  }
  graph.Finish();
  CycleSearchResult cycles = FindCycles(graph, wanted, deadline);
  for (Cycle& c : cycles.cycles) {
    if (!findings.Count(c.type)) continue;
    Finding f{.type = c.type, .txns = std::move(c.txns), .rels = std::move(c.rels)};
    f.explanation = ExplainCycle(*th, *workload, f);
    findings.Add(std::move(f));
  }
  if (cycles.incomplete) {
    in.incomplete = true;
    in.incomplete_reason = cycles.timed_out
                               ? "the time limit passed during the cycle search"
                               : "a strongly connected component was too large to search "
                                 "exhaustively";
  }
  CheckResult result = BuildResult(in);
  if (!context.out_dir.empty()) {
    if (Status s = WriteReports(context.out_dir, in); !s.ok()) {
      std::vector<MapEntry> entries(result.details.entries().begin(),
                                    result.details.entries().end());
      entries.push_back({Value::Keyword("report-error"), Value::String(s.message())});
      result.details = Value::Map(std::move(entries));
    }
  }
  return result;
}

}  // namespace jepsen::elle
