// The list-append workload (Elle): transactions like [[:append 3 17] [:r 5 nil]]. Each
// key holds its list as "1,5,17". A transaction runs as at most two etcd Txns:
//   1. one Txn of Ranges over every key it touches: an atomic snapshot (values and
//      mod revisions at one store revision);
//   2. if it appends, one Txn guarded by "every touched key still has the mod revision
//      read in 1" that puts the new lists. If the guard fails nothing was written: the
//      op fails (definitely). If it holds, the transaction took effect atomically at
//      the Txn's commit, so the history should be strict serializable.
// A read-only transaction completes from the snapshot alone.
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>

#include "client_base.h"
#include "jepsen/checker/elle_list_append.h"
#include "jepsen/checker/stats.h"
#include "jepsen/checker/unhandled_exceptions.h"
#include "jepsen/etcd/workloads.h"

namespace jepsen::etcd {
namespace {

std::string KeyName(const Value& k) { return fmt::format("la/{}", k); }

std::vector<int64_t> DecodeList(const std::string& s) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::optional<int64_t> v = ParseInt(std::string_view(s).substr(start, comma - start));
    if (!v) throw std::runtime_error(fmt::format("list-append key holds '{}', not a list", s));
    out.push_back(*v);
    start = comma + 1;
  }
  return out;
}

std::string EncodeList(const std::vector<int64_t>& list) { return fmt::format("{}", fmt::join(list, ",")); }

class ListAppendClient : public ClientBase<ListAppendClient> {
 public:
  using ClientBase::ClientBase;

  Op Invoke(const Test&, const Op& op) override {
    if (!op.f.IsNamed("txn")) throw std::invalid_argument(fmt::format("list-append has no op {}", op.f));
    // The keys touched, in first-use order.
    std::vector<Value> keys;
    bool appends = false;
    for (const Value& mop : op.value.elements()) {
      const Value& k = mop.elements()[1];
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
      appends = appends || mop.elements()[0].IsNamed("append");
    }
    Txn snapshot;
    for (const Value& k : keys) {
      snapshot.success.push_back({.range = {.key = KeyName(k), .serializable = options().serializable_reads}});
    }
    TxnResult read;
    RpcError e = kv().Commit(snapshot, &read);
    if (!e.ok()) return CompleteWith(op, ClassifyError(e, false));
    std::map<Value, std::vector<int64_t>> lists;
    std::map<Value, int64_t> revisions;
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::vector<KeyValue>& found = read.ranges.at(i);
      lists[keys[i]] = found.empty() ? std::vector<int64_t>{} : DecodeList(found.front().value);
      revisions[keys[i]] = found.empty() ? 0 : found.front().mod_revision;
    }
    std::vector<Value> done;
    for (const Value& mop : op.value.elements()) {
      auto parts = mop.elements();
      std::vector<int64_t>& list = lists[parts[1]];
      if (parts[0].IsNamed("append")) {
        list.push_back(parts[2].AsInt());
        done.push_back(mop);
      } else {
        std::vector<Value> seen(list.begin(), list.end());
        done.push_back(Value::Vector({parts[0], parts[1], Value::Vector(std::move(seen))}));
      }
    }
    if (!appends) return CompleteOk(op, Value::Vector(std::move(done)));
    Txn write;
    for (const Value& k : keys) {
      write.compare.push_back({.key = KeyName(k), .target = Compare::Target::kModRevision,
                               .mod_revision = revisions[k]});
    }
    for (const Value& mop : op.value.elements()) {
      if (!mop.elements()[0].IsNamed("append")) continue;
      const Value& k = mop.elements()[1];
      TxnRequest put{.range = {.key = KeyName(k)}, .put = true, .value = EncodeList(lists[k])};
      // etcd refuses two puts of one key in a Txn: keep only the last (the full list).
      auto same = std::find_if(write.success.begin(), write.success.end(),
                               [&](const TxnRequest& r) { return r.range.key == put.range.key; });
      if (same != write.success.end()) *same = put; else write.success.push_back(put);
    }
    TxnResult committed;
    e = kv().Commit(write, &committed);
    if (!e.ok()) return CompleteWith(op, ClassifyError(e, true));
    if (!committed.succeeded) return CompleteFail(op, Value::Keyword("conflict"));
    return CompleteOk(op, Value::Vector(std::move(done)));
  }
};

// Elle's list-append generator: transactions of 1..max_txn_length micro-ops over
// `key_count` active keys; each append a fresh value; a key with max_writes_per_key
// appends is retired for a new one, so lists stay short.
class TxnSource {
 public:
  explicit TxnSource(const WorkloadOptions& o)
      : key_count_(std::max(1, o.key_count)),
        max_length_(std::max(1, o.max_txn_length)),
        max_writes_(std::max(1, o.max_writes_per_key)) {
    for (int i = 0; i < key_count_; ++i) active_.push_back(next_key_++);
  }

  Op Next(Random& rng) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t length = 1 + rng.Uniform(max_length_);
    std::vector<Value> mops;
    for (int64_t i = 0; i < length; ++i) {
      size_t slot = static_cast<size_t>(rng.Uniform(key_count_));
      int64_t key = active_[slot];
      if (rng.Bernoulli(0.5)) {
        mops.push_back(Value::Vector({Value::Keyword("r"), key, Value()}));
        continue;
      }
      mops.push_back(Value::Vector({Value::Keyword("append"), key, next_value_++}));
      if (++writes_[key] >= max_writes_) {
        writes_.erase(key);
        active_[slot] = next_key_++;
      }
    }
    return Op{.f = Value::Keyword("txn"), .value = Value::Vector(std::move(mops))};
  }

 private:
  const int key_count_, max_length_, max_writes_;
  std::mutex mu_;
  std::vector<int64_t> active_;
  std::map<int64_t, int> writes_;
  int64_t next_key_ = 0;
  int64_t next_value_ = 1;
};

}  // namespace

Workload MakeListAppendWorkload(const WorkloadOptions& o) {
  auto source = std::make_shared<TxnSource>(o);
  Gen ops = gen::Fn([source](const Test&, const Context& ctx) -> std::optional<Op> {
    return source->Next(ctx.rng());
  });
  if (o.rate > 0) ops = gen::Stagger(Nanos(static_cast<int64_t>(1e9 / o.rate)), ops);
  Workload w;
  w.client = std::make_unique<ListAppendClient>(o);
  w.generator = ops;
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("stats", MakeStatsChecker());
  checkers.emplace_back("exceptions", MakeUnhandledExceptionsChecker());
  checkers.emplace_back("elle", elle::MakeListAppendChecker(
                                    {.consistency_models = {elle::ConsistencyModel::kStrictSerializable}}));
  w.checker = Compose(std::move(checkers));
  return w;
}

}  // namespace jepsen::etcd
