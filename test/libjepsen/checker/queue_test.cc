#include "jepsen/checker/queue.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"

namespace jepsen {
namespace {

CheckResult Check(std::string_view edn) {
  Result<History> h = ParseHistory(edn);
  REQUIRE(h.ok());
  return MakeQueueChecker()->Check({}, *h);
}

TEST_CASE("Queue checker accepts dequeues of enqueued values in any order",
          "[checker][queue]") {
  // The dequeue of 2 overlaps its (crashed) enqueue: it may have taken effect.
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :ok, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 1, :f :dequeue, :value nil}
{:type :invoke, :process 0, :f :enqueue, :value 2}
{:type :ok, :process 1, :f :dequeue, :value 2}
{:type :info, :process 0, :f :enqueue, :value 2}
{:type :invoke, :process 2, :f :enqueue, :value 3}
{:type :ok, :process 2, :f :enqueue, :value 3}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:enqueue-count 3, :dequeue-count 1, :empty-dequeue-count 0, :final-queue [1 3]}");
}

TEST_CASE("Queue checker rejects a dequeue from nowhere", "[checker][queue]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :fail, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 1, :f :dequeue, :value nil}
{:type :ok, :process 1, :f :dequeue, :value 1}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("error")->AsString() == "can't dequeue 1");
  CHECK(r.details.Find("op")->ToEdn() ==
        "{:index 3, :type :ok, :process 1, :f :dequeue, :value 1}");
}

TEST_CASE("Queue checker rejects a value dequeued twice", "[checker][queue]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :ok, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 1, :f :drain, :value nil}
{:type :ok, :process 1, :f :drain, :value [1 1]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("dequeue-count")->AsInt() == 2);
}

}  // namespace
}  // namespace jepsen
