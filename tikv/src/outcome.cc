#include "jepsen/tikv/outcome.h"

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

}  // namespace jepsen::tikv
