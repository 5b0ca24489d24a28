// elle_bench: how fast the Elle checkers check large transactional histories, and how
// much memory they take.
//
//   build/bin/elle_bench [--txns N] [--workload list-append|rw-register|both]
//                        [--inject none|some|both] [--processes P] [--keys K]
//
// Each configuration runs in its own child process, so its peak resident set (VmHWM)
// is its own: generating the history (P client processes, K keys active at a time,
// 4 micro-ops per txn, half reads; new txns stop picking a key after 16 writes and
// a fresh one takes its place) plus checking it against strict-serializable (every anomaly type
// the checker knows). With --inject some, one txn in 5,000 reads a stale version and
// one in 20,000 is recorded as failed although it took effect. Prints the check's wall
// time, its CPU time (all threads), txn/s by wall time, and VmHWM.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "jepsen/checker/elle_list_append.h"
#include "jepsen/checker/elle_rw_register.h"

namespace {

using Clock = std::chrono::steady_clock;
using jepsen::Value;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// CPU seconds (user + system, all threads) this process has used: unlike wall time,
// it does not grow when other work shares the cores.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

long PeakKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

struct Config {
  size_t txns = 1000000;
  bool registers = false;
  bool inject = false;
  int processes = 10;
  int keys = 100;
};

// A strictly serializable store (each txn takes effect atomically at its completion),
// recorded with concurrent clients, plus the injected faults.
class Generator {
 public:
  explicit Generator(const Config& c) : c_(c), rng_(c.registers ? 7 : 42) {
    for (int i = 0; i < c.keys; ++i) active_.push_back(next_key_++);
  }

  jepsen::History Run() {
    jepsen::History h;
    std::vector<Value> open(static_cast<size_t>(c_.processes));
    size_t started = 0, done = 0;
    int64_t time = 0;
    while (done < c_.txns) {
      size_t p = rng_() % open.size();
      time += 1000;
      if (open[p].is_nil()) {
        if (started == c_.txns) continue;
        ++started;
        open[p] = Plan();
        Append(h, {.time = time, .type = jepsen::OpType::kInvoke,
                   .process = static_cast<int64_t>(p), .f = Kw("txn"), .value = open[p]});
      } else {
        ++done;
        jepsen::OpType type = jepsen::OpType::kOk;
        Value result = Execute(open[p], &type);
        Append(h, {.time = time, .type = type, .process = static_cast<int64_t>(p),
                   .f = Kw("txn"), .value = result});
        open[p] = Value();
      }
    }
    return h;
  }

 private:
  static Value Kw(const char* name) { return Value::Keyword(name); }
  static void Append(jepsen::History& h, jepsen::Op op) {
    if (!h.Append(std::move(op)).ok()) std::abort();
  }

  Value Plan() {
    std::vector<Value> mops;
    for (int i = 0; i < 4; ++i) {
      int64_t key = active_[rng_() % active_.size()];
      bool read = rng_() % 2 == 0;
      if (read) {
        mops.push_back(Value::Vector({Kw("r"), key, Value()}));
      } else {
        mops.push_back(Value::Vector({Kw(c_.registers ? "w" : "append"), key, ++next_value_}));
      }
    }
    return Value::Vector(std::move(mops));
  }

  Value Execute(const Value& plan, jepsen::OpType* type) {
    ++executed_;
    bool stale = c_.inject && executed_ % 5000 == 2500;
    if (c_.inject && executed_ % 20000 == 10000) *type = jepsen::OpType::kFail;
    std::vector<Value> out;
    for (const Value& m : plan.elements()) {
      int64_t key = m[1].AsInt();
      if (c_.registers) {
        Value& reg = registers_[key];
        if (m[0].IsKeyword("r")) {
          out.push_back(Value::Vector({m[0], key, stale && !prev_[key].is_nil() ? prev_[key] : reg}));
        } else {
          prev_[key] = reg;
          reg = m[2];
          out.push_back(m);
          Written(key);
        }
      } else {
        std::vector<int64_t>& list = lists_[key];
        if (m[0].IsKeyword("r")) {
          size_t n = list.size() - (stale && !list.empty() ? 1 : 0);
          std::vector<Value> elements(list.begin(), list.begin() + static_cast<ptrdiff_t>(n));
          out.push_back(Value::Vector({m[0], key, Value::Vector(std::move(elements))}));
        } else {
          list.push_back(m[2].AsInt());
          out.push_back(m);
          Written(key);
        }
      }
    }
    return *type == jepsen::OpType::kOk ? Value::Vector(std::move(out)) : plan;
  }

  // After 16 writes a key retires: new txns no longer pick it (txns already planned
  // may still write it) and a fresh key takes its place.
  void Written(int64_t key) {
    if (++writes_[key] != 16) return;
    for (int64_t& k : active_) {
      if (k == key) k = next_key_++;
    }
  }

  Config c_;
  std::mt19937_64 rng_;
  std::vector<int64_t> active_;
  int64_t next_key_ = 0, next_value_ = 0;
  size_t executed_ = 0;
  std::unordered_map<int64_t, std::vector<int64_t>> lists_;
  std::unordered_map<int64_t, Value> registers_, prev_;
  std::unordered_map<int64_t, int> writes_;
};

void RunOne(const Config& c) {
  auto start = Clock::now();
  jepsen::History h = Generator(c).Run();
  double gen = Seconds(start);
  long gen_peak = PeakKiB();
  auto checker = c.registers ? jepsen::elle::MakeRwRegisterChecker({})
                             : jepsen::elle::MakeListAppendChecker({});
  start = Clock::now();
  double cpu_start = CpuSeconds();
  jepsen::CheckResult r = checker->Check({}, h);
  double check = Seconds(start);
  double cpu = CpuSeconds() - cpu_start;
  std::string types;
  if (const Value* t = r.details.Find("anomaly-types")) types = t->ToEdn();
  fmt::print("{:<11} {:<8} {:>8} txns  generate {:5.2f} s  check {:5.2f} s (cpu {:5.2f} s)  "
             "{:>9.0f} txn/s  {:<7} {}  VmHWM {} MB (history alone {} MB)\n",
             c.registers ? "rw-register" : "list-append", c.inject ? "injected" : "clean",
             c.txns, gen, check, cpu, static_cast<double>(c.txns) / check,
             jepsen::ValidityName(r.validity), types, PeakKiB() / 1024, gen_peak / 1024);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  Config base;
  std::string workload = "both", inject = "both";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--txns") base.txns = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--workload") workload = value;
    else if (flag == "--inject") inject = value;
    else if (flag == "--processes") base.processes = std::atoi(value.c_str());
    else if (flag == "--keys") base.keys = std::atoi(value.c_str());
    else {
      fmt::print(stderr, "usage: elle_bench [--txns N] [--workload list-append|rw-register|both] "
                         "[--inject none|some|both] [--processes P] [--keys K]\n");
      return 254;
    }
  }
  int failures = 0;
  for (bool registers : {false, true}) {
    if (workload != "both" && (workload == "rw-register") != registers) continue;
    for (bool injected : {false, true}) {
      if (inject != "both" && (inject == "some") != injected) continue;
      Config c = base;
      c.registers = registers;
      c.inject = injected;
      pid_t pid = fork();
      if (pid == 0) {
        RunOne(c);
        std::_Exit(0);
      }
      int status = 0;
      waitpid(pid, &status, 0);
      failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
  }
  return failures == 0 ? 0 : 1;
}
