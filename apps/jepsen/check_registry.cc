#include "check_registry.h"

#include <fmt/format.h>

#include "jepsen/checker/elle_list_append.h"
#include "jepsen/checker/elle_options.h"
#include "jepsen/checker/elle_rw_register.h"
#include "jepsen/checker/counter.h"
#include "jepsen/checker/linearizable.h"
#include "jepsen/checker/log_file_pattern.h"
#include "jepsen/checker/perf.h"
#include "jepsen/checker/queue.h"
#include "jepsen/checker/set.h"
#include "jepsen/checker/set_full.h"
#include "jepsen/checker/stats.h"
#include "jepsen/checker/timeline.h"
#include "jepsen/checker/total_queue.h"
#include "jepsen/checker/unhandled_exceptions.h"
#include "jepsen/checker/unique_ids.h"

namespace jepsen::app {
namespace {

// Checks that a checker which takes no options was given none.
Status NoOptions(std::string_view name, const CheckerFlags& flags) {
  if (!flags.model.empty() || flags.independent || !flags.consistency_models.empty() ||
      !flags.anomalies.empty()) {
    return InvalidArgumentError(fmt::format("--checker {} takes no model or anomaly options", name));
  }
  return OkStatus();
}

Result<std::unique_ptr<Checker>> MakeNoop(const CheckerFlags& flags) {
  if (Status s = NoOptions("noop", flags); !s.ok()) return s;
  return MakeNoopChecker();
}

Result<std::unique_ptr<Checker>> MakeLinearizable(const CheckerFlags& flags) {
  if (!flags.consistency_models.empty() || !flags.anomalies.empty()) {
    return InvalidArgumentError("--checker linearizable takes --model and --independent only");
  }
  if (flags.model.empty()) {
    return InvalidArgumentError(fmt::format("--checker linearizable needs --model ({})",
                                            fmt::join(ModelNames(), ", ")));
  }
  Result<std::unique_ptr<Model>> model = MakeModel(flags.model);
  if (!model.ok()) return model.status();
  return MakeLinearizableChecker(
      {.model = std::move(*model), .independent = flags.independent});
}

// Elle's transactional checkers take --consistency-models and --anomalies.
Result<elle::ElleOptions> ElleOptionsFrom(std::string_view name, const CheckerFlags& flags) {
  if (!flags.model.empty() || flags.independent) {
    return InvalidArgumentError(
        fmt::format("--checker {} takes --consistency-models and --anomalies, not --model or "
                    "--independent",
                    name));
  }
  return elle::ParseElleOptions(flags.consistency_models, flags.anomalies);
}

Result<std::unique_ptr<Checker>> MakeListAppend(const CheckerFlags& flags) {
  Result<elle::ElleOptions> o = ElleOptionsFrom("list-append", flags);
  if (!o.ok()) return o.status();
  return elle::MakeListAppendChecker(*std::move(o));
}

Result<std::unique_ptr<Checker>> MakeRwRegister(const CheckerFlags& flags) {
  Result<elle::ElleOptions> o = ElleOptionsFrom("rw-register", flags);
  if (!o.ok()) return o.status();
  return elle::MakeRwRegisterChecker(*std::move(o));
}

// The basic checkers take none of the model or Elle options, and only their own.
Status BasicOptions(std::string_view name, const CheckerFlags& flags, bool linearizable_ok,
                    bool logs_ok) {
  if (Status s = NoOptions(name, flags); !s.ok()) return s;
  if (flags.linearizable && !linearizable_ok) {
    return InvalidArgumentError(fmt::format("--checker {} takes no --linearizable", name));
  }
  if (!logs_ok && (!flags.pattern.empty() || !flags.log_file.empty() ||
                   !flags.logs_dir.empty())) {
    return InvalidArgumentError(
        fmt::format("--checker {} takes no --pattern, --log-file or --logs", name));
  }
  return OkStatus();
}

// A factory for a basic checker without options.
template <std::unique_ptr<Checker> (*kMake)(), const char* kName>
Result<std::unique_ptr<Checker>> MakeBasic(const CheckerFlags& flags) {
  if (Status s = BasicOptions(kName, flags, false, false); !s.ok()) return s;
  return kMake();
}

constexpr char kSet[] = "set";
constexpr char kCounter[] = "counter";
constexpr char kUniqueIds[] = "unique-ids";
constexpr char kTotalQueue[] = "total-queue";
constexpr char kQueue[] = "queue";
constexpr char kStats[] = "stats";
constexpr char kUnhandled[] = "unhandled-exceptions";
constexpr char kPerf[] = "perf";

// Perf plots titled by nothing in particular, fault bands by convention.
std::unique_ptr<Checker> MakeDefaultPerfChecker() { return MakePerfChecker(); }

Result<std::unique_ptr<Checker>> MakeSetFull(const CheckerFlags& flags) {
  if (Status s = BasicOptions("set-full", flags, true, false); !s.ok()) return s;
  return MakeSetFullChecker({.linearizable = flags.linearizable});
}

Result<std::unique_ptr<Checker>> MakeLogFilePattern(const CheckerFlags& flags) {
  if (Status s = BasicOptions("log-file-pattern", flags, false, true); !s.ok()) return s;
  if (flags.pattern.empty()) {
    return InvalidArgumentError("--checker log-file-pattern needs --pattern REGEX");
  }
  if (flags.logs_dir.empty()) {
    return InvalidArgumentError(
        "--checker log-file-pattern needs --logs DIR (a run directory holding <node>/...)");
  }
  return MakeLogFilePatternChecker(
      {.pattern = flags.pattern, .file = flags.log_file, .dir = flags.logs_dir});
}

// timeline.html into --out DIR; with --independent, one per key.
Result<std::unique_ptr<Checker>> MakeTimeline(const CheckerFlags& flags) {
  CheckerFlags rest = flags;
  rest.independent = false;
  if (Status s = BasicOptions("timeline", rest, false, false); !s.ok()) return s;
  return MakeTimelineChecker({.independent = flags.independent});
}

const CheckerEntry kCheckers[] = {
    {"noop", "reads the history and declares it valid (tests the plumbing)", MakeNoop},
    {"linearizable", "linearizability against --model (register, cas-register, ...)",
     MakeLinearizable, kTakesModel | kTakesIndependent},
    {"list-append", "Elle list-append transactions ([:append k v] [:r k [v ...]])",
     MakeListAppend, kTakesElle},
    {"rw-register", "Elle read-write register transactions ([:w k v] [:r k v])",
     MakeRwRegister, kTakesElle},
    {"set", "adds then a final read: lost, unexpected and recovered elements",
     MakeBasic<MakeSetChecker, kSet>},
    {"set-full", "adds and many reads: lost, stale, never-read elements (--linearizable)",
     MakeSetFull, kTakesLinearizable},
    {"counter", "adds and reads of a counter: every read within its bounds",
     MakeBasic<MakeCounterChecker, kCounter>},
    {"unique-ids", ":generate ops must return distinct ids",
     MakeBasic<MakeUniqueIdsChecker, kUniqueIds>},
    {"total-queue", "every acknowledged enqueue dequeued, nothing from nowhere",
     MakeBasic<MakeTotalQueueChecker, kTotalQueue>},
    {"queue", "every dequeue matches an earlier enqueue (unordered queue)",
     MakeBasic<MakeQueueChecker, kQueue>},
    {"stats", "ok/fail/info counts per :f; invalid if an :f never succeeded",
     MakeBasic<MakeStatsChecker, kStats>},
    {"unhandled-exceptions", "groups :info errors by type (always valid)",
     MakeBasic<MakeUnhandledExceptionsChecker, kUnhandled>},
    {"perf", "latency and rate plots into --out DIR (always valid)",
     MakeBasic<MakeDefaultPerfChecker, kPerf>},
    {"timeline", "timeline.html into --out DIR; --independent: one per key (always valid)",
     MakeTimeline, kTakesIndependent},
    {"log-file-pattern", "--pattern REGEX over node logs under --logs DIR [--log-file PATH]",
     MakeLogFilePattern, kTakesLogs},
};

}  // namespace

std::span<const CheckerEntry> Checkers() { return kCheckers; }

CheckerFlags OnlyWhatItTakes(const CheckerFlags& flags, unsigned takes) {
  CheckerFlags out;
  if (takes & kTakesModel) out.model = flags.model;
  if (takes & kTakesIndependent) out.independent = flags.independent;
  if (takes & kTakesElle) {
    out.consistency_models = flags.consistency_models;
    out.anomalies = flags.anomalies;
  }
  if (takes & kTakesLinearizable) out.linearizable = flags.linearizable;
  if (takes & kTakesLogs) {
    out.pattern = flags.pattern;
    out.log_file = flags.log_file;
    out.logs_dir = flags.logs_dir;
  }
  return out;
}

std::string UnusedFlag(const CheckerFlags& flags, unsigned takes) {
  const std::pair<bool, const char*> used[] = {
      {!flags.model.empty() && !(takes & kTakesModel), "--model"},
      {flags.independent && !(takes & kTakesIndependent), "--independent"},
      {!flags.consistency_models.empty() && !(takes & kTakesElle), "--consistency-models"},
      {!flags.anomalies.empty() && !(takes & kTakesElle), "--anomalies"},
      {flags.linearizable && !(takes & kTakesLinearizable), "--linearizable"},
      {!flags.pattern.empty() && !(takes & kTakesLogs), "--pattern"},
      {!flags.log_file.empty() && !(takes & kTakesLogs), "--log-file"},
      {!flags.logs_dir.empty() && !(takes & kTakesLogs), "--logs"},
  };
  for (const auto& [set, name] : used) {
    if (set) return name;
  }
  return "";
}

}  // namespace jepsen::app
