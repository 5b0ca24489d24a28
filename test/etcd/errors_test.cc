// The outcome table of docs/etcd.md: which failed requests are :fail and which :info.
#include <catch2/catch.hpp>

#include "jepsen/etcd/errors.h"

namespace jepsen::etcd {
namespace {

std::string Outcome(RpcCode code, std::string message, bool may_write) {
  ErrorOutcome o = ClassifyError({code, std::move(message)}, may_write);
  return std::string(OpTypeName(o.type)) + " " + o.error.ToEdn();
}

TEST_CASE("ClassifyError fails every failed read", "[etcd]") {
  CHECK(Outcome(RpcCode::kDeadlineExceeded, "Deadline Exceeded", false) ==
        R"(fail [:timeout "Deadline Exceeded"])");
  CHECK(Outcome(RpcCode::kUnavailable, "etcdserver: request timed out", false) ==
        R"(fail [:timeout "etcdserver: request timed out"])");
  CHECK(Outcome(RpcCode::kUnavailable, "Socket closed", false) ==
        R"(fail [:unavailable "Socket closed"])");
}

TEST_CASE("ClassifyError makes writes of unknown outcome info", "[etcd]") {
  CHECK(Outcome(RpcCode::kDeadlineExceeded, "Deadline Exceeded", true) ==
        R"(info [:timeout "Deadline Exceeded"])");
  CHECK(Outcome(RpcCode::kUnavailable, "etcdserver: request timed out, possibly due to connection lost", true) ==
        R"(info [:timeout "etcdserver: request timed out, possibly due to connection lost"])");
  CHECK(Outcome(RpcCode::kUnavailable, "etcdserver: leader changed", true) ==
        R"(info [:leader-changed "etcdserver: leader changed"])");
  CHECK(Outcome(RpcCode::kUnavailable, "Socket closed", true) == R"(info [:unavailable "Socket closed"])");
  CHECK(Outcome(RpcCode::kCancelled, "Cancelled", true) == R"(info [:unknown "Cancelled"])");
  CHECK(Outcome(RpcCode::kInternal, "boom", true) == R"(info [:unknown "boom"])");
  CHECK(Outcome(RpcCode::kUnknown, "?", true) == R"(info [:unknown "?"])");
}

TEST_CASE("ClassifyError fails writes that were definitely rejected", "[etcd]") {
  CHECK(Outcome(RpcCode::kResourceExhausted, "etcdserver: too many requests", true) ==
        R"(fail [:too-many-requests "etcdserver: too many requests"])");
  CHECK(Outcome(RpcCode::kUnavailable, "failed to connect to all addresses; last error: refused", true) ==
        R"(fail [:connect-failed "failed to connect to all addresses; last error: refused"])");
  CHECK(Outcome(RpcCode::kInvalidArgument, "etcdserver: duplicate key given in txn request", true) ==
        R"(fail [:rejected "etcdserver: duplicate key given in txn request"])");
  CHECK(Outcome(RpcCode::kPermissionDenied, "etcdserver: permission denied", true) ==
        R"(fail [:rejected "etcdserver: permission denied"])");
}

TEST_CASE("CompleteWith keeps the invocation's value", "[etcd]") {
  Op invoke{.process = 3, .f = Value::Keyword("write"), .value = Value::Vector({1, 2})};
  Op done = CompleteWith(invoke, ClassifyError({RpcCode::kDeadlineExceeded, "late"}, true));
  CHECK(done.ToValue().ToEdn() == R"({:type :info, :process 3, :f :write, :value [1 2], :error [:timeout "late"]})");
}

}  // namespace
}  // namespace jepsen::etcd
