// How a reply from the TiKV client server becomes an op outcome.
//
// The client server answers every call with an optional tikv.error.Error that names
// one of three failures. Whether a failure means "did not happen" (fail) or "may have
// happened" (info) depends on what the call was: a read changes nothing, so a failed
// read is a fail; a write whose reply is undetermined may have been applied, so it is
// info. docs/tikv.md has the whole table.
//
//   Outcome o = ClassifyReply({.undetermined = "region unavailable"}, CallKind::kWrite);
//   o.type  // OpType::kInfo
//
// Thread safety: pure functions.
#ifndef JEPSEN_TIKV_OUTCOME_H_
#define JEPSEN_TIKV_OUTCOME_H_

#include <string>

#include "jepsen/op.h"

namespace jepsen::tikv {

// tikv.error.Error, converted at the gRPC boundary. At most one field is non-empty.
struct ReplyError {
  std::string undetermined;
  std::string not_found;
  std::string aborted;

  bool empty() const {
    return undetermined.empty() && not_found.empty() && aborted.empty();
  }
};

enum class CallKind {
  kRead,     // a raw get, or a get inside a transaction: changes nothing
  kWrite,    // raw put or cas: applied on its own, so an unknown reply is unknown
  kTxnStep,  // begin or put inside a transaction: nothing is durable before commit
  kCommit,   // the commit of a transaction
};

struct Outcome {
  OpType type = OpType::kOk;
  // Set for reads of a missing key: the op succeeds with a nil value.
  bool missing = false;
  // The error keyword recorded in the op (:undetermined, :aborted, ...), empty if ok.
  std::string error;
  // The server's message, for the op's :error detail.
  std::string message;
};

// The outcome of a call of kind `kind` whose reply carried `error`.
Outcome ClassifyReply(const ReplyError& error, CallKind kind);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_OUTCOME_H_
