// The Checker: partitions the history (by key when independent), runs one search per
// partition on a small pool of threads, and turns the outcomes into details.
#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "checker/linear/counterexample.h"
#include "checker/linear/lin_op.h"
#include "checker/linear/search.h"
#include "jepsen/checker/linearizable.h"

namespace jepsen {
namespace {

using linear::Counterexample;
using linear::Partition;
using linear::SearchOutcome;

Value Kw(std::string_view name) { return Value::Keyword(name); }

// Runs the search of every partition, largest first, on up to `threads` threads.
std::vector<SearchOutcome> SearchAll(const Model& model, const Partition& p,
                                     const CheckContext& context) {
  linear::MemoryBudget budget(context.memory_limit_bytes);
  linear::SearchLimits limits{.cancel = context.cancel, .memory = &budget};
  if (context.time_limit.count() > 0) {
    limits.deadline = std::chrono::steady_clock::now() + context.time_limit;
  }
  std::vector<size_t> order(p.ops.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return p.ops[a].size() > p.ops[b].size(); });
  std::vector<SearchOutcome> outcomes(p.ops.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < order.size();) {
      outcomes[order[i]] = linear::SearchLinearization(model, p.ops[order[i]], limits);
    }
  };
  size_t threads = std::min<size_t>(std::max(context.threads, 1), order.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return outcomes;
}

class LinearizableChecker : public Checker {
 public:
  explicit LinearizableChecker(LinearizableOptions o) : options_(std::move(o)) {
    JEPSEN_CHECK(options_.model != nullptr, "a linearizable checker needs a model");
  }

  CheckResult Check(const CheckContext& context, const History& history) override;

 private:
  // Details of one failing partition; writes its SVG when there is an out_dir.
  Value Failure(const CheckContext& context, const History& history, const Partition& p,
                size_t i, const SearchOutcome& o, std::string* text);

  LinearizableOptions options_;
};

Value LinearizableChecker::Failure(const CheckContext& context, const History& history,
                                   const Partition& p, size_t i, const SearchOutcome& o,
                                   std::string* text) {
  Counterexample c{history, p.ops[i], o};
  *text = linear::CounterexampleText(c);
  Value ce = linear::CounterexampleValue(c);
  std::vector<MapEntry> e(ce.entries().begin(), ce.entries().end());
  if (options_.independent) e.insert(e.begin(), {Kw("key"), p.keys[i]});
  if (!context.out_dir.empty()) {
    std::string name = options_.independent ? fmt::format("linearizable-{}.svg", i)
                                            : std::string("linearizable.svg");
    Status s = linear::WriteCounterexampleSvg(context.out_dir + "/" + name, c);
    e.push_back({Kw("svg"), s.ok() ? Value::String(name) : Value::String(s.message())});
  }
  return Value::Map(std::move(e));
}

CheckResult LinearizableChecker::Check(const CheckContext& context, const History& history) {
  const Model& model = *options_.model;
  std::vector<MapEntry> d = {{Kw("model"), Value::String(model.name())}};
  Result<Partition> part = linear::PartitionHistory(history, model, options_.independent);
  if (!part.ok()) {
    d.push_back({Kw("error"), Value::String(part.status().message())});
    d.push_back({Kw("explanation"),
                 Value::String("Cannot check this history: " + part.status().message())});
    return {Validity::kUnknown, Value::Map(std::move(d))};
  }
  const Partition& p = *part;
  std::vector<SearchOutcome> outcomes = SearchAll(model, p, context);

  Validity validity = Validity::kValid;
  uint64_t configurations = 0;
  std::vector<Value> failing, unknown;
  std::vector<size_t> failing_slots;
  std::string reason;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    validity = Worse(validity, outcomes[i].validity);
    configurations += outcomes[i].configurations;
    if (outcomes[i].validity == Validity::kInvalid) {
      failing.push_back(p.keys[i]);
      failing_slots.push_back(i);
    } else if (outcomes[i].validity == Validity::kUnknown) {
      unknown.push_back(p.keys[i]);
      reason = outcomes[i].unknown_reason;
    }
  }
  d.push_back({Kw("op-count"), p.ok_count + p.crashed_count});
  d.push_back({Kw("ok-count"), p.ok_count});
  d.push_back({Kw("info-count"), p.crashed_count});
  d.push_back({Kw("fail-count"), p.fail_count});
  d.push_back({Kw("configurations"), static_cast<int64_t>(configurations)});
  if (options_.independent) {
    d.push_back({Kw("key-count"), static_cast<int64_t>(p.keys.size())});
    d.push_back({Kw("failures"), Value::Vector(failing)});
    if (!unknown.empty()) d.push_back({Kw("unknown-keys"), Value::Vector(unknown)});
  }

  std::string explanation;
  if (!failing_slots.empty()) {
    std::vector<MapEntry> per_key;
    std::string first_text;
    for (size_t k = 0; k < failing_slots.size() &&
                       k < static_cast<size_t>(std::max(options_.max_reported_keys, 1));
         ++k) {
      size_t i = failing_slots[k];
      std::string text;
      Value ce = Failure(context, history, p, i, outcomes[i], &text);
      if (k == 0) {
        d.push_back({Kw("counterexample"), ce});
        first_text = text;
      }
      if (options_.independent) per_key.push_back({p.keys[i], ce});
    }
    if (options_.independent) {
      d.push_back({Kw("counterexamples"), Value::Map(std::move(per_key))});
      std::vector<std::string> names;
      for (size_t k = 0; k < failing.size() && k < 10; ++k) names.push_back(failing[k].ToEdn());
      explanation = fmt::format("{} of {} keys are not linearizable ({}{}). Key {}: {}",
                                failing.size(), p.keys.size(), fmt::join(names, ", "),
                                failing.size() > 10 ? ", ..." : "", failing[0], first_text);
    } else {
      explanation = first_text;
    }
  } else if (validity == Validity::kUnknown) {
    explanation = fmt::format(
        "The search gave up ({}) after exploring {} configurations{}; raise the check's "
        "limits to let it finish (jepsen check --time-limit/--memory-limit; a suite's "
        "analyze --check-time-limit/--check-memory-limit).",
        reason, configurations,
        options_.independent ? fmt::format(" ({} of {} keys undecided)", unknown.size(),
                                           p.keys.size())
                             : std::string());
  }
  if (!explanation.empty()) d.push_back({Kw("explanation"), Value::String(explanation)});
  return {validity, Value::Map(std::move(d))};
}

}  // namespace

std::unique_ptr<Checker> MakeLinearizableChecker(LinearizableOptions options) {
  return std::make_unique<LinearizableChecker>(std::move(options));
}

}  // namespace jepsen
