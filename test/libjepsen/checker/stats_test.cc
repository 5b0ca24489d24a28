#include "jepsen/checker/stats.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/checker/set_full.h"
#include "jepsen/checker/unique_ids.h"
#include "jepsen/history_io.h"
#include "support/parse.h"

namespace jepsen {
namespace {

History Parse(std::string_view edn) { return testing::MustParse(edn); }

constexpr std::string_view kWritesNeverSucceed = R"(
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value 1}
{:type :invoke, :process 0, :f :write, :value 2}
{:type :fail, :process 0, :f :write, :value 2}
{:type :invoke, :process 1, :f :write, :value 3}
{:type :info, :process 1, :f :write, :value 3}
{:type :info, :process :nemesis, :f :kill, :value nil}
{:type :info, :process :nemesis, :f :kill, :value :done}
{:type :invoke, :process 0, :f :read, :value nil}
)";

TEST_CASE("Stats checker counts outcomes per f and flags an f that never succeeded",
          "[checker][stats]") {
  CheckResult r = MakeStatsChecker()->Check({}, Parse(kWritesNeverSucceed));
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.ToEdn() ==
        "{:count 3, :ok-count 1, :fail-count 1, :info-count 1, :by-f {:read {:valid? true, "
        ":count 1, :ok-count 1, :fail-count 0, :info-count 0}, :write {:valid? false, "
        ":count 2, :ok-count 0, :fail-count 1, :info-count 1}}, :explanation \"Some "
        "operations never succeeded: :write (1 fail, 1 info). The client or the cluster is "
        "probably broken for them, so the other checkers saw nothing of them.\"}");
}

TEST_CASE("Stats checker is valid when every f succeeded at least once",
          "[checker][stats]") {
  CheckResult r = MakeStatsChecker()->Check({}, Parse(R"(
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value 1}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :fail, :process 0, :f :read, :value nil}
)"));
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.Find("count")->AsInt() == 2);
}

TEST_CASE("Basic checkers compose: invalid beats unknown beats valid", "[checker][stats]") {
  History h = Parse(kWritesNeverSucceed);
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> both;
  both.emplace_back("set", MakeSetFullChecker());  // nothing added: unknown
  both.emplace_back("ids", MakeUniqueIdsChecker());
  CheckResult unknown = Compose(std::move(both))->Check({}, h);
  CHECK(unknown.validity == Validity::kUnknown);
  CHECK(unknown.ToValue().Find("ids")->Find("valid?")->ToEdn() == "true");

  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> three;
  three.emplace_back("set", MakeSetFullChecker());
  three.emplace_back("stats", MakeStatsChecker());
  three.emplace_back("ids", MakeUniqueIdsChecker());
  CheckResult invalid = Compose(std::move(three))->Check({}, h);
  CHECK(invalid.validity == Validity::kInvalid);
  CHECK(invalid.ToValue().Find("set")->Find("valid?")->ToEdn() == ":unknown");
  CHECK(invalid.ToValue().Find("stats")->Find("valid?")->ToEdn() == "false");
}

}  // namespace
}  // namespace jepsen
