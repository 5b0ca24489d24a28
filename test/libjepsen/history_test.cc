#include "jepsen/history.h"

#include <catch2/catch.hpp>

namespace jepsen {
namespace {

Op Make(OpType type, int64_t process, std::string_view f, Value value = Value()) {
  return {.type = type,
          .process = process,
          .f = Value::Keyword(f),
          .value = std::move(value)};
}

TEST_CASE("History pairs each invocation with its completion", "[history]") {
  History h;
  REQUIRE(h.Append(Make(OpType::kInvoke, 0, "read")).ok());
  REQUIRE(h.Append(Make(OpType::kInvoke, 1, "write", 3)).ok());
  REQUIRE(h.Append(Make(OpType::kOk, 1, "write", 3)).ok());
  REQUIRE(h.Append(Make(OpType::kOk, 0, "read", 3)).ok());
  REQUIRE(h.Append(Make(OpType::kInvoke, 1, "read")).ok());

  CHECK(h.Partner(0) == 3);
  CHECK(h.Partner(3) == 0);
  CHECK(h.Completion(1)->value == Value(3));
  CHECK(h.Invocation(2) == &h[1]);
  CHECK(h.Completion(2) == nullptr);
  CHECK(h.Invocation(0) == nullptr);
  CHECK(h.Completion(4) == nullptr);
  CHECK(h.PendingInvocations() == std::vector<size_t>{4});
  for (size_t i = 0; i < h.size(); ++i) CHECK(h[i].index == static_cast<int64_t>(i));
}

TEST_CASE("History pairs nemesis ops written as info twice", "[history]") {
  History h;
  REQUIRE(h.Append(Make(OpType::kInfo, kNemesisProcess, "start")).ok());
  REQUIRE(h.Append(Make(OpType::kInvoke, 0, "read")).ok());
  REQUIRE(
      h.Append(Make(OpType::kInfo, kNemesisProcess, "start", Value::String("cut"))).ok());
  REQUIRE(h.Append(Make(OpType::kInfo, kNemesisProcess, "stop")).ok());
  CHECK(h.Partner(0) == 2);
  CHECK(h.Partner(3) == History::kNoPartner);
  CHECK(h.Clients().size() == 1);
  CHECK(h.Clients()[0].f.IsKeyword("read"));
}

TEST_CASE("History rejects broken pairings and keeps what it had", "[history]") {
  History h;
  REQUIRE(h.Append(Make(OpType::kInvoke, 0, "read")).ok());
  Status twice = h.Append(Make(OpType::kInvoke, 0, "write", 1));
  CHECK(twice.message() ==
        "process 0 invokes :write (index 1) while its :read (index 0) has not completed");
  Status orphan = h.Append(Make(OpType::kOk, 7, "read"));
  CHECK(orphan.message() ==
        "process 7 completes :read (index 1, ok) but has no open invocation");
  Op stale = Make(OpType::kOk, 0, "read");
  stale.index = 0;
  CHECK(h.Append(stale).message() ==
        "op index 0 does not increase (the previous op has index 0)");
  CHECK(h.size() == 1);
}

TEST_CASE("History keeps recorded sparse indices and finds them", "[history]") {
  History h;
  for (int64_t idx : {3, 7, 8, 20}) {
    Op op = Make(idx % 2 ? OpType::kInvoke : OpType::kOk, 0, "read");
    op.type = (h.size() % 2 == 0) ? OpType::kInvoke : OpType::kOk;
    op.index = idx;
    REQUIRE(h.Append(op).ok());
  }
  CHECK(h.PositionOfIndex(8) == 2u);
  CHECK(h.PositionOfIndex(9) == std::nullopt);
  CHECK(h.PositionOfIndex(20) == 3u);
}

TEST_CASE("History iterates per process and over clients", "[history]") {
  History h;
  REQUIRE(h.Append(Make(OpType::kInvoke, 0, "read")).ok());
  REQUIRE(h.Append(Make(OpType::kInfo, kNemesisProcess, "kill")).ok());
  REQUIRE(h.Append(Make(OpType::kInvoke, 5, "read")).ok());
  REQUIRE(h.Append(Make(OpType::kInfo, 0, "read")).ok());
  REQUIRE(h.Append(Make(OpType::kInvoke, 10, "read")).ok());
  CHECK(h.Processes() == std::vector<int64_t>{-1, 0, 5, 10});
  HistoryView p0 = h.OfProcess(0);
  REQUIRE(p0.size() == 2);
  CHECK(p0.position(1) == 3);
  CHECK(p0[1].is_info());
  size_t clients = 0;
  for (const Op& op : h.Clients()) clients += op.is_client();
  CHECK(clients == 4);
}

TEST_CASE("History grows across chunk boundaries without moving ops", "[history]") {
  History h;
  for (int i = 0; i < 10000; ++i) {
    REQUIRE(h.Append(Make(i % 2 ? OpType::kOk : OpType::kInvoke, 0, "inc", i / 2)).ok());
  }
  const Op* first = &h[0];
  REQUIRE(h.Append(Make(OpType::kInvoke, 0, "inc")).ok());
  CHECK(first == &h[0]);
  CHECK(h.Completion(9998)->value == Value(4999));
  History copy = h;
  CHECK(copy.size() == h.size());
  CHECK(copy[5000] == h[5000]);
}

TEST_CASE("Op converts to and from Jepsen's op map", "[history]") {
  Op op{.index = 4,
        .time = 99,
        .type = OpType::kFail,
        .process = 2,
        .f = Value::Keyword("cas"),
        .value = Value::Vector({1, 2}),
        .error = Value::Keyword("mismatch"),
        .extra = Value::Map({{Value::Keyword("node"), Value::String("n1")}})};
  Value v = op.ToValue();
  CHECK(v.ToEdn() ==
        "{:index 4, :time 99, :type :fail, :process 2, :f :cas, :value [1 2], "
        ":error :mismatch, :node \"n1\"}");
  Result<Op> back = Op::FromValue(v);
  REQUIRE(back.ok());
  CHECK(*back == op);
  CHECK(Op::FromValue(Value::Map({{Value::Keyword("type"), Value::Keyword("oops")},
                                  {Value::Keyword("process"), 0}}))
            .status()
            .message() == ":type must be one of :invoke, :ok, :fail, :info, not :oops");
  CHECK(Op::FromValue(Value::Vector({})).status().message() ==
        "expected an op map like {:type :invoke, :f :read, :process 0}, not []");
}

}  // namespace
}  // namespace jepsen
