#include "jepsen/report.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/checker/linearizable.h"
#include "jepsen/runner.h"
#include "libjepsen/report/svg_check.h"
#include "support/parse.h"
#include "support/register_client.h"
#include "support/stale_read_checker.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using testing::MustParse;
using testing::ParseSvg;
using testing::ReadFile;
using testing::WithClass;

Value Kw(const char* k) { return Value::Keyword(k); }

constexpr const char* kHistory = R"(
{:index 0 :time 0 :type :invoke :process 0 :f :write :value 1}
{:index 1 :time 2000000 :type :ok :process 0 :f :write :value 1}
{:index 2 :time 3000000 :type :info :process :nemesis :f :break :value nil}
{:index 3 :time 4000000 :type :info :process :nemesis :f :break :value nil}
{:index 4 :time 5000000 :type :invoke :process 0 :f :read :value nil}
{:index 5 :time 9000000 :type :ok :process 0 :f :read :value 1}
{:index 6 :time 9500000 :type :info :process :nemesis :f :fix :value nil}
{:index 7 :time 9600000 :type :info :process :nemesis :f :fix :value nil}
)";

TEST_CASE("WriteReports writes every report and an index linking them", "[report]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("history.jsonl"), "{}\n");
  History h = MustParse(kHistory);
  Value perf = Value::Map({{Kw("break"), Value::Map({{Kw("name"), Value::String("breakage")},
                                                     {Kw("stop"), Kw("fix")}})}});
  Result<std::vector<std::string>> written = WriteReports(
      dir.path(), h,
      {.test_name = "demo",
       .test = Value::Map({{Kw("name"), Value::String("demo")}, {Kw("nemesis-perf"), perf}}),
       .results = Value::Map({{Kw("valid?"), Value::Bool(true)}})});
  REQUIRE(written.ok());
  CHECK(*written == std::vector<std::string>{"latency-raw.svg", "latency-quantiles.svg",
                                             "rate.svg", "timeline.html", "index.html"});
  auto raw = ParseSvg(ReadFile(dir.File("latency-raw.svg")));
  auto bands = WithClass(*raw, "nemesis-band");
  REQUIRE(bands.size() == 1);
  CHECK(bands[0]->Attr("data-fault") == "breakage");  // the test's :nemesis-perf
  std::string index = ReadFile(dir.File("index.html"));
  CHECK(index.find("id=\"verdict\" class=\"verdict valid\">valid<") != std::string::npos);
  for (const char* f : {"history.jsonl", "latency-raw.svg", "latency-quantiles.svg", "rate.svg",
                        "timeline.html"}) {
    INFO(f);
    CHECK(index.find(fmt::format("<a href=\"{0}\">{0}</a>", f)) != std::string::npos);
  }
  CHECK(index.find("index.html<") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.File("clock.svg")));
}

TEST_CASE("WriteReports reads test.json and results.json when not given", "[report]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("test.json"), R"({"name": "stored-run", "seed": 42})");
  testing::WriteFile(dir.File("results.json"), R"({"valid?": false})");
  REQUIRE(WriteReports(dir.path(), History(), {}).ok());
  std::string index = ReadFile(dir.File("index.html"));
  CHECK(index.find("<h1>stored-run</h1>") != std::string::npos);
  CHECK(index.find(">invalid<") != std::string::npos);
  CHECK(ReadFile(dir.File("timeline.html")).find("0 operations on 0 processes") !=
        std::string::npos);
}

// The data-fault of the one band in <dir>/latency-raw.svg, or "" if not exactly one.
std::string OnlyBand(const testing::TempDir& dir) {
  auto raw = ParseSvg(ReadFile(dir.File("latency-raw.svg")));
  auto bands = WithClass(*raw, "nemesis-band");
  return bands.size() == 1 ? bands[0]->Attr("data-fault") : "";
}

TEST_CASE("WriteReports names faults from test.json's nemesis-perf", "[report]") {
  History h = MustParse(kHistory);
  testing::TempDir stored;
  testing::WriteFile(stored.File("test.json"),
                     R"({"name": "s", "nemesis-perf": {"break": {"name": "cut", "stop": "fix"}},
                         "options": {"perf": {"break": {"name": "ignored", "stop": "fix"}}}})");
  REQUIRE(WriteReports(stored.path(), h, {}).ok());
  CHECK(OnlyBand(stored) == "cut");

  // The argument beats the stored description.
  Value given = Value::Map({{Kw("break"), Value::Map({{Kw("name"), Value::String("given")},
                                                      {Kw("stop"), Kw("fix")}})}});
  REQUIRE(WriteReports(stored.path(), h, {.nemesis_perf = given}).ok());
  CHECK(OnlyBand(stored) == "given");

  // Runs stored before Test::nemesis_perf kept the map in their options.
  testing::TempDir old;
  testing::WriteFile(old.File("test.json"),
                     R"({"name": "o", "options": {"perf": {"break": {"name": "old", "stop": "fix"}}}})");
  REQUIRE(WriteReports(old.path(), h, {}).ok());
  CHECK(OnlyBand(old) == "old");

  // Without a perf map, :break has no known stop: each break op is its own band.
  testing::TempDir none;
  REQUIRE(WriteReports(none.path(), h, {}).ok());
  CHECK(OnlyBand(none).empty());
}

TEST_CASE("WritePerfPlots writes the three perf plots and names a failure", "[report]") {
  testing::TempDir dir;
  History h = MustParse(kHistory);
  std::vector<std::string> written;
  REQUIRE(WritePerfPlots(dir.path(), h, {}, {.test_name = "p"}, &written).ok());
  CHECK(written == std::vector<std::string>{"latency-raw.svg", "latency-quantiles.svg",
                                            "rate.svg"});
  CHECK(ParseSvg(ReadFile(dir.File("rate.svg"))) != nullptr);
  CHECK_FALSE(std::filesystem::exists(dir.File("index.html")));
  written.clear();
  Status s = WritePerfPlots(dir.File("missing"), h, {}, {}, &written);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("latency-raw.svg") != std::string::npos);
  CHECK(written.empty());
}

TEST_CASE("WriteReports writes clock.svg when clock faults ran", "[report]") {
  testing::TempDir dir;
  History h = MustParse(R"(
{:time 0 :type :info :process :nemesis :f :strobe-clock :value :one}
{:time 1000000 :type :info :process :nemesis :f :strobe-clock :value {"n2" 250}}
)");
  Result<std::vector<std::string>> written = WriteReports(dir.path(), h, {.test_name = "c"});
  REQUIRE(written.ok());
  CHECK(std::find(written->begin(), written->end(), "clock.svg") != written->end());
  auto root = ParseSvg(ReadFile(dir.File("clock.svg")));
  CHECK(WithClass(*root, "series").size() == 1);
}

TEST_CASE("WriteReports names a missing directory", "[report]") {
  Result<std::vector<std::string>> r =
      WriteReports("/nonexistent/jepsen-report", History(), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "report directory /nonexistent/jepsen-report does not exist");
}

TEST_CASE("The linearizability counterexample SVG fits its text and escapes it", "[report]") {
  History h;
  auto add = [&](int64_t p, OpType t, const char* f, Value v) {
    REQUIRE(h.Append({.type = t, .process = p, .f = Kw(f), .value = v}).ok());
  };
  Value long_value = Value::String(std::string(200, 'x') + "<&>");
  add(0, OpType::kInvoke, "write", long_value);
  add(0, OpType::kOk, "write", long_value);
  add(1, OpType::kInvoke, "write", 2);
  add(2, OpType::kInvoke, "read", Value());
  add(1, OpType::kOk, "write", 2);
  add(2, OpType::kOk, "read", 3);
  testing::TempDir dir;
  auto checker = MakeLinearizableChecker({.model = MakeRegisterModel()});
  CheckResult r = checker->Check({.out_dir = dir.path().string()}, h);
  REQUIRE(r.validity == Validity::kInvalid);
  std::string svg = ReadFile(dir.File("linearizable.svg"));
  auto root = ParseSvg(svg);
  auto titles = WithClass(*root, "title");
  REQUIRE(!titles.empty());
  CHECK(titles[0]->text.rfind("Not linearizable: process 2 :read 3", 0) == 0);
  double width = std::stod(root->Attr("width"));
  // Every text fits in the canvas (at the generous width estimate of 0.62 em).
  root->Walk([&](const testing::XmlNode& n) {
    if (n.name != "text") return;
    double size = n.Attr("font-size").empty() ? 11 : std::stod(n.Attr("font-size"));
    size_t chars = 0;
    for (unsigned char c : n.text) chars += (c & 0xC0) != 0x80;
    INFO(n.text);
    CHECK(std::stod(n.Attr("x")) + static_cast<double>(chars) * size * 0.62 <= width + 1);
  });
  CHECK(WithClass(*root, "op").size() == 3);
  CHECK(WithClass(*root, "legend").size() == 1);
}

TEST_CASE("The runner writes the reports into the run's store directory", "[report]") {
  using namespace std::chrono_literals;
  testing::TempDir dir;
  Test test;
  test.name = "reported";
  test.nodes = {"n1"};
  test.concurrency = 2;
  test.seed = 91;
  test.store_dir = dir.File("store");
  test.client = std::make_unique<testing::RegisterClient>(testing::RegisterBehavior{});
  test.generator = gen::Clients(gen::TimeLimit(
      200ms, gen::Stagger(1ms, gen::Repeat(gen::Invoke("read")))));
  test.checker = std::make_unique<testing::StaleReadChecker>();
  test.nemesis_perf = Value::Map({{Kw("break"), Value::Map({{Kw("name"), Value::String("cut")}})}});
  Result<RunResult> r = Run(test, {.progress = false});
  REQUIRE(r.ok());
  INFO(r->result.ToValue().ToEdn());
  REQUIRE(r->result.validity == Validity::kValid);
  for (const char* f : {"latency-raw.svg", "latency-quantiles.svg", "rate.svg", "timeline.html",
                        "index.html", "history.jsonl", "results.json"}) {
    INFO(f);
    CHECK(std::filesystem::exists(std::filesystem::path(r->run_dir) / f));
  }
  std::string index = ReadFile(r->run_dir + "/index.html");
  CHECK(index.find("<h1>reported</h1>") != std::string::npos);
  CHECK(index.find("id=\"verdict\" class=\"verdict valid\">valid<") != std::string::npos);
  CHECK(index.find("<th>seed</th><td><pre>91</pre>") != std::string::npos);
  CHECK(ReadFile(r->run_dir + "/test.json")
            .find(R"("nemesis-perf":{"break":{"name":"cut"}})") != std::string::npos);
  size_t invocations = 0;
  for (const Op& op : r->history) invocations += op.is_invoke();
  CHECK(ReadFile(r->run_dir + "/timeline.html")
            .find(fmt::format("{} operations on", invocations)) != std::string::npos);
  CHECK(ReadFile(r->run_dir + "/jepsen.log").find("report: " + r->run_dir + "/index.html") !=
        std::string::npos);
}

}  // namespace
}  // namespace jepsen
