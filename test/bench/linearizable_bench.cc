// linearizable_bench: how fast the linearizability checker is on Jepsen-shaped
// histories, and how much memory it takes.
//
//   build/bin/linearizable_bench [--histories 102] [--keys 10000] [--key-ops 100]
//                                [--threads 2] [--timeouts 0.25] [--stale 0]
//                                [--write DIR]
//
// Part 1 generates `--histories` etcd-like cas-register histories (5 client threads,
// about 80 client ops each, reads, writes and cas on values 0-4, with long timeouts
// that leave many writes and cas ops as :info; the process is then replaced, as
// Jepsen does) and checks each on its own, like Porcupine's etcd benchmark. Part 2
// checks one history of `--keys` independent keys of `--key-ops` operations each on
// `--threads` threads. Histories come from a simulated register (every op takes effect
// at a random instant inside its interval, timed-out ones half of the time), so all are
// valid: the search must find a witness. `--stale P` makes each ok read return, with
// probability P, a value one to three writes old (as an isolated replica serving local
// reads would), so most histories are invalid, the case where the search must exhaust
// every placement of the crashed ops before it may say so. Every check has a 60 s
// limit; an unknown verdict is an error. `--write DIR` also writes the histories as
// EDN files (etcd_NNN.edn, independent.edn).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "jepsen/checker/linearizable.h"
#include "jepsen/history_io.h"

namespace {

using jepsen::History;
using jepsen::Op;
using jepsen::OpType;
using jepsen::Value;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long PeakResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// Appends one simulated register's history to `h`: `threads` client threads running
// `ops` operations in total, values wrapped as [key v] when `key` is not nil.
void Simulate(History& h, std::mt19937_64& rng, int threads, int ops, double timeouts,
              double stale, const Value& key, int64_t process_base) {
  auto wrap = [&](Value v) { return key.is_nil() ? v : Value::Vector({key, std::move(v)}); };
  enum Kind { kInvoke, kApply, kComplete };
  struct Event {
    int64_t time;
    int thread;
    Kind kind;
    bool operator>(const Event& o) const { return time > o.time; }
  };
  struct Thread {
    int64_t process;
    Value f, arg, result;
    bool timed_out = false, applies = true, failed = false;
  };
  std::vector<Thread> t(threads);
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events;
  auto rand = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
  for (int i = 0; i < threads; ++i) {
    t[i].process = process_base + i;
    events.push({rand(1000), i, kInvoke});
  }
  Value state;  // the register, nil at first
  std::vector<Value> past{Value()};  // every state it had, oldest first
  int invoked = 0;
  while (!events.empty()) {
    Event e = events.top();
    events.pop();
    Thread& th = t[e.thread];
    if (e.kind == kInvoke) {
      if (invoked++ >= ops) continue;
      int64_t k = rand(3);
      th.f = Value::Keyword(k == 0 ? "read" : k == 1 ? "write" : "cas");
      th.arg = k == 0 ? Value() : k == 1 ? Value(rand(5)) : Value::Vector({rand(5), rand(5)});
      th.timed_out = k != 0 && static_cast<double>(rand(1000)) < timeouts * 1000;
      th.applies = !th.timed_out || rand(2) == 0;
      th.failed = false;
      (void)h.Append({.time = e.time, .process = th.process, .f = th.f, .value = wrap(th.arg)});
      int64_t latency = 100 + rand(2000);
      events.push({e.time + rand(latency), e.thread, kApply});
      int64_t done = th.timed_out ? e.time + 20000 + rand(20000) : e.time + latency;
      events.push({done, e.thread, kComplete});
    } else if (e.kind == kApply) {
      if (!th.applies) continue;
      if (th.f.IsNamed("read")) {
        bool old = past.size() > 1 && static_cast<double>(rand(1000)) < stale * 1000;
        th.result = old ? past[past.size() - 2 - static_cast<size_t>(rand(std::min<int64_t>(
                                                     3, static_cast<int64_t>(past.size()) - 1)))]
                        : state;
      } else if (th.f.IsNamed("write")) {
        state = th.arg;
        past.push_back(state);
        th.result = th.arg;
      } else if (state == th.arg[0]) {
        state = th.arg[1];
        past.push_back(state);
        th.result = th.arg;
      } else {
        th.failed = true;
        th.result = th.arg;
      }
    } else {
      OpType type = th.timed_out ? OpType::kInfo : th.failed ? OpType::kFail : OpType::kOk;
      Value v = th.timed_out ? wrap(Value::Keyword("timed-out")) : wrap(th.result);
      (void)h.Append({.time = e.time, .type = type, .process = th.process, .f = th.f, .value = v});
      if (th.timed_out) th.process += threads;  // Jepsen retires a crashed process
      events.push({e.time + rand(200), e.thread, kInvoke});
    }
  }
}

struct Args {
  int histories = 102;
  int keys = 10000;
  int key_ops = 100;
  int threads = 2;
  double timeouts = 0.25;  // the share of writes and cas that time out
  double stale = 0;        // the share of ok reads that return an old value
  std::string write_dir;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--histories") a.histories = std::atoi(argv[i + 1]);
    else if (flag == "--keys") a.keys = std::atoi(argv[i + 1]);
    else if (flag == "--key-ops") a.key_ops = std::atoi(argv[i + 1]);
    else if (flag == "--threads") a.threads = std::atoi(argv[i + 1]);
    else if (flag == "--timeouts") a.timeouts = std::atof(argv[i + 1]);
    else if (flag == "--stale") a.stale = std::atof(argv[i + 1]);
    else if (flag == "--write") a.write_dir = argv[i + 1];
    else {
      fmt::print(stderr, "unknown flag {}\n", flag);
      std::exit(2);
    }
  }
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = Parse(argc, argv);
  auto checker = jepsen::MakeLinearizableChecker({.model = jepsen::MakeCasRegisterModel()});
  auto independent = jepsen::MakeLinearizableChecker(
      {.model = jepsen::MakeCasRegisterModel(), .independent = true});
  int bad = 0;

  // Part 1: etcd-like histories, one at a time.
  std::vector<History> histories;
  size_t total_ops = 0, info_ops = 0;
  for (int i = 0; i < args.histories; ++i) {
    std::mt19937_64 rng(static_cast<uint64_t>(i) + 1);
    History h;
    Simulate(h, rng, 5, 80, args.timeouts, args.stale, Value(), 0);
    for (const Op& op : h) info_ops += op.is_info() ? 1 : 0;
    total_ops += h.size();
    if (!args.write_dir.empty()) {
      (void)jepsen::WriteHistoryFile(h, fmt::format("{}/etcd_{:03}.edn", args.write_dir, i),
                                     jepsen::HistoryFormat::kEdn);
    }
    histories.push_back(std::move(h));
  }
  // Without stale reads every history is valid; with them, invalid ones are expected.
  // Unknown (over the limit) is always an error.
  jepsen::CheckContext one{.time_limit = std::chrono::seconds(60), .threads = 1};
  double total = 0, worst = 0;
  int invalid = 0;
  for (const History& h : histories) {
    auto start = Clock::now();
    jepsen::CheckResult r = checker->Check(one, h);
    double s = Seconds(start);
    total += s;
    worst = std::max(worst, s);
    if (r.validity == jepsen::Validity::kInvalid) ++invalid;
    if (r.validity == jepsen::Validity::kUnknown ||
        (args.stale == 0 && r.validity != jepsen::Validity::kValid)) {
      ++bad;
    }
  }
  fmt::print("etcd-like: {} histories ({} invalid), {} ops ({} info), total {:.4f} s, "
             "worst {:.4f} s, {:.0f} ops/s\n",
             histories.size(), invalid, total_ops, info_ops, total, worst,
             total_ops / std::max(total, 1e-9));

  // Part 2: independent keys in one history.
  if (args.keys > 0) {
    History h;
    std::mt19937_64 rng(7);
    for (int k = 0; k < args.keys; ++k) {
      Simulate(h, rng, 5, args.key_ops, args.timeouts, args.stale, Value(k),
               static_cast<int64_t>(k) * 1000);
    }
    if (!args.write_dir.empty()) {
      (void)jepsen::WriteHistoryFile(h, args.write_dir + "/independent.edn",
                                     jepsen::HistoryFormat::kEdn);
    }
    fmt::print("independent: history built, peak memory so far (VmHWM) {:.1f} MiB\n",
               PeakResidentKiB() / 1024.0);
    jepsen::CheckContext many{.time_limit = std::chrono::seconds(600), .threads = args.threads};
    auto start = Clock::now();
    jepsen::CheckResult r = independent->Check(many, h);
    double s = Seconds(start);
    if (r.validity == jepsen::Validity::kUnknown ||
        (args.stale == 0 && r.validity != jepsen::Validity::kValid)) {
      ++bad;
    }
    fmt::print("independent: {} keys x {} ops, {} history ops, {} threads, {:.4f} s, "
               "{:.0f} ops/s\n",
               args.keys, args.key_ops, h.size(), args.threads, s, h.size() / std::max(s, 1e-9));
  }
  fmt::print("peak memory (VmHWM): {:.1f} MiB\n", PeakResidentKiB() / 1024.0);
  if (bad > 0) {
    fmt::print("ERROR: {} check(s) were unknown or wrongly invalid\n", bad);
    return 1;
  }
  return 0;
}
