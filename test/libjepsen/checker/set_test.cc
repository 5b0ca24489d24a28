#include "jepsen/checker/set.h"

#include <string_view>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"
#include "support/parse.h"

namespace jepsen {
namespace {

History Parse(std::string_view edn) { return testing::MustParse(edn); }

CheckResult Check(std::string_view edn) { return MakeSetChecker()->Check({}, Parse(edn)); }

// The details without the explanation, as EDN.
std::string Counts(const CheckResult& r) {
  std::vector<MapEntry> kept;
  for (const MapEntry& e : r.details.entries()) {
    if (!e.key.IsKeyword("explanation") && !e.key.IsKeyword("final-read-index")) kept.push_back(e);
  }
  return Value::Map(std::move(kept)).ToEdn();
}

TEST_CASE("Set checker accepts a final read of every acknowledged add", "[checker][set]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :add, :value 2}
{:type :ok, :process 1, :f :add, :value 2}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value #{1 2}}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(Counts(r) ==
        "{:attempt-count 2, :acknowledged-count 2, :ok-count 2, :lost-count 0, "
        ":recovered-count 0, :unexpected-count 0, :ok #{1 2}, :lost #{}, :unexpected #{}, "
        ":recovered #{}}");
  CHECK(r.details.Find("explanation") == nullptr);
}

TEST_CASE("Set checker counts lost, unexpected and recovered elements", "[checker][set]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :add, :value 2}
{:type :info, :process 1, :f :add, :value 2}
{:type :invoke, :process 2, :f :add, :value 3}
{:type :ok, :process 2, :f :add, :value 3}
{:type :invoke, :process 3, :f :add, :value 4}
{:type :fail, :process 3, :f :add, :value 4}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value [1 2 9]}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value [3 2 1 9]}
)");
  // The last read counts: 3 is there, 1 and 2 too; 9 was never added.
  CHECK(r.validity == Validity::kInvalid);
  CHECK(Counts(r) ==
        "{:attempt-count 4, :acknowledged-count 2, :ok-count 3, :lost-count 0, "
        ":recovered-count 1, :unexpected-count 1, :ok #{1 2 3}, :lost #{}, "
        ":unexpected #{9}, :recovered #{2}}");
  CHECK(r.details.Find("explanation")->AsString() ==
        "The final read (index 11) holds 1 element(s) that no :add ever attempted "
        "(unexpected: #{9}).");
}

TEST_CASE("Set checker reports an acknowledged add missing from the final read",
          "[checker][set]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :add, :value 2}
{:type :ok, :process 1, :f :add}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :ok, :process 0, :f :read, :value [1]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(*r.details.Find("lost") == Value::Set({2}));
  CHECK(r.details.Find("lost-count")->AsInt() == 1);
}

TEST_CASE("Set checker is unknown when the set was never read", "[checker][set]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 0, :f :read, :value nil}
{:type :fail, :process 0, :f :read, :value nil}
)");
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("error")->AsString() == "Set was never read");
}

TEST_CASE("Set checker accepts f and values spelled as JSON strings", "[checker][set]") {
  CheckResult r = Check(R"(
{"index":0,"type":"invoke","process":0,"f":"add","value":1}
{"index":1,"type":"ok","process":0,"f":"add","value":1}
{"index":2,"type":"invoke","process":0,"f":"read","value":null}
{"index":3,"type":"ok","process":0,"f":"read","value":[]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(*r.details.Find("lost") == Value::Set({1}));
}

}  // namespace
}  // namespace jepsen
