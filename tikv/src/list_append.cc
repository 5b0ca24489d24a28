// The list-append workload (the seed's list_append.clj, on Jepsen's append test):
// transactions of [:r k nil] and [:append k v] micro-ops; each key holds an EDN
// vector, an append reads it, conjoins and writes it back.
#include <mutex>

#include "jepsen/checker/elle_list_append.h"
#include "jepsen/checker/elle_options.h"
#include "jepsen/edn.h"
#include "server_client.h"
#include "txn.h"
#include "workload_tables.h"

namespace jepsen::tikv {
namespace {

// The list stored under a key (no value yet: the empty list).
std::optional<Value> ParseList(const std::optional<std::string>& stored, TxnScope& txn) {
  if (!stored) return Value::Vector(std::vector<Value>{});
  Result<Value> v = ParseEdn(*stored);
  if (!v.ok() || !v->is_sequential()) {
    txn.Fail("bad-value", "a list key holds " + *stored);
    return std::nullopt;
  }
  return *v;
}

class ListAppendClient : public Client {
 public:
  explicit ListAppendClient(std::shared_ptr<ServerShared> shared) : shared_(std::move(shared)) {}

  Result<std::unique_ptr<Client>> Open(const Test& test, const std::string& node) override {
    auto c = std::make_unique<ListAppendClient>(shared_);
    c->kv_ = MakeGrpcTxnKv(ClientServerAddress(test, node), shared_->options.deadline);
    return std::unique_ptr<Client>(std::move(c));
  }
  Status Setup(const Test& test) override { return shared_->Start(test); }
  Status Teardown(const Test& test) override {
    shared_->Stop(test);
    return OkStatus();
  }

  Op Invoke(const Test&, const Op& op) override {
    if (!op.value.is_sequential()) return CompleteFail(op, Value::Keyword("malformed-op"));
    bool read_only = true;
    for (const Value& mop : op.value.elements()) {
      if (mop.is_sequential() && mop.size() == 3 && mop[0].IsNamed("append")) read_only = false;
    }
    return RunTxn(*kv_, shared_->options.pessimistic, op, read_only, [&](TxnScope& txn) -> Value {
      std::vector<Value> done;
      for (const Value& mop : op.value.elements()) {
        if (!mop.is_sequential() || mop.size() != 3) {
          txn.Fail("malformed-op", mop.ToEdn());
          return Value();
        }
        std::string key = mop[1].ToEdn();
        std::optional<std::string> stored;
        if (!txn.Get(key, &stored)) return Value();
        std::optional<Value> list = ParseList(stored, txn);
        if (!list) return Value();
        if (mop[0].IsNamed("r")) {
          done.push_back(Value::Vector({mop[0], mop[1], *list}));
          continue;
        }
        std::vector<Value> elements(list->elements().begin(), list->elements().end());
        elements.push_back(mop[2]);
        if (!txn.Put(key, Value::Vector(std::move(elements)).ToEdn())) return Value();
        done.push_back(mop);
      }
      return Value::Vector(std::move(done));
    });
  }

 private:
  std::shared_ptr<ServerShared> shared_;
  std::unique_ptr<TxnKv> kv_;
};

// Elle's list-append generator (elle.list-append/gen with its defaults): 3 keys
// active at a time, transactions of 1 or 2 micro-ops, each a read or an append of the
// key's next value; a key that had 32 appends is replaced by a fresh one.
class AppendTxns {
 public:
  Op Next(Random& rng) {
    std::lock_guard<std::mutex> lock(mu_);
    while (active_.size() < kKeyCount) active_.push_back(next_key_++);
    int64_t length = rng.UniformIn(1, 2);
    std::vector<Value> mops;
    for (int64_t i = 0; i < length; ++i) {
      size_t slot = static_cast<size_t>(rng.Uniform(static_cast<int64_t>(active_.size())));
      int64_t key = active_[slot];
      if (rng.Bernoulli(0.5)) {
        mops.push_back(Value::Vector({Value::Keyword("r"), Value::Int(key), Value()}));
        continue;
      }
      int64_t value = ++writes_[key];
      mops.push_back(Value::Vector({Value::Keyword("append"), Value::Int(key), Value::Int(value)}));
      if (value >= kMaxWritesPerKey) active_[slot] = next_key_++;
    }
    return Op{.f = Value::Keyword("txn"), .value = Value::Vector(std::move(mops))};
  }

 private:
  static constexpr size_t kKeyCount = 3;
  static constexpr int64_t kMaxWritesPerKey = 32;
  std::mutex mu_;
  std::vector<int64_t> active_;         // guarded by mu_
  std::map<int64_t, int64_t> writes_;   // guarded by mu_
  int64_t next_key_ = 0;                // guarded by mu_
};

}  // namespace

Result<Workload> MakeListAppendWorkload(const WorkloadOptions& options) {
  JEPSEN_ASSIGN_OR_RETURN(elle::ElleOptions elle,
                          elle::ParseElleOptions(options.consistency_models, {}));
  auto shared = std::make_shared<ServerShared>(options);
  shared->options.server.type = "txn";
  Workload w;
  w.client = std::make_unique<ListAppendClient>(shared);
  auto txns = std::make_shared<AppendTxns>();
  w.generator = gen::Fn([txns](const Test&, const Context& ctx) -> std::optional<Op> {
    return txns->Next(ctx.rng());
  });
  w.checker = elle::MakeListAppendChecker(std::move(elle));
  return w;
}

}  // namespace jepsen::tikv
