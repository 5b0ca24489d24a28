// How a failed etcd request becomes an operation's outcome (the table is in
// docs/etcd.md). The rule is Jepsen's: a request that cannot have changed anything
// (a read, or a write that was definitely rejected before it was proposed) is a
// :fail; a write whose outcome is unknown (deadline passed, connection lost after it
// was sent, the proposal timed out or lost its leader) is :info.
//
//   RpcError e = kv.Put("k", "1");
//   if (!e.ok()) return CompleteWith(op, ClassifyError(e, /*may_write=*/true));
//
// Thread safety: plain values and pure functions.
#ifndef JEPSEN_ETCD_ERRORS_H_
#define JEPSEN_ETCD_ERRORS_H_

#include <string>

#include "jepsen/op.h"
#include "jepsen/value.h"

namespace jepsen::etcd {

// gRPC status codes (grpc::StatusCode), so callers need no gRPC header.
enum class RpcCode : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// The outcome of one RPC: ok, or a gRPC code with etcd's message.
struct RpcError {
  RpcCode code = RpcCode::kOk;
  std::string message;
  bool ok() const { return code == RpcCode::kOk; }
};

struct ErrorOutcome {
  OpType type = OpType::kFail;  // kFail or kInfo
  // [:kind "message"], e.g. [:timeout "deadline exceeded"]; the kind is one of
  // :timeout :unavailable :connect-failed :leader-changed :too-many-requests
  // :rejected :unknown.
  Value error;
};

// The outcome of a request that failed with `e` (not ok). `may_write`: the request
// could change the store (a Put, a Txn with puts); reads pass false and always fail.
ErrorOutcome ClassifyError(const RpcError& e, bool may_write);

// The completion of `invocation` for `outcome` (the invocation's value kept).
Op CompleteWith(const Op& invocation, const ErrorOutcome& outcome);

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_ERRORS_H_
