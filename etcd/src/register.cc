// The register workload: Jepsen's etcd register test. Each key is a register; ops are
// [key value] tuples (independent keys), so each key's short history is checked for
// linearizability on its own.
#include <span>
#include <stdexcept>

#include <fmt/format.h>

#include "client_base.h"
#include "jepsen/checker/linearizable.h"
#include "jepsen/checker/stats.h"
#include "jepsen/checker/unhandled_exceptions.h"
#include "jepsen/generator/independent.h"
#include "jepsen/etcd/workloads.h"

namespace jepsen::etcd {
namespace {

class RegisterClient : public ClientBase<RegisterClient> {
 public:
  using ClientBase::ClientBase;

  Op Invoke(const Test&, const Op& op) override {
    std::optional<std::pair<Value, Value>> tuple = SplitKeyedValue(op.value);
    if (!tuple) throw std::invalid_argument(fmt::format("register op without [key value]: {}", op));
    const auto& [k, v] = *tuple;
    std::string key = fmt::format("r/{}", k);
    if (op.f.IsNamed("read")) {
      std::vector<KeyValue> found;
      RpcError e = kv().Range({.key = key, .serializable = options().serializable_reads}, &found);
      if (!e.ok()) return CompleteWith(op, ClassifyError(e, false));
      Value read = found.empty() ? Value() : Decode(found.front().value);
      return CompleteOk(op, KeyedValue(k, read));
    }
    if (op.f.IsNamed("write")) {
      RpcError e = kv().Put(key, std::to_string(v.AsInt()));
      if (!e.ok()) return CompleteWith(op, ClassifyError(e, true));
      return CompleteOk(op);
    }
    if (op.f.IsNamed("cas")) {
      std::span<const Value> ov = v.elements();
      if (ov.size() != 2) throw std::invalid_argument(fmt::format("cas needs [old new]: {}", op));
      Txn txn{.compare = {{.key = key, .value = std::to_string(ov[0].AsInt())}},
              .success = {{.range = {.key = key}, .put = true, .value = std::to_string(ov[1].AsInt())}}};
      TxnResult r;
      RpcError e = kv().Commit(txn, &r);
      if (!e.ok()) return CompleteWith(op, ClassifyError(e, true));
      // The guard failed: nothing was written, definitely.
      if (!r.succeeded) return CompleteFail(op, Value::Keyword("value-mismatch"));
      return CompleteOk(op);
    }
    throw std::invalid_argument(fmt::format("the register client has no op {}", op.f));
  }

 private:
  static Value Decode(const std::string& s) {
    std::optional<int64_t> i = ParseInt(s);
    return i ? Value(*i) : Value::String(s);
  }
};

Gen RandomOp(std::string f, bool pair) {
  return gen::Fn([f = std::move(f), pair](const Test&, const Context& ctx) -> std::optional<Op> {
    Value v = pair ? Value::Vector({ctx.rng().Uniform(5), ctx.rng().Uniform(5)})
                   : Value(ctx.rng().Uniform(5));
    return Op{.f = Value::Keyword(f), .value = v};
  });
}

}  // namespace

Workload MakeRegisterWorkload(const WorkloadOptions& o) {
  int per_key = o.threads_per_key > 0 ? o.threads_per_key
                                      : std::max<int>(1, static_cast<int>(o.nodes.size()));
  int64_t ops_per_key = o.ops_per_key;
  Gen ops = gen::IndependentConcurrent(per_key, IntegerKeys(), [ops_per_key](const Value&) {
    return gen::Limit(ops_per_key, gen::Mix({gen::Repeat(gen::Invoke("read")),
                                             RandomOp("write", false), RandomOp("cas", true)}));
  });
  if (o.rate > 0) ops = gen::Stagger(Nanos(static_cast<int64_t>(1e9 / o.rate)), ops);
  Workload w;
  w.client = std::make_unique<RegisterClient>(o);
  w.generator = ops;
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("stats", MakeStatsChecker());
  checkers.emplace_back("exceptions", MakeUnhandledExceptionsChecker());
  checkers.emplace_back("linear", MakeLinearizableChecker({.model = MakeCasRegisterModel(),
                                                           .independent = true}));
  w.checker = Compose(std::move(checkers));
  return w;
}

}  // namespace jepsen::etcd
