#include "jepsen/tikv/outcome.h"

#include <catch2/catch.hpp>

#include "reply_error.h"

namespace jepsen::tikv {
namespace {

TEST_CASE("TiKV replies map to op outcomes by what the call was", "[tikv]") {
  ReplyError none;
  ReplyError undetermined{.undetermined = "timeout"};
  ReplyError aborted{.aborted = "write conflict"};
  ReplyError missing{.not_found = "key is not found"};

  CHECK(ClassifyReply(none, CallKind::kWrite).type == OpType::kOk);
  CHECK(ClassifyReply(undetermined, CallKind::kRead).type == OpType::kFail);
  CHECK(ClassifyReply(undetermined, CallKind::kWrite).type == OpType::kInfo);
  CHECK(ClassifyReply(undetermined, CallKind::kTxnStep).type == OpType::kFail);
  CHECK(ClassifyReply(undetermined, CallKind::kCommit).type == OpType::kInfo);
  CHECK(ClassifyReply(aborted, CallKind::kCommit).type == OpType::kFail);
  CHECK(ClassifyReply(aborted, CallKind::kCommit).error == "aborted");
  Outcome read_missing = ClassifyReply(missing, CallKind::kRead);
  CHECK(read_missing.type == OpType::kOk);
  CHECK(read_missing.missing);
  CHECK(ClassifyReply(missing, CallKind::kWrite).type == OpType::kFail);
}

TEST_CASE("TiKV errors convert from the client server's protobuf message", "[tikv]") {
  ::tikv::error::Error proto;
  proto.set_undetermined("region unavailable");
  // The same bytes the Rust server sends decode into the same error.
  ::tikv::error::Error wire;
  REQUIRE(wire.ParseFromString(proto.SerializeAsString()));
  ReplyError e = FromProto(wire);
  CHECK(e.undetermined == "region unavailable");
  CHECK(ClassifyReply(e, CallKind::kWrite).type == OpType::kInfo);
}

}  // namespace
}  // namespace jepsen::tikv
