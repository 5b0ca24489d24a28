// Builders for small transactional histories in tests of the Elle checkers.
//
//   History h = SerialTxns({{0, "ok", "[[:append :x 1] [:r :y []]]"}, ...});
//
// Values are EDN text. Each txn's invocation carries the same value as its completion
// (the checkers read completions of :ok txns and invocations otherwise).
#ifndef JEPSEN_TEST_SUPPORT_ELLE_HISTORIES_H_
#define JEPSEN_TEST_SUPPORT_ELLE_HISTORIES_H_

#include <string>
#include <vector>

#include "jepsen/edn.h"
#include "jepsen/history.h"
#include "jepsen/op.h"

namespace jepsen::testing {

struct TxnSpec {
  int64_t process;
  std::string type;  // "ok", "fail", "info"
  std::string value;  // EDN vector of micro-ops
};

inline Op TxnOp(OpType type, int64_t process, const std::string& value_edn) {
  Result<Value> v = ParseEdn(value_edn);
  JEPSEN_CHECK(v.ok(), "bad EDN in test: {}", value_edn);
  return {.type = type, .process = process, .f = Value::Keyword("txn"), .value = *v};
}

inline OpType TypeNamed(const std::string& name) {
  return name == "ok" ? OpType::kOk : name == "fail" ? OpType::kFail : OpType::kInfo;
}

// Each transaction invoked and completed before the next begins.
inline History SerialTxns(const std::vector<TxnSpec>& txns) {
  History h;
  for (const TxnSpec& t : txns) {
    JEPSEN_CHECK(h.Append(TxnOp(OpType::kInvoke, t.process, t.value)).ok(), "append");
    JEPSEN_CHECK(h.Append(TxnOp(TypeNamed(t.type), t.process, t.value)).ok(), "append");
  }
  return h;
}

// Every transaction invoked, then every one completed, in the order given: all
// concurrent, so real time orders nothing. Processes must be distinct.
inline History ConcurrentTxns(const std::vector<TxnSpec>& txns) {
  History h;
  for (const TxnSpec& t : txns) {
    JEPSEN_CHECK(h.Append(TxnOp(OpType::kInvoke, t.process, t.value)).ok(), "append");
  }
  for (const TxnSpec& t : txns) {
    JEPSEN_CHECK(h.Append(TxnOp(TypeNamed(t.type), t.process, t.value)).ok(), "append");
  }
  return h;
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_ELLE_HISTORIES_H_
