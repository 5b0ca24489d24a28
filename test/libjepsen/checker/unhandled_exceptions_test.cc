#include "jepsen/checker/unhandled_exceptions.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"

namespace jepsen {
namespace {

CheckResult Check(std::string_view edn) {
  Result<History> h = ParseHistory(edn);
  REQUIRE(h.ok());
  return MakeUnhandledExceptionsChecker()->Check({}, *h);
}

TEST_CASE("Unhandled-exceptions checker groups info errors by type, most frequent first",
          "[checker][unhandled-exceptions]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :read, :value nil}
{:type :info, :process 0, :f :read, :value nil, :error [:exception "boom"]}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :info, :process 1, :f :read, :value nil, :error [:timeout "after 5 s"]}
{:type :invoke, :process 2, :f :write, :value 1}
{:type :info, :process 2, :f :write, :value 1, :error [:timeout "after 5 s"]}
{:type :invoke, :process 3, :f :write, :value 1}
{:type :info, :process 3, :f :write, :value 1, :exception {:via [{:type java.net.SocketException, :message "reset"}]}, :error "reset"}
{:type :invoke, :process 4, :f :write, :value 1}
{:type :fail, :process 4, :f :write, :value 1, :error [:timeout "fail, not info"]}
{:type :invoke, :process 5, :f :write, :value 1}
{:type :info, :process 5, :f :write, :value 1}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:count 4, :exceptions [{:class :timeout, :count 2, :example {:index 3, :type :info, "
        ":process 1, :f :read, :value nil, :error [:timeout \"after 5 s\"]}} "
        "{:class :exception, :count 1, :example {:index 1, :type :info, :process 0, :f :read, "
        ":value nil, :error [:exception \"boom\"]}} {:class java.net.SocketException, "
        ":count 1, :example {:index 7, :type :info, :process 3, :f :write, :value 1, "
        ":error \"reset\", :exception {:via [{:type java.net.SocketException, :message "
        "\"reset\"}]}}}]}");
}

TEST_CASE("Unhandled-exceptions checker without errors leaves :exceptions out",
          "[checker][unhandled-exceptions]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value 1}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() == "{:count 0}");
}

}  // namespace
}  // namespace jepsen
