#include "jepsen/checker/timeline.h"

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "support/parse.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using testing::ReadFile;

// Two keys (0 and "a b"), a nemesis op, a failed read with no value, and an op whose
// value is not a [key value] tuple.
constexpr const char* kHistory = R"(
{:index 0 :time 0 :type :invoke :process 0 :f :write :value [0 3]}
{:index 1 :time 10 :type :invoke :process 1 :f :write :value ["a b" 4]}
{:index 2 :time 15 :type :info :process :nemesis :f :start :value nil}
{:index 3 :time 20 :type :ok :process 0 :f :write :value [0 3]}
{:index 4 :time 30 :type :invoke :process 0 :f :read :value [0 nil]}
{:index 5 :time 40 :type :ok :process 1 :f :write :value ["a b" 4]}
{:index 6 :time 50 :type :fail :process 0 :f :read :value nil}
{:index 7 :time 60 :type :invoke :process 2 :f :read :value 7}
{:index 8 :time 70 :type :ok :process 2 :f :read :value 7}
{:index 9 :time 80 :type :invoke :process 1 :f :read :value ["a b" nil]}
{:index 10 :time 90 :type :ok :process 1 :f :read :value ["a b" 4]}
{:index 11 :time 95 :type :info :process :nemesis :f :stop :value nil}
)";

std::vector<std::string> Files(const CheckResult& r) {
  std::vector<std::string> names;
  const Value* files = r.details.Find(Value::Keyword("files"));
  REQUIRE(files != nullptr);
  for (const Value& v : files->elements()) names.push_back(std::string(v.AsString()));
  return names;
}

TEST_CASE("Timeline checker writes one page per key of an independent history",
          "[checker][timeline]") {
  testing::TempDir dir;
  auto checker = MakeTimelineChecker({.test_name = "reg", .independent = true});
  CheckResult r = checker->Check({.out_dir = dir.path().string()}, testing::MustParse(kHistory));
  CHECK(r.validity == Validity::kValid);
  CHECK(Files(r) == std::vector<std::string>{"independent/0/timeline.html",
                                             "independent/_a_b_/timeline.html"});
  CHECK(r.details.Find(Value::Keyword("key-count"))->AsInt() == 2);
  CHECK(r.details.Find(Value::Keyword("skipped-ops"))->AsInt() == 2);  // the bare read
  CHECK(r.details.Find(Value::Keyword("error")) == nullptr);

  std::string zero = ReadFile(dir.File("independent/0/timeline.html"));
  CHECK_THAT(zero, Catch::Contains("<title>reg key 0 timeline</title>"));
  CHECK_THAT(zero, Catch::Contains("2 operations on 1 processes"));
  std::string ab = ReadFile(dir.File("independent/_a_b_/timeline.html"));
  CHECK_THAT(ab, Catch::Contains("<title>reg key &quot;a b&quot; timeline</title>"));
  CHECK_THAT(ab, Catch::Contains("2 operations on 1 processes"));
  // Values are unwrapped: the page shows 4, never the tuple.
  CHECK_THAT(ab, !Catch::Contains("[\\\"a b\\\" 4]") && !Catch::Contains("[&quot;a b&quot; 4]"));
}

TEST_CASE("Timeline checker writes the whole history's page, or nothing without a directory",
          "[checker][timeline]") {
  testing::TempDir dir;
  History h = testing::MustParse(kHistory);
  CheckResult r = MakeTimelineChecker({.test_name = "all"})->Check({.out_dir = dir.path().string()}, h);
  CHECK(r.validity == Validity::kValid);
  CHECK(Files(r) == std::vector<std::string>{"timeline.html"});
  CHECK_THAT(ReadFile(dir.File("timeline.html")), Catch::Contains("6 operations on 4 processes"));

  CheckResult none = MakeTimelineChecker({.independent = true})->Check({}, h);
  CHECK(none.validity == Validity::kValid);
  CHECK(Files(none).empty());
}

TEST_CASE("Timeline checker names a page it cannot write", "[checker][timeline]") {
  testing::TempDir dir;
  std::string blocked = dir.File("file");
  { std::ofstream(blocked) << "not a directory"; }
  CheckResult r = MakeTimelineChecker({.independent = true})
                      ->Check({.out_dir = blocked}, testing::MustParse(kHistory));
  CHECK(r.validity == Validity::kValid);
  const Value* error = r.details.Find(Value::Keyword("error"));
  REQUIRE(error != nullptr);
  CHECK_THAT(std::string(error->AsString()), Catch::Contains("independent/0/timeline.html"));
}

}  // namespace
}  // namespace jepsen
