#include "jepsen/checker/unique_ids.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"

namespace jepsen {
namespace {

CheckResult Check(std::string_view edn) {
  Result<History> h = ParseHistory(edn);
  REQUIRE(h.ok());
  return MakeUniqueIdsChecker()->Check({}, *h);
}

TEST_CASE("Unique-ids checker accepts distinct ids", "[checker][unique-ids]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :generate, :value nil}
{:type :ok, :process 0, :f :generate, :value 3}
{:type :invoke, :process 1, :f :generate, :value nil}
{:type :ok, :process 1, :f :generate, :value 1}
{:type :invoke, :process 2, :f :generate, :value nil}
{:type :info, :process 2, :f :generate, :value nil}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:attempted-count 3, :acknowledged-count 2, :duplicated-count 0, :duplicated {}, "
        ":range [1 3]}");
}

TEST_CASE("Unique-ids checker reports ids handed out twice", "[checker][unique-ids]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :generate, :value nil}
{:type :ok, :process 0, :f :generate, :value 7}
{:type :invoke, :process 1, :f :generate, :value nil}
{:type :ok, :process 1, :f :generate, :value 7}
{:type :invoke, :process 0, :f :generate, :value nil}
{:type :ok, :process 0, :f :generate, :value 7}
{:type :invoke, :process 0, :f :generate, :value nil}
{:type :ok, :process 0, :f :generate, :value 2}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("duplicated")->ToEdn() == "{7 3}");
  CHECK(r.details.Find("duplicated-count")->AsInt() == 1);
  CHECK(r.details.Find("range")->ToEdn() == "[2 7]");
  CHECK(r.details.Find("explanation")->AsString() ==
        "1 id(s) were handed out more than once among 4 acknowledged :generate ops, e.g. 7 "
        "(3 times).");
}

TEST_CASE("Unique-ids checker with nothing generated is valid", "[checker][unique-ids]") {
  CheckResult r = Check("{:type :invoke, :process 0, :f :read, :value nil}\n");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.Find("range")->is_nil());
}

}  // namespace
}  // namespace jepsen
