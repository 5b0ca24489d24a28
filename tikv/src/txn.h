// Private: one transaction through the client server, as the seed's with-txn: begin,
// the body's gets and puts, commit; on any failure before commit, rollback. The op's
// outcome follows docs/tikv.md: a failure before commit is a fail (nothing durable
// happened), an unknown commit is info.
#ifndef JEPSEN_TIKV_SRC_TXN_H_
#define JEPSEN_TIKV_SRC_TXN_H_

#include <functional>
#include <optional>
#include <string>

#include "jepsen/client.h"
#include "jepsen/tikv/outcome.h"
#include "kv.h"

namespace jepsen::tikv {

// The steps a transaction body may take. Each returns false once a step failed; the
// body should then return at once (RunTxn records the failure).
class TxnScope {
 public:
  TxnScope(TxnKv& kv, uint32_t id) : kv_(kv), id_(id) {}
  // The key's value, or nullopt (in *out) if it has none.
  bool Get(const std::string& key, std::optional<std::string>* out);
  bool Put(const std::string& key, const std::string& value);
  // A failure of the body's own (e.g. a value that does not parse).
  void Fail(std::string error, std::string message) {
    failure = Outcome{.type = OpType::kFail, .error = std::move(error), .message = std::move(message)};
  }

  std::optional<Outcome> failure;

 private:
  TxnKv& kv_;
  uint32_t id_;
};

// Runs `body` in a transaction for `op` and returns the completion: ok with the body's
// value, or fail/info with [:error "message"]. `read_only` bodies commit as reads (an
// unknown commit of a read changes nothing, so it is a fail).
Op RunTxn(TxnKv& kv, bool pessimistic, const Op& op, bool read_only,
          const std::function<Value(TxnScope&)>& body);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_TXN_H_
