// The set workload: each :add x puts its own key s/x; a :read lists every key under
// s/ with one Range. Checked with set-full: every acknowledged add must show up in
// every read that begins after it is known, and stay.
#include <atomic>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "client_base.h"
#include "jepsen/checker/set_full.h"
#include "jepsen/checker/stats.h"
#include "jepsen/checker/unhandled_exceptions.h"
#include "jepsen/etcd/workloads.h"

namespace jepsen::etcd {
namespace {

constexpr std::string_view kPrefix = "s/";

class SetClient : public ClientBase<SetClient> {
 public:
  using ClientBase::ClientBase;

  Op Invoke(const Test&, const Op& op) override {
    if (op.f.IsNamed("add")) {
      RpcError e = kv().Put(fmt::format("{}{}", kPrefix, op.value.AsInt()), "");
      if (!e.ok()) return CompleteWith(op, ClassifyError(e, true));
      return CompleteOk(op);
    }
    if (op.f.IsNamed("read")) {
      std::vector<KeyValue> found;
      RpcError e = kv().Range(
          {.key = std::string(kPrefix), .prefix = true, .serializable = options().serializable_reads},
          &found);
      if (!e.ok()) return CompleteWith(op, ClassifyError(e, false));
      std::vector<Value> elements;
      elements.reserve(found.size());
      for (const KeyValue& kv : found) {
        std::optional<int64_t> x = ParseInt(std::string_view(kv.key).substr(kPrefix.size()));
        elements.push_back(x ? Value(*x) : Value::String(kv.key));
      }
      return CompleteOk(op, Value::Set(std::move(elements)));
    }
    throw std::invalid_argument(fmt::format("the set client has no op {}", op.f));
  }
};

}  // namespace

Workload MakeSetWorkload(const WorkloadOptions& o) {
  auto next = std::make_shared<std::atomic<int64_t>>(0);
  Gen adds = gen::Fn([next](const Test&, const Context&) -> std::optional<Op> {
    return Op{.f = Value::Keyword("add"), .value = (*next)++};
  });
  Gen reads = gen::Repeat(gen::Invoke("read"));
  // Mostly adds; a read in five ops keeps reads frequent enough to see losses early.
  Gen ops = gen::Mix({adds, adds, adds, adds, reads});
  if (o.rate > 0) ops = gen::Stagger(Nanos(static_cast<int64_t>(1e9 / o.rate)), ops);
  Workload w;
  w.client = std::make_unique<SetClient>(o);
  w.generator = ops;
  // After healing, every thread reads until one read succeeds (the cluster may still be
  // electing a leader), for at most 30 s, 100 ms apart: a read that fails at once (no
  // connection yet) must not spin into millions of ops.
  w.final_generator = gen::Clients(gen::TimeLimit(
      std::chrono::seconds(30),
      gen::UntilOk(gen::Delay(std::chrono::milliseconds(100), gen::Repeat(gen::Invoke("read"))))));
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("stats", MakeStatsChecker());
  checkers.emplace_back("exceptions", MakeUnhandledExceptionsChecker());
  checkers.emplace_back("set", MakeSetFullChecker({.linearizable = !o.serializable_reads}));
  w.checker = Compose(std::move(checkers));
  return w;
}

}  // namespace jepsen::etcd
