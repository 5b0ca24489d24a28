#include "jepsen/etcd/errors.h"

#include <string_view>

#include "jepsen/client.h"

namespace jepsen::etcd {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

struct Kind {
  std::string_view name;
  bool definite;  // the request certainly did not change the store
};

// The order matters: etcd's own messages first (they arrive as UNAVAILABLE too), then
// gRPC's codes. Every etcd error string matched here is from etcd 3.4's rpctypes.
Kind KindOf(const RpcError& e) {
  std::string_view m = e.message;
  if (e.code == RpcCode::kDeadlineExceeded) return {"timeout", false};
  // "etcdserver: request timed out" (also "... due to previous leader failure" and
  // "... possibly due to connection lost"): proposed, outcome unknown.
  if (Contains(m, "request timed out")) return {"timeout", false};
  // The leader changed while the proposal waited to apply: it may still commit.
  if (Contains(m, "leader changed")) return {"leader-changed", false};
  // The member throttles before proposing anything.
  if (e.code == RpcCode::kResourceExhausted || Contains(m, "too many requests")) {
    return {"too-many-requests", true};
  }
  // gRPC never picked a connection, so the request was never sent.
  if (e.code == RpcCode::kUnavailable && Contains(m, "failed to connect to all addresses")) {
    return {"connect-failed", true};
  }
  switch (e.code) {
    case RpcCode::kUnavailable:
      return {"unavailable", false};  // e.g. the connection broke after sending
    case RpcCode::kInvalidArgument:
    case RpcCode::kNotFound:
    case RpcCode::kAlreadyExists:
    case RpcCode::kPermissionDenied:
    case RpcCode::kFailedPrecondition:
    case RpcCode::kOutOfRange:
    case RpcCode::kUnimplemented:
    case RpcCode::kUnauthenticated:
      return {"rejected", true};  // validated before proposing
    default:
      return {"unknown", false};  // cancelled, internal, aborted, unknown, data loss
  }
}

}  // namespace

ErrorOutcome ClassifyError(const RpcError& e, bool may_write) {
  Kind kind = KindOf(e);
  OpType type = (!may_write || kind.definite) ? OpType::kFail : OpType::kInfo;
  return {type, Value::Vector({Value::Keyword(kind.name), Value::String(e.message)})};
}

Op CompleteWith(const Op& invocation, const ErrorOutcome& outcome) {
  return Complete(invocation, outcome.type, invocation.value, outcome.error);
}

}  // namespace jepsen::etcd
