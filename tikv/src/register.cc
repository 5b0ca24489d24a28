// The register workload (the seed's register.clj) with cas, which the seed left as a
// TODO: raw get/put/cas on independent keys, checked per key against a cas-register.
#include "workload_tables.h"

#include <atomic>
#include <charconv>

#include "jepsen/checker/linearizable.h"
#include "jepsen/checker/timeline.h"
#include "jepsen/generator/independent.h"
#include "kv.h"
#include "server_client.h"

namespace jepsen::tikv {
namespace {

// Registers hold decimal integers; anything else is passed through as a string so
// the checker sees it (and rejects it) rather than the client hiding it.
Value ParseRegister(const std::string& s) {
  int64_t i = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), i);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) return Value::Int(i);
  return Value::String(s);
}

std::string Encode(const Value& v) { return v.is_int() ? std::to_string(v.AsInt()) : v.ToEdn(); }

class RegisterClient : public Client {
 public:
  RegisterClient(std::shared_ptr<ServerShared> shared,
                 std::shared_ptr<std::atomic<bool>> cas_supported)
      : shared_(std::move(shared)), cas_supported_(std::move(cas_supported)) {}

  Result<std::unique_ptr<Client>> Open(const Test& test, const std::string& node) override {
    auto c = std::make_unique<RegisterClient>(shared_, cas_supported_);
    c->kv_ = MakeGrpcRawKv(ClientServerAddress(test, node), shared_->options.deadline);
    return std::unique_ptr<Client>(std::move(c));
  }
  Status Setup(const Test& test) override { return shared_->Start(test); }
  Status Teardown(const Test& test) override {
    shared_->Stop(test);
    return OkStatus();
  }

  Op Invoke(const Test& test, const Op& op) override {
    auto kv = SplitKeyedValue(op.value);
    if (!kv) return CompleteFail(op, Value::Keyword("malformed-op"));
    const auto& [key, arg] = *kv;
    std::string k = Encode(key);
    if (op.f.IsNamed("read")) {
      CallResult r = kv_->Get(k);
      Outcome o = ClassifyCall(r, CallKind::kRead);
      if (o.type != OpType::kOk) return Complete(op, o.type, op.value, ErrorValue(o));
      return CompleteOk(op, KeyedValue(key, o.missing ? Value() : ParseRegister(r.value)));
    }
    if (op.f.IsNamed("write")) {
      Outcome o = ClassifyCall(kv_->Put(k, Encode(arg)), CallKind::kWrite);
      if (o.type != OpType::kOk) return Complete(op, o.type, op.value, ErrorValue(o));
      return CompleteOk(op);
    }
    if (op.f.IsNamed("cas") && arg.is_sequential() && arg.size() == 2) {
      CallResult r = kv_->Cas(k, Encode(arg[0]), Encode(arg[1]));
      if (r.unimplemented) {
        // The seed's server has no Cas: nothing happened. Stop generating cas.
        if (cas_supported_->exchange(false)) {
          test.log().Warn("the client server does not implement Cas ({}); the register "
                          "workload drops cas and goes on with reads and writes",
                          r.transport_message);
        }
        return CompleteFail(op, Value::Keyword("cas-unsupported"));
      }
      Outcome o = ClassifyCall(r, CallKind::kWrite);
      if (o.type != OpType::kOk) return Complete(op, o.type, op.value, ErrorValue(o));
      if (!r.succeed) return CompleteFail(op, Value::Keyword("precondition-failed"));
      return CompleteOk(op);
    }
    return CompleteFail(op, Value::Keyword("unknown-f"));
  }

 private:
  std::shared_ptr<ServerShared> shared_;
  std::shared_ptr<std::atomic<bool>> cas_supported_;
  std::unique_ptr<RawKv> kv_;
};

Gen RegisterKeyGen(const WorkloadOptions& o, std::shared_ptr<std::atomic<bool>> cas_supported) {
  Gen r = gen::Repeat(gen::Invoke("read"));
  Gen w = gen::Fn([](const Test&, const Context& ctx) -> std::optional<Op> {
    return Op{.f = Value::Keyword("write"), .value = Value::Int(ctx.rng().Uniform(5))};
  });
  // Cas while the server implements it; once it said UNIMPLEMENTED, writes instead.
  Gen cas = gen::Fn([cas_supported](const Test&, const Context& ctx) -> std::optional<Op> {
    if (!cas_supported->load()) {
      return Op{.f = Value::Keyword("write"), .value = Value::Int(ctx.rng().Uniform(5))};
    }
    return Op{.f = Value::Keyword("cas"),
              .value = Value::Vector({Value::Int(ctx.rng().Uniform(5)),
                                      Value::Int(ctx.rng().Uniform(5))})};
  });
  // The seed staggers the whole group: (stagger (/ rate) (reserve 5 r (mix [w cas]))).
  // Jepsen breaks ties between the reserve's branches at random, weighted by their
  // threads (5 and 5), so each branch gets half the ops. jepsen::gen::Any breaks ties
  // by order, which would starve the writers; staggering each branch at half the rate
  // gives the same schedule.
  auto dt = std::chrono::nanoseconds(static_cast<int64_t>(2e9 / o.rate));
  return gen::Limit(o.ops_per_key,
                    gen::Reserve({{5, gen::Stagger(dt, r)}}, gen::Stagger(dt, gen::Mix({w, cas}))));
}

}  // namespace

Result<Workload> MakeRegisterWorkload(const WorkloadOptions& options) {
  auto cas_supported = std::make_shared<std::atomic<bool>>(true);
  auto shared = std::make_shared<ServerShared>(options);
  shared->options.server.type = "raw";
  Workload w;
  w.client = std::make_unique<RegisterClient>(shared, cas_supported);
  WorkloadOptions o = options;
  w.generator = gen::IndependentConcurrent(
      kRegisterThreadsPerKey, IntegerKeys(), [o, cas_supported](const Value&) { return RegisterKeyGen(o, cas_supported); });
  // The seed: (independent/checker (compose {:linear ... :timeline (timeline/html)})).
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("linear", MakeLinearizableChecker({.model = MakeCasRegisterModel(),
                                                           .independent = true}));
  checkers.emplace_back("timeline", MakeTimelineChecker({.independent = true}));
  w.checker = Compose(std::move(checkers));
  return w;
}

}  // namespace jepsen::tikv
