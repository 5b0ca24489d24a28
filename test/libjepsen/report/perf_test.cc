#include "jepsen/report/perf.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "libjepsen/report/svg_check.h"
#include "support/parse.h"

namespace jepsen {
namespace {

using testing::LegendLabels;
using testing::MustParse;
using testing::ParseSvg;
using testing::WithClass;

// Two clients and a partition from 1 s to 3 s; times in ns. Process 1's read ends in
// :info, its write in :fail.
constexpr const char* kHistory = R"(
{:index 0 :time 0 :type :invoke :process 0 :f :write :value 1}
{:index 1 :time 100000000 :type :invoke :process 1 :f :read :value nil}
{:index 2 :time 105000000 :type :ok :process 0 :f :write :value 1}
{:index 3 :time 1000000000 :type :info :process :nemesis :f :start-partition :value :majority}
{:index 4 :time 1010000000 :type :info :process :nemesis :f :start-partition :value [:isolated {"n1" #{"n2"}}]}
{:index 5 :time 1500000000 :type :info :process 1 :f :read :value nil :error :timeout}
{:index 6 :time 1600000000 :type :invoke :process 0 :f :read :value nil}
{:index 7 :time 1650000000 :type :ok :process 0 :f :read :value 1}
{:index 8 :time 3000000000 :type :info :process :nemesis :f :stop-partition :value nil}
{:index 9 :time 3020000000 :type :info :process :nemesis :f :stop-partition :value :network-healed}
{:index 10 :time 3100000000 :type :invoke :process 3 :f :write :value 2}
{:index 11 :time 3400000000 :type :fail :process 3 :f :write :value 2 :error :conflict}
)";

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_CASE("Fault intervals pair start and stop ops by convention", "[report]") {
  History h = MustParse(kHistory);
  std::vector<FaultInterval> f = FaultIntervals(h, Value());
  REQUIRE(f.size() == 1);
  CHECK(f[0].name == "partition");
  CHECK(f[0].start == Approx(1.0));
  CHECK(f[0].end == Approx(3.02));
  CHECK_FALSE(f[0].open_ended);
}

TEST_CASE("A fault whose start failed draws no band", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :info :process :nemesis :f :start-partition :value :one}
{:time 10 :type :fail :process :nemesis :f :start-partition :value :one :error "no route"}
{:time 20 :type :info :process :nemesis :f :kill :value :one}
{:time 30 :type :info :process :nemesis :f :kill :value :one :error "command exited 1"}
{:time 40 :type :info :process :nemesis :f :start :value :all}
{:time 50 :type :info :process :nemesis :f :start :value {"n1" :started}}
)");
  std::vector<FaultInterval> f = FaultIntervals(h, Value());
  REQUIRE(f.size() == 1);  // the kill may have half-happened: drawn
  CHECK(f[0].name == "kill");
  CHECK(f[0].end == Approx(50e-9));
}

TEST_CASE("Fault intervals use the perf map's names, colours and stop ops", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :info :process :nemesis :f :kill :value :one}
{:time 10 :type :info :process :nemesis :f :kill :value {"n1" :killed}}
{:time 20 :type :info :process :nemesis :f :start :value :all}
{:time 30 :type :info :process :nemesis :f :start :value {"n1" :started}}
{:time 40 :type :info :process :nemesis :f :break-disk :value nil}
{:time 50 :type :info :process :nemesis :f :break-disk :value nil}
{:time 60 :type :info :process :nemesis :f :mend-disk :value nil}
{:time 70 :type :info :process :nemesis :f :mend-disk :value nil}
{:time 80 :type :info :process :nemesis :f :pause :value :one}
{:time 90 :type :info :process :nemesis :f :pause :value {"n2" :paused}}
{:time 100 :type :info :process :nemesis :f :bump-clock :value :one}
{:time 110 :type :info :process :nemesis :f :bump-clock :value {"n3" 50}}
{:time 120 :type :info :process :nemesis :f :compact :value nil}
{:time 130 :type :info :process :nemesis :f :compact :value :done}
)");
  Value perf = Value::Map(
      {{Value::Keyword("kill"), Value::Map({{Value::Keyword("name"), Value::String("crash")},
                                            {Value::Keyword("color"), Value::String("#123456")}})},
       {Value::Keyword("break-disk"),
        Value::Map({{Value::Keyword("name"), Value::String("disk")},
                    {Value::Keyword("stop"), Value::Vector({Value::Keyword("mend-disk")})}})}});
  std::vector<FaultInterval> f = FaultIntervals(h, perf);
  REQUIRE(f.size() == 5);
  CHECK(f[0].name == "crash");
  CHECK(f[0].color == "#123456");
  CHECK(f[0].end == Approx(30e-9));
  CHECK(f[1].name == "disk");
  CHECK(f[1].end == Approx(70e-9));
  CHECK(f[2].name == "pause");  // never resumed: runs to the end
  CHECK(f[2].open_ended);
  CHECK(f[2].end == Approx(130e-9));
  CHECK(f[3].name == "clock");
  CHECK(f[3].open_ended);
  CHECK(f[4].name == "compact");  // unknown: from invocation to completion
  CHECK(f[4].start == Approx(120e-9));
  CHECK(f[4].end == Approx(130e-9));
  CHECK_FALSE(f[4].open_ended);
  CHECK(f[2].color != f[3].color);
}

TEST_CASE("latency-raw has axes, a legend entry per f and outcome, and nemesis bands",
          "[report]") {
  History h = MustParse(kHistory);
  std::string svg = LatencyRawSvg(h, FaultIntervals(h, Value()), {.test_name = "demo"});
  auto root = ParseSvg(svg);
  CHECK(WithClass(*root, "title").at(0)->text == "demo: latency of every operation");
  REQUIRE(WithClass(*root, "x-axis").size() == 1);
  REQUIRE(WithClass(*root, "y-axis").size() == 1);
  CHECK(WithClass(*WithClass(*root, "x-axis")[0], "tick-label").size() >= 3);
  // Log scale: 1, 10, 100 ms... around latencies of 5 ms to 1.4 s.
  std::vector<std::string> y_ticks;
  for (auto* t : WithClass(*WithClass(*root, "y-axis")[0], "tick-label")) y_ticks.push_back(t->text);
  CHECK(std::find(y_ticks.begin(), y_ticks.end(), "10") != y_ticks.end());
  CHECK(std::find(y_ticks.begin(), y_ticks.end(), "1000") != y_ticks.end());
  CHECK(Sorted(LegendLabels(*root)) ==
        std::vector<std::string>{"partition", "read info", "read ok", "write fail", "write ok"});
  auto bands = WithClass(*root, "nemesis-band");
  REQUIRE(bands.size() == 1);
  CHECK(bands[0]->Attr("data-fault") == "partition");
  CHECK(bands[0]->AllText().find("partition: 1.000 s to 3.020 s") != std::string::npos);
  // One point per completed op: write ok, read info, read ok, write fail.
  size_t points = 0;
  for (auto* s : WithClass(*root, "series")) points += s->children.size();
  CHECK(points == 4);
  CHECK(WithClass(*root, "note").at(0)->text == "4 ops, 4 points drawn");
}

TEST_CASE("Plot text is escaped", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :invoke :process 0 :f "<b>&\"quoted\"'" :value nil}
{:time 1000000 :type :ok :process 0 :f "<b>&\"quoted\"'" :value nil}
{:time 2000000 :type :info :process :nemesis :f "</svg>" :value nil}
{:time 3000000 :type :info :process :nemesis :f "</svg>" :value nil}
)");
  std::vector<FaultInterval> faults = FaultIntervals(h, Value());
  for (const std::string& svg :
       {LatencyRawSvg(h, faults, {.test_name = "a<b & c"}),
        LatencyQuantilesSvg(h, faults, {.test_name = "a<b & c"}),
        RateSvg(h, faults, {.test_name = "a<b & c"})}) {
    auto root = ParseSvg(svg);
    CHECK(WithClass(*root, "title").at(0)->text.rfind("a<b & c: ", 0) == 0);
    std::vector<std::string> labels = LegendLabels(*root);
    CHECK(std::find(labels.begin(), labels.end(), "</svg>") != labels.end());
    CHECK(std::any_of(labels.begin(), labels.end(), [](const std::string& l) {
      return l.rfind("<b>&\"quoted\"'", 0) == 0;
    }));
  }
}

TEST_CASE("latency-quantiles draws four quantile lines per f", "[report]") {
  History h = MustParse(kHistory);
  auto root = ParseSvg(LatencyQuantilesSvg(h, FaultIntervals(h, Value()), {}));
  CHECK(Sorted(LegendLabels(*root)) ==
        std::vector<std::string>{"partition", "read 0.5", "read 0.95", "read 0.99", "read max",
                                 "write 0.5", "write 0.95", "write 0.99", "write max"});
  CHECK(WithClass(*root, "series").size() == 8);
  CHECK(WithClass(*root, "nemesis-band").size() == 1);
  CHECK(WithClass(*root, "title").at(0)->text == "latency quantiles");
}

TEST_CASE("rate draws one line per f and outcome", "[report]") {
  History h = MustParse(kHistory);
  auto root = ParseSvg(RateSvg(h, FaultIntervals(h, Value()), {.test_name = "t"}));
  std::vector<std::string> series;
  for (auto* s : WithClass(*root, "series")) series.push_back(s->Attr("data-series"));
  CHECK(Sorted(series) == std::vector<std::string>{"read info", "read ok", "write fail", "write ok"});
  CHECK(WithClass(*root, "y-axis").at(0)->AllText().find("completions per second") !=
        std::string::npos);
}

TEST_CASE("Plots of an empty history are valid and say there is no data", "[report]") {
  History h;
  for (const std::string& svg : {LatencyRawSvg(h, {}, {}), LatencyQuantilesSvg(h, {}, {}),
                                 RateSvg(h, {}, {}), ClockSvg(h, {}, {})}) {
    auto root = ParseSvg(svg);
    CHECK(WithClass(*root, "empty-note").size() == 1);
    CHECK(WithClass(*root, "series").empty());
    CHECK(WithClass(*root, "tick-label").size() >= 2);
  }
  CHECK_FALSE(HasClockOps(h));
}

TEST_CASE("Plots of a nemesis-only history show the bands and no series", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :info :process :nemesis :f :pause :value :one}
{:time 500000000 :type :info :process :nemesis :f :pause :value {"n1" :paused}}
{:time 2000000000 :type :info :process :nemesis :f :resume :value :all}
{:time 2100000000 :type :info :process :nemesis :f :resume :value {"n1" :resumed}}
)");
  std::vector<FaultInterval> faults = FaultIntervals(h, Value());
  REQUIRE(faults.size() == 1);
  auto root = ParseSvg(RateSvg(h, faults, {}));
  CHECK(WithClass(*root, "series").empty());
  auto bands = WithClass(*root, "nemesis-band");
  REQUIRE(bands.size() == 1);
  CHECK(bands[0]->Attr("data-fault") == "pause");
  CHECK(LegendLabels(*root) == std::vector<std::string>{"pause"});
}

TEST_CASE("Info ops without a completion are left out of latency plots", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :invoke :process 0 :f :read :value nil}
{:time 10000000 :type :ok :process 0 :f :read :value 3}
{:time 20000000 :type :invoke :process 1 :f :write :value 4}
)");
  auto root = ParseSvg(LatencyRawSvg(h, {}, {}));
  CHECK(LegendLabels(*root) == std::vector<std::string>{"read ok"});
  CHECK(WithClass(*root, "note").at(0)->text == "1 ops, 1 points drawn");
}

TEST_CASE("Legends wrap onto more rows instead of overflowing the canvas", "[report]") {
  History h;
  for (int i = 0; i < 30; ++i) {
    Value f = Value::Keyword(fmt::format("a-rather-long-operation-name-number-{}", i));
    REQUIRE(h.Append({.time = i * 1000, .type = OpType::kInvoke, .process = 0, .f = f}).ok());
    REQUIRE(h.Append({.time = i * 1000 + 500, .type = OpType::kOk, .process = 0, .f = f}).ok());
  }
  auto root = ParseSvg(LatencyQuantilesSvg(h, {}, {.width = 700}));
  double width = std::stod(root->Attr("width")), height = std::stod(root->Attr("height"));
  auto entries = WithClass(*root, "legend-entry");
  REQUIRE(entries.size() == 120);
  double lowest = 0;
  for (const testing::XmlNode* e : entries) {
    for (const auto& child : e->children) {
      if (child->name != "text") continue;
      size_t chars = 0;
      for (unsigned char c : child->text) chars += (c & 0xC0) != 0x80;
      INFO(child->text);
      CHECK(std::stod(child->Attr("x")) + static_cast<double>(chars) * 12 * 0.62 <= width);
      lowest = std::max(lowest, std::stod(child->Attr("y")));
    }
  }
  CHECK(lowest < height);
  CHECK(height > 1000);  // dozens of rows below the plot
}

TEST_CASE("A nemesis op that never completed still opens its fault", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :invoke :process 0 :f :read :value nil}
{:time 1000000 :type :ok :process 0 :f :read :value nil}
{:time 2000000 :type :info :process :nemesis :f :start-partition :value :one}
{:time 3000000 :type :invoke :process 0 :f :read :value nil}
{:time 4000000 :type :info :process 0 :f :read :value nil}
)");
  std::vector<FaultInterval> faults = FaultIntervals(h, Value());
  REQUIRE(faults.size() == 1);
  CHECK(faults[0].open_ended);
  CHECK(faults[0].start == Approx(0.002));
  CHECK(faults[0].end == Approx(0.004));
  auto root = ParseSvg(LatencyRawSvg(h, faults, {}));
  CHECK(WithClass(*root, "nemesis-band").size() == 1);
  CHECK(WithClass(*root, "nemesis-band")[0]->AllText().find("never healed") != std::string::npos);
  CHECK(LegendLabels(*root) == std::vector<std::string>{"read ok", "read info", "partition"});
}

TEST_CASE("clock.svg draws each node's offset from clock op completions", "[report]") {
  History h = MustParse(R"(
{:time 0 :type :invoke :process 0 :f :read :value nil}
{:time 1000000000 :type :info :process :nemesis :f :bump-clock :value :majority}
{:time 1100000000 :type :info :process :nemesis :f :bump-clock :value {"n1" 1200, "n2" -300}}
{:time 2000000000 :type :info :process :nemesis :f :reset-clock :value :all}
{:time 2100000000 :type :info :process :nemesis :f :reset-clock :value {"n1" 0, "n2" 0}}
{:time 2500000000 :type :ok :process 0 :f :read :value nil}
)");
  REQUIRE(HasClockOps(h));
  std::vector<FaultInterval> faults = FaultIntervals(h, Value());
  auto root = ParseSvg(ClockSvg(h, faults, {.test_name = "c"}));
  CHECK(LegendLabels(*root) == std::vector<std::string>{"n1", "n2", "clock"});
  auto series = WithClass(*root, "series");
  REQUIRE(series.size() == 2);
  CHECK(series[0]->Attr("data-series") == "n1");
  // A step line: origin, then down and up at each change, then the end.
  std::string points = series[0]->Attr("points");
  CHECK(std::count(points.begin(), points.end(), ',') == 6);
  std::vector<std::string> y_ticks;
  for (auto* t : WithClass(*WithClass(*root, "y-axis")[0], "tick-label")) y_ticks.push_back(t->text);
  CHECK(std::find(y_ticks.begin(), y_ticks.end(), "1000") != y_ticks.end());
  CHECK(std::find(y_ticks.begin(), y_ticks.end(), "0") != y_ticks.end());
}

TEST_CASE("latency-raw downsamples a large history deterministically", "[report]") {
  History h;
  for (int i = 0; i < 20000; ++i) {
    int64_t t = int64_t{i} * 1000000;
    REQUIRE(h.Append({.time = t, .type = OpType::kInvoke, .process = i % 5,
                      .f = Value::Keyword("read")}).ok());
    REQUIRE(h.Append({.time = t + 1000 + (i * 7919) % 50000000, .type = OpType::kOk,
                      .process = i % 5, .f = Value::Keyword("read")}).ok());
  }
  PlotOptions o{.max_points_per_column = 4};
  std::string a = LatencyRawSvg(h, {}, o);
  CHECK(a == LatencyRawSvg(h, {}, o));
  auto root = ParseSvg(a);
  size_t points = WithClass(*root, "series").at(0)->children.size();
  CHECK(points > 400);
  CHECK(points <= 4 * (960 / 2 + 1));  // at most 4 per 2-pixel column
  CHECK(a.size() < 100000);
}

}  // namespace
}  // namespace jepsen
