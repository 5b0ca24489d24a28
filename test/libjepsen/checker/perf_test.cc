#include "jepsen/checker/perf.h"

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "libjepsen/report/svg_check.h"
#include "support/parse.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using testing::ReadFile;
using testing::WithClass;

constexpr const char* kHistory = R"(
{:index 0 :time 0 :type :invoke :process 0 :f :write :value 1}
{:index 1 :time 2000000 :type :ok :process 0 :f :write :value 1}
{:index 2 :time 3000000 :type :info :process :nemesis :f :cut :value nil}
{:index 3 :time 4000000 :type :info :process :nemesis :f :cut :value nil}
{:index 4 :time 5000000 :type :invoke :process 0 :f :read :value nil}
{:index 5 :time 9000000 :type :fail :process 0 :f :read :value nil}
{:index 6 :time 9500000 :type :info :process :nemesis :f :mend :value nil}
{:index 7 :time 9600000 :type :info :process :nemesis :f :mend :value nil}
)";

std::vector<std::string> Plots(const CheckResult& r) {
  std::vector<std::string> names;
  const Value* plots = r.details.Find(Value::Keyword("plots"));
  REQUIRE(plots != nullptr);
  for (const Value& v : plots->elements()) names.push_back(std::string(v.AsString()));
  return names;
}

TEST_CASE("Perf checker writes the three plots with the nemesis perf bands", "[checker][perf]") {
  testing::TempDir dir;
  Value perf = Value::Map(
      {{Value::Keyword("cut"), Value::Map({{Value::Keyword("name"), Value::String("partition")},
                                           {Value::Keyword("stop"), Value::Keyword("mend")}})}});
  auto checker = MakePerfChecker({.test_name = "perf-demo", .nemesis_perf = perf});
  // An invalid-looking history (a read that never succeeded) is still valid here.
  CheckResult r = checker->Check({.out_dir = dir.path().string()}, testing::MustParse(kHistory));
  CHECK(r.validity == Validity::kValid);
  CHECK(Plots(r) == std::vector<std::string>{"latency-raw.svg", "latency-quantiles.svg",
                                             "rate.svg"});
  CHECK(r.details.Find(Value::Keyword("error")) == nullptr);
  for (const char* f : {"latency-raw.svg", "latency-quantiles.svg", "rate.svg"}) {
    INFO(f);
    auto root = testing::ParseSvg(ReadFile(dir.File(f)));
    REQUIRE(root != nullptr);
    auto bands = WithClass(*root, "nemesis-band");
    REQUIRE(bands.size() == 1);
    CHECK(bands[0]->Attr("data-fault") == "partition");
  }
  CHECK(ReadFile(dir.File("rate.svg")).find("perf-demo") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("index.html")));
}

TEST_CASE("Perf checker without an output directory writes nothing", "[checker][perf]") {
  CheckResult r = MakePerfChecker()->Check({}, testing::MustParse(kHistory));
  CHECK(r.validity == Validity::kValid);
  CHECK(Plots(r).empty());
  CHECK(r.ToValue().ToEdn() == "{:valid? true, :plots []}");
}

TEST_CASE("Perf checker reports a plot it could not write and stays valid", "[checker][perf]") {
  testing::TempDir dir;
  CheckResult r = MakePerfChecker()->Check({.out_dir = dir.File("no/such/dir")},
                                           testing::MustParse(kHistory));
  CHECK(r.validity == Validity::kValid);
  CHECK(Plots(r).empty());
  const Value* error = r.details.Find(Value::Keyword("error"));
  REQUIRE(error != nullptr);
  CHECK(std::string(error->AsString()).find("latency-raw.svg") != std::string::npos);
}

}  // namespace
}  // namespace jepsen
