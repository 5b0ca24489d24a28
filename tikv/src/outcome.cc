#include "jepsen/tikv/outcome.h"

#include "kv.h"

namespace jepsen::tikv {

Outcome ClassifyReply(const ReplyError& error, CallKind kind) {
  if (error.empty()) return {};
  if (!error.not_found.empty()) {
    // The seed recorded a read of a missing key as a failure; it is a successful read
    // of nil. Outside a read "not found" means the request did not apply.
    if (kind == CallKind::kRead) {
      return {.type = OpType::kOk, .missing = true};
    }
    return {.type = OpType::kFail, .error = "not-found", .message = error.not_found};
  }
  if (!error.aborted.empty()) {
    return {.type = OpType::kFail, .error = "aborted", .message = error.aborted};
  }
  // Undetermined: harmless for reads and for steps before commit (the transaction
  // is abandoned, nothing was made durable); unknown for writes and commits.
  bool may_have_applied = kind == CallKind::kWrite || kind == CallKind::kCommit;
  return {.type = may_have_applied ? OpType::kInfo : OpType::kFail,
          .error = "undetermined",
          .message = error.undetermined};
}

Outcome ClassifyCall(const CallResult& result, CallKind kind) {
  if (!result.transport_failed) return ClassifyReply(result.error, kind);
  // No reply: a read or a step before commit changed nothing durable; a write or a
  // commit may have been applied before the reply was lost.
  bool may_have_applied = kind == CallKind::kWrite || kind == CallKind::kCommit;
  return {.type = may_have_applied ? OpType::kInfo : OpType::kFail,
          .error = result.timed_out ? "timeout" : "transport",
          .message = result.transport_message};
}

}  // namespace jepsen::tikv
