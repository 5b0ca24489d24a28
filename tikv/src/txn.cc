#include "txn.h"

#include "server_client.h"

namespace jepsen::tikv {

bool TxnScope::Get(const std::string& key, std::optional<std::string>* out) {
  CallResult r = kv_.Get(id_, key);
  Outcome o = ClassifyCall(r, CallKind::kRead);
  if (o.type != OpType::kOk) {
    failure = o;
    return false;
  }
  *out = o.missing ? std::nullopt : std::optional<std::string>(r.value);
  return true;
}

bool TxnScope::Put(const std::string& key, const std::string& value) {
  Outcome o = ClassifyCall(kv_.Put(id_, key, value), CallKind::kTxnStep);
  if (o.type != OpType::kOk) {
    failure = o;
    return false;
  }
  return true;
}

Op RunTxn(TxnKv& kv, bool pessimistic, const Op& op, bool read_only,
          const std::function<Value(TxnScope&)>& body) {
  CallResult begin = kv.Begin(pessimistic);
  Outcome b = ClassifyCall(begin, CallKind::kTxnStep);
  if (b.type != OpType::kOk) return Complete(op, b.type, op.value, ErrorValue(b));
  TxnScope scope(kv, begin.txn_id);
  Value result = body(scope);
  if (scope.failure) {
    // Best effort: the server forgets the transaction either way, and nothing of it
    // was committed.
    (void)kv.Rollback(begin.txn_id);
    return Complete(op, scope.failure->type, op.value, ErrorValue(*scope.failure));
  }
  Outcome c = ClassifyCall(kv.Commit(begin.txn_id), read_only ? CallKind::kRead : CallKind::kCommit);
  if (c.type != OpType::kOk) return Complete(op, c.type, op.value, ErrorValue(c));
  return CompleteOk(op, std::move(result));
}

}  // namespace jepsen::tikv
