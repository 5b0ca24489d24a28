// report_bench: how long writing every report (perf plots, clock plot, timeline, index)
// takes for a large history, and how big the files are.
//
//   build/bin/report_bench [--ops N] [--out DIR]
//
// The history: 20 client processes doing reads, writes and cas with log-normal
// latencies (slower while a fault is active), 1% info completions (the process is
// retired and replaced), 2% fails, and a nemesis cycling through partition, kill and
// clock faults every 10 s (about 2,300 history entries per second). Without --out the
// files go to a temporary directory that is removed afterwards.
#include <fmt/format.h>
#include <stdlib.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <queue>
#include <random>
#include <string>

#include "jepsen/report.h"
#include "jepsen/report/pages.h"

namespace {

using Clock = std::chrono::steady_clock;
using jepsen::Op;
using jepsen::OpType;
using jepsen::Value;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

Value Kw(const char* name) { return Value::Keyword(name); }

struct Event {
  int64_t time;
  Op op;
  bool operator>(const Event& o) const { return time > o.time; }
};

jepsen::History Generate(size_t n) {
  constexpr int kProcesses = 20;
  constexpr int64_t kSecond = 1'000'000'000;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0, 1);
  int64_t duration = static_cast<int64_t>(n) / 1'600 * kSecond + 10 * kSecond;
  // Nemesis: a fault every 10 s, healed 5 s later.
  std::vector<std::pair<int64_t, int64_t>> faulty;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
  const char* starts[] = {"start-partition", "kill", "bump-clock"};
  const char* stops[] = {"stop-partition", "start", "reset-clock"};
  for (int64_t t = 5 * kSecond, k = 0; t + 6 * kSecond < duration; t += 10 * kSecond, ++k) {
    Value offsets = Value::Map({{Value::String("n1"), static_cast<int64_t>(rng() % 2000) - 1000},
                                {Value::String("n2"), static_cast<int64_t>(rng() % 2000) - 1000}});
    Value zero = Value::Map({{Value::String("n1"), 0}, {Value::String("n2"), 0}});
    bool clock = k % 3 == 2;
    Op a{.time = t, .type = OpType::kInfo, .process = jepsen::kNemesisProcess,
         .f = Kw(starts[k % 3]), .value = Kw("majority")};
    Op b = a;
    b.time = t + 50'000'000;
    if (clock) b.value = offsets;
    Op c{.time = t + 5 * kSecond, .type = OpType::kInfo, .process = jepsen::kNemesisProcess,
         .f = Kw(stops[k % 3]), .value = Kw("all")};
    Op d = c;
    d.time = c.time + 20'000'000;
    if (clock) d.value = zero;
    for (Op* op : {&a, &b, &c, &d}) events.push({op->time, *op});
    faulty.emplace_back(t, t + 5 * kSecond);
  }
  auto in_fault = [&](int64_t t) {
    size_t i = static_cast<size_t>(t / (10 * kSecond));
    return i < faulty.size() && t >= faulty[i].first && t < faulty[i].second;
  };
  // Each client alternates invoke and completion, 0-30 ms apart.
  int64_t next_process = kProcesses, value = 0;
  for (int p = 0; p < kProcesses; ++p) {
    events.push({static_cast<int64_t>(rng() % 1'000'000),
                 Op{.type = OpType::kInvoke, .process = p}});
  }
  jepsen::History h;
  size_t client_ops = 0;
  while (!events.empty() && h.size() < n) {
    Event e = events.top();
    events.pop();
    Op op = e.op;
    op.time = e.time;
    if (op.process == jepsen::kNemesisProcess) {
      (void)h.Append(op);
      continue;
    }
    if (op.is_invoke()) {
      int r = static_cast<int>(rng() % 3);
      op.f = Kw(r == 0 ? "read" : r == 1 ? "write" : "cas");
      op.value = r == 0 ? Value() : r == 1 ? Value(value++) : Value::Vector({value - 1, value});
      (void)h.Append(op);
      ++client_ops;
      double latency_ms = std::exp(0.5 + 0.8 * normal(rng)) * (in_fault(op.time) ? 20 : 1);
      Op done = op;
      uint64_t roll = rng() % 100;
      done.type = roll == 0 ? OpType::kInfo : roll < 3 ? OpType::kFail : OpType::kOk;
      if (done.type == OpType::kOk && op.f.IsKeyword("read")) done.value = value - 1;
      if (done.type != OpType::kOk) done.error = Kw(roll == 0 ? "timeout" : "conflict");
      events.push({op.time + static_cast<int64_t>(latency_ms * 1e6), done});
    } else {
      (void)h.Append(op);
      int64_t p = op.is_info() ? next_process++ : op.process;
      events.push({op.time + static_cast<int64_t>(rng() % 30'000'000),
                   Op{.type = OpType::kInvoke, .process = p}});
    }
  }
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  size_t ops = 1'000'000;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ops" && i + 1 < argc) {
      ops = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else {
      fmt::print(stderr, "usage: report_bench [--ops N] [--out DIR]\n");
      return 2;
    }
  }
  auto t = Clock::now();
  jepsen::History h = Generate(ops);
  fmt::print("generated {} ops in {:.2f} s\n", h.size(), Seconds(t));

  std::filesystem::path dir;
  bool temporary = out.empty();
  if (temporary) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "report-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return 1;
    dir = tmpl;
  } else {
    dir = out;
    std::filesystem::create_directories(dir);
  }
  Value results = Value::Map({{Kw("valid?"), Value::Bool(true)}});
  t = Clock::now();
  jepsen::Result<std::vector<std::string>> written =
      jepsen::WriteReports(dir, h, {.test_name = "report-bench", .results = results});
  double secs = Seconds(t);
  int code = 0;
  if (!written.ok()) {
    fmt::print(stderr, "report_bench: {}\n", written.status().message());
    code = 1;
  } else {
    fmt::print("wrote {} reports in {:.2f} s\n", written->size(), secs);
    for (const std::string& f : *written) {
      fmt::print("  {:<22} {:>10.1f} KiB\n", f,
                 static_cast<double>(std::filesystem::file_size(dir / f)) / 1024);
    }
  }
  // Where the time goes, piece by piece (in memory, no files).
  t = Clock::now();
  std::vector<jepsen::FaultInterval> faults = jepsen::FaultIntervals(h, Value());
  fmt::print("  {:<22} {:>8.2f} s\n", "fault intervals", Seconds(t));
  jepsen::PlotOptions plot{.test_name = "report-bench"};
  for (auto [name, fn] :
       std::initializer_list<std::pair<const char*, std::function<std::string()>>>{
           {"latency-raw", [&] { return jepsen::LatencyRawSvg(h, faults, plot); }},
           {"latency-quantiles", [&] { return jepsen::LatencyQuantilesSvg(h, faults, plot); }},
           {"rate", [&] { return jepsen::RateSvg(h, faults, plot); }},
           {"clock", [&] { return jepsen::ClockSvg(h, faults, plot); }},
           {"timeline", [&] { return jepsen::TimelineHtml(h, faults, "report-bench"); }}}) {
    t = Clock::now();
    size_t size = fn().size();
    fmt::print("  {:<22} {:>8.2f} s ({} bytes)\n", name, Seconds(t), size);
  }
  if (temporary) std::filesystem::remove_all(dir);
  return code;
}
