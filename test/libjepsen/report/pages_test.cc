#include "jepsen/report/pages.h"

#include <catch2/catch.hpp>

#include <string>

#include "jepsen/checker.h"
#include "jepsen/json.h"
#include "support/parse.h"

namespace jepsen {
namespace {

using testing::MustParse;

Value Kw(const char* k) { return Value::Keyword(k); }

// The text between `open` (which must occur) and the next `close`.
std::string Between(const std::string& s, const std::string& open, const std::string& close) {
  size_t a = s.find(open);
  REQUIRE(a != std::string::npos);
  a += open.size();
  size_t b = s.find(close, a);
  REQUIRE(b != std::string::npos);
  return s.substr(a, b - a);
}

Value TimelineData(const std::string& html) {
  std::string json =
      Between(html, "<script id=\"timeline-data\" type=\"application/json\">", "</script>");
  Result<Value> v = ParseJson(json);
  INFO(v.status().ToString());
  REQUIRE(v.ok());
  return *v;
}

constexpr const char* kHistory = R"(
{:index 0 :time 0 :type :invoke :process 0 :f :write :value 1}
{:index 1 :time 100000 :type :invoke :process 1 :f :read :value nil}
{:index 2 :time 105000 :type :ok :process 0 :f :write :value 1}
{:index 3 :time 200000 :type :info :process :nemesis :f :kill :value :one}
{:index 4 :time 300000 :type :info :process :nemesis :f :kill :value {"n1" :killed}}
{:index 5 :time 400000 :type :info :process 1 :f :read :value nil :error "</script><b>"}
{:index 6 :time 500000 :type :invoke :process 6 :f :cas :value [1 2]}
)";

TEST_CASE("timeline.html embeds every invocation and meets the page contract", "[report]") {
  History h = MustParse(kHistory);
  std::string html = TimelineHtml(h, FaultIntervals(h, Value()), "etcd <register>");
  CHECK(Between(html, "<title>", "</title>") == "etcd &lt;register&gt; timeline");
  CHECK(Between(html, "<h1>", "</h1>").find("etcd &lt;register&gt;") != std::string::npos);
  CHECK(Between(html, "<p id=\"timeline-summary\">", "</p>") ==
        "4 operations on 4 processes");
  CHECK(html.find("<canvas id=\"timeline\"") != std::string::npos);
  CHECK(html.find("id=\"op-detail\"") != std::string::npos);
  CHECK(html.find("<body data-ready=\"false\">") != std::string::npos);
  CHECK(html.find("setAttribute(\"data-ready\", \"true\")") != std::string::npos);
  // The error text cannot end the script element early.
  CHECK(html.find("</script><b>") == std::string::npos);

  Value data = TimelineData(html);
  const Value& ops = *data.Find(Value::String("ops"));
  for (const char* column : {"lane", "proc", "start", "dur", "type", "f", "value", "result", "index",
                             "cindex"}) {
    INFO(column);
    REQUIRE(ops.Find(Value::String(column)) != nullptr);
    CHECK(ops.Find(Value::String(column))->size() == 4);
  }
  // The nemesis has lane 0; process 6 takes over the lowest lane whose process had no
  // ops left when 6 appeared: process 0's (process 1 was retired by its :info too).
  CHECK(data.Find(Value::String("lanes"))->AsInt() == 3);
  CHECK(data.Find(Value::String("processes"))->AsInt() == 4);
  CHECK(ops.Find(Value::String("lane"))->ToEdn() == "[1 2 0 1]");
  CHECK(ops.Find(Value::String("proc"))->ToEdn() == "[0 1 -1 6]");
  // Types: ok, info (read timed out), info (nemesis), pending (cas).
  CHECK(ops.Find(Value::String("type"))->ToEdn() == "[0 2 2 3]");
  // Start times are deltas in microseconds; durations -1 when pending.
  CHECK(ops.Find(Value::String("start"))->ToEdn() == "[0 100 100 300]");
  CHECK(ops.Find(Value::String("dur"))->ToEdn() == "[105 300 100 -1]");
  const Value& strings = *data.Find(Value::String("strings"));
  const Value& result = *ops.Find(Value::String("result"));
  CHECK(strings[static_cast<size_t>(result[1].AsInt())].AsString() ==
        "nil error: \"</script><b>\"");
  CHECK(data.Find(Value::String("faults"))->size() == 1);
}

TEST_CASE("timeline.html of an empty history", "[report]") {
  std::string html = TimelineHtml(History(), {}, "empty");
  CHECK(Between(html, "<p id=\"timeline-summary\">", "</p>") == "0 operations on 0 processes");
  Value data = TimelineData(html);
  CHECK(data.Find(Value::String("ops"))->Find(Value::String("lane"))->empty());
}

TEST_CASE("Checker verdicts walk nested results with anomalies", "[report]") {
  Value results = Value::Map(
      {{Kw("valid?"), Value::Bool(false)},
       {Kw("stats"), Value::Map({{Kw("valid?"), Value::Bool(true)}})},
       {Kw("workload"),
        Value::Map({{Kw("valid?"), Kw("unknown")},
                    {Kw("elle"), Value::Map({{Kw("valid?"), Value::Bool(false)},
                                             {Kw("anomaly-types"),
                                              Value::Vector({Kw("G1c"), Kw("G-single")})},
                                             {Kw("explanation"), Value::String("a cycle")}})},
                    {Kw("queue"), Value::Map({{Kw("valid?"), Value::Bool(false)},
                                              {Kw("anomalies"),
                                               Value::Map({{Kw("lost"), 3}})}})}})}});
  std::vector<CheckerVerdict> v = CheckerVerdicts(results);
  REQUIRE(v.size() == 5);
  CHECK(v[0].path.empty());
  CHECK(v[0].verdict == "invalid");
  CHECK(v[1].path == "stats");
  CHECK(v[1].verdict == "valid");
  CHECK(v[2].path == "workload");
  CHECK(v[2].verdict == "unknown");
  CHECK(v[3].path == "workload/elle");
  CHECK(v[3].anomalies == std::vector<std::string>{"G1c", "G-single"});
  CHECK(v[3].explanation == "a cycle");
  CHECK(v[4].anomalies == std::vector<std::string>{"lost"});
  // results.json read back has string keys and "unknown" as a string.
  Result<Value> json = ParseJson(R"({"valid?": "unknown", "lin": {"valid?": true}})");
  REQUIRE(json.ok());
  std::vector<CheckerVerdict> j = CheckerVerdicts(*json);
  REQUIRE(j.size() == 2);
  CHECK(j[0].verdict == "unknown");
  CHECK(j[1].path == "lin");
  CHECK(j[1].verdict == "valid");
}

TEST_CASE("index.html shows verdicts, options, anomalies and links to files", "[report]") {
  IndexInput in{
      .test_name = "etcd <set>",
      .test = Value::Map({{Kw("name"), Value::String("etcd <set>")},
                          {Kw("start-time"), int64_t{1764032523000}},
                          {Kw("seed"), Value::BigInt("18446744073709551615")},
                          {Kw("options"), Value::Map({{Kw("workload"), Value::String("set")},
                                                      {Kw("rate"), 10}})}}),
      .results = CheckResult{.validity = Validity::kInvalid,
                             .details = Value::Map({{Kw("anomaly-types"),
                                                     Value::Vector({Kw("lost")})}})}
                     .ToValue(),
      .files = {{"history.jsonl", 2048}, {"n1/etcd log.txt", 10}, {"timeline.html", 3 << 20}},
      .ops = 12};
  std::string html = IndexHtml(in);
  CHECK(Between(html, "<title>", "</title>") == "etcd &lt;set&gt;");
  CHECK(Between(html, "<h1>", "</h1>") == "etcd &lt;set&gt;");
  CHECK(Between(html, "id=\"verdict\" class=\"verdict invalid\">", "<") == "invalid");
  CHECK(html.find("2025-11-25 01:02:03 UTC") != std::string::npos);
  CHECK(html.find("18446744073709551615") != std::string::npos);
  CHECK(html.find("<th>workload</th><td><pre>set</pre>") != std::string::npos);
  CHECK(Between(html, "<ul id=\"anomalies\">", "</ul>").find("<li>lost</li>") !=
        std::string::npos);
  CHECK(html.find("<a href=\"history.jsonl\">history.jsonl</a></td><td>2.0 KiB") !=
        std::string::npos);
  CHECK(html.find("<a href=\"n1/etcd%20log.txt\">") != std::string::npos);
  CHECK(html.find("3.0 MiB") != std::string::npos);
}

TEST_CASE("index.html without results says unknown", "[report]") {
  std::string html = IndexHtml({.test_name = "t"});
  CHECK(Between(html, "id=\"verdict\" class=\"verdict unknown\">", "<") == "unknown");
  CHECK(html.find("not checked") != std::string::npos);
}

}  // namespace
}  // namespace jepsen
