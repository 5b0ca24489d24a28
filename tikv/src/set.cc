// The set workload (the seed's set.clj): one key holds an EDN set; each add reads it,
// conjoins the element and writes it back in one transaction; a final read.
#include "jepsen/checker/set.h"
#include "jepsen/edn.h"
#include "server_client.h"
#include "txn.h"
#include "workload_tables.h"

namespace jepsen::tikv {
namespace {

constexpr char kSetKey[] = "a-set";

// The set stored in `stored` (nullopt: no value yet, the empty set).
std::optional<Value> ParseSet(const std::optional<std::string>& stored, TxnScope& txn) {
  if (!stored) return Value::Set({});
  Result<Value> v = ParseEdn(*stored);
  if (!v.ok() || !v->is_set()) {
    txn.Fail("bad-value", "the set key holds " + *stored);
    return std::nullopt;
  }
  return *v;
}

class SetClient : public Client {
 public:
  explicit SetClient(std::shared_ptr<ServerShared> shared) : shared_(std::move(shared)) {}

  Result<std::unique_ptr<Client>> Open(const Test& test, const std::string& node) override {
    auto c = std::make_unique<SetClient>(shared_);
    c->kv_ = MakeGrpcTxnKv(ClientServerAddress(test, node), shared_->options.deadline);
    return std::unique_ptr<Client>(std::move(c));
  }
  Status Setup(const Test& test) override {
    JEPSEN_RETURN_IF_ERROR(shared_->Start(test));
    // As the seed: the key starts as the empty set. No add runs before setup ends, so
    // an attempt whose outcome is unknown can simply be repeated.
    Op init{.f = Value::Keyword("init")};
    Op done;
    for (int attempt = 0; attempt < 20; ++attempt) {
      done = RunTxn(*kv_, shared_->options.pessimistic, init, false, [](TxnScope& txn) {
        txn.Put(kSetKey, "#{}");
        return Value();
      });
      if (done.is_ok()) return OkStatus();
      test.log().Warn("initialising the set key failed ({}); trying again", done.error);
    }
    shared_->Stop(test);
    return UnavailableError(fmt::format("cannot initialise the set key: {}", done.error));
  }
  Status Teardown(const Test& test) override {
    shared_->Stop(test);
    return OkStatus();
  }

  Op Invoke(const Test&, const Op& op) override {
    bool read = op.f.IsNamed("read");
    return RunTxn(*kv_, shared_->options.pessimistic, op, read, [&](TxnScope& txn) -> Value {
      std::optional<std::string> stored;
      if (!txn.Get(kSetKey, &stored)) return Value();
      std::optional<Value> set = ParseSet(stored, txn);
      if (!set) return Value();
      if (read) return *set;
      std::vector<Value> elements(set->elements().begin(), set->elements().end());
      elements.push_back(op.value);
      txn.Put(kSetKey, Value::Set(std::move(elements)).ToEdn());
      return op.value;
    });
  }

 private:
  std::shared_ptr<ServerShared> shared_;
  std::unique_ptr<TxnKv> kv_;
};

}  // namespace

Result<Workload> MakeSetWorkload(const WorkloadOptions& options) {
  auto shared = std::make_shared<ServerShared>(options);
  shared->options.server.type = "txn";
  Workload w;
  w.client = std::make_unique<SetClient>(shared);
  // Adds of 0, 1, 2, ... as fast as the clients go (the seed sets no rate here).
  auto next = std::make_shared<std::atomic<int64_t>>(0);
  w.generator = gen::Fn([next](const Test&, const Context&) -> std::optional<Op> {
    return Op{.f = Value::Keyword("add"), .value = Value::Int((*next)++)};
  });
  // The seed read once; a final read that fails or crashes then leaves the set checker
  // with nothing to compare (unknown). Read until one succeeds, for at most a minute,
  // 100 ms apart (a read that fails at once must not spin into millions of ops).
  w.final_generator = gen::TimeLimit(
      std::chrono::minutes(1),
      gen::UntilOk(gen::Delay(std::chrono::milliseconds(100), gen::Repeat(gen::Invoke("read")))));
  w.checker = MakeSetChecker();
  return w;
}

}  // namespace jepsen::tikv
