#include "jepsen/checker/total_queue.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"

namespace jepsen {
namespace {

CheckResult Check(std::string_view edn) {
  Result<History> h = ParseHistory(edn);
  REQUIRE(h.ok());
  return MakeTotalQueueChecker()->Check({}, *h);
}

TEST_CASE("Total-queue checker accepts a fully drained queue", "[checker][total-queue]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :ok, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :ok, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 1, :f :dequeue, :value nil}
{:type :ok, :process 1, :f :dequeue, :value 1}
{:type :invoke, :process 1, :f :dequeue, :value nil}
{:type :ok, :process 1, :f :dequeue, :value nil}
{:type :invoke, :process 1, :f :drain, :value nil}
{:type :ok, :process 1, :f :drain, :value [1]}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:attempt-count 2, :acknowledged-count 2, :ok-count 2, :unexpected-count 0, "
        ":duplicated-count 0, :lost-count 0, :recovered-count 0, :empty-dequeue-count 1, "
        ":lost [], :unexpected [], :duplicated [], :recovered []}");
}

TEST_CASE("Total-queue checker counts every category", "[checker][total-queue]") {
  // 1 lost; 2 recovered (its enqueue crashed); 3 duplicated; 9 unexpected; 4 failed.
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :enqueue, :value 1}
{:type :ok, :process 0, :f :enqueue, :value 1}
{:type :invoke, :process 0, :f :enqueue, :value 2}
{:type :info, :process 0, :f :enqueue, :value 2}
{:type :invoke, :process 1, :f :enqueue, :value 3}
{:type :ok, :process 1, :f :enqueue, :value 3}
{:type :invoke, :process 1, :f :enqueue, :value 4}
{:type :fail, :process 1, :f :enqueue, :value 4}
{:type :invoke, :process 2, :f :dequeue, :value nil}
{:type :ok, :process 2, :f :dequeue, :value 3}
{:type :invoke, :process 2, :f :drain, :value nil}
{:type :ok, :process 2, :f :drain, :value [2 3 9]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.ToEdn().starts_with(
      "{:attempt-count 4, :acknowledged-count 2, :ok-count 2, :unexpected-count 1, "
      ":duplicated-count 1, :lost-count 1, :recovered-count 1, :empty-dequeue-count 0, "
      ":lost [1], :unexpected [9], :duplicated [3], :recovered [2], :explanation "));
}

TEST_CASE("Total-queue checker is unknown after a crashed drain", "[checker][total-queue]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :drain, :value nil}
{:type :info, :process 0, :f :drain, :value nil}
)");
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("error")->AsString().starts_with("a :drain crashed"));
}

}  // namespace
}  // namespace jepsen
