#include "jepsen/runner.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "jepsen/interpreter.h"
#include "jepsen/report.h"
#include "jepsen/store.h"

namespace jepsen {
namespace {

// ---- Signals ------------------------------------------------------------------------

std::atomic<int> g_stop{0};
std::atomic<int> g_signals{0};
// Cleared just before the check; any signal after that cancels it.
std::atomic<bool> g_cancel_check{false};

extern "C" void OnSignal(int) {
  g_cancel_check.store(true);
  int n = g_signals.fetch_add(1) + 1;
  g_stop.store(n >= 2 ? static_cast<int>(StopRequest::kAbort)
                      : static_cast<int>(StopRequest::kStop));
}

// Owns SIGINT and SIGTERM for the life of a run; restores the previous handlers.
class SignalScope {
 public:
  explicit SignalScope(bool enabled) : enabled_(enabled) {
    g_stop = 0;
    g_signals = 0;
    if (!enabled_) return;
    struct sigaction sa {};
    sa.sa_handler = OnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalScope() {
    if (!enabled_) return;
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  bool enabled_;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// ---- A barrier that breaks when a node fails ---------------------------------------

class NodeBarrier {
 public:
  explicit NodeBarrier(size_t n) : n_(n) {}
  Status Arrive() {
    std::unique_lock<std::mutex> lock(mu_);
    uint64_t generation = generation_;
    if (broken_) return FailedPreconditionError("another node failed during setup");
    if (++arrived_ == n_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return OkStatus();
    }
    cv_.wait(lock, [&] { return generation_ != generation || broken_; });
    if (generation_ != generation) return OkStatus();
    return FailedPreconditionError("another node failed during setup");
  }
  void Break() {
    std::lock_guard<std::mutex> lock(mu_);
    broken_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t n_;
  size_t arrived_ = 0;      // guarded by mu_
  uint64_t generation_ = 0;  // guarded by mu_
  bool broken_ = false;     // guarded by mu_
};

// ---- Progress ------------------------------------------------------------------------

class Progress {
 public:
  Progress(const Test& test, const InterpreterStats& stats, bool enabled)
      : test_(test), stats_(stats), tty_(isatty(STDERR_FILENO)) {
    if (!enabled) return;
    start_ = std::chrono::steady_clock::now();
    thread_ = std::thread([this] { Loop(); });
  }
  ~Progress() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (tty_ && printed_) std::fputs("\n", stderr);
  }

 private:
  void Loop() {
    int64_t last_ops = 0;
    auto last = start_;
    int tick = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) {
      auto now = std::chrono::steady_clock::now();
      int64_t ops = stats_.ok + stats_.fail + stats_.info;
      double rate = static_cast<double>(ops - last_ops) /
                    std::chrono::duration<double>(now - last).count();
      last_ops = ops;
      last = now;
      auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now - start_).count();
      std::string fault = stats_.last_fault();
      std::string line = fmt::format(
          "{}s/{}s  {:.0f} ops/s  ok {}  fail {}  info {}  faults {}{}", elapsed,
          test_.time_limit.count(), rate, stats_.ok.load(), stats_.fail.load(),
          stats_.info.load(), stats_.nemesis_ops.load(), fault.empty() ? "" : " (last " + fault + ")");
      if (tty_) {
        fmt::print(stderr, "\r\033[K{}", line);
        std::fflush(stderr);
        printed_ = true;
      } else if (++tick % 10 == 0) {
        test_.log().Info("progress: {}", line);
      }
    }
  }

  const Test& test_;
  const InterpreterStats& stats_;
  bool tty_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

// ---- Steps -------------------------------------------------------------------------

Value TestDescription(const Test& test, std::chrono::system_clock::time_point start) {
  std::vector<Value> nodes, argv;
  for (const auto& n : test.nodes) nodes.push_back(Value::String(n));
  for (const auto& a : test.argv) argv.push_back(Value::String(a));
  std::vector<MapEntry> entries{
      {Value::Keyword("name"), Value::String(test.name)},
      {Value::Keyword("nodes"), Value::Vector(std::move(nodes))},
      {Value::Keyword("concurrency"), test.concurrency},
      {Value::Keyword("time-limit"), static_cast<int64_t>(test.time_limit.count())},
      {Value::Keyword("seed"), Value::BigInt(std::to_string(test.seed))},
      {Value::Keyword("start-time"),
       static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                start.time_since_epoch())
                                .count())},
      {Value::Keyword("options"), test.options},
      {Value::Keyword("argv"), Value::Vector(std::move(argv))},
      {Value::Keyword("versions"), Value::Map({{Value::Keyword("jepsen"), Value::String("0.1.0")}})},
  };
  if (!test.nemesis_perf.is_nil()) {
    entries.push_back({Value::Keyword("nemesis-perf"), test.nemesis_perf});
  }
  return Value::Map(std::move(entries));
}

Status SetupDb(Test& test, int tries) {
  if (!test.db) return OkStatus();
  Status last;
  for (int attempt = 1; attempt <= tries; ++attempt) {
    NodeBarrier barrier(test.nodes.size());
    test.barrier = [&barrier] { return barrier.Arrive(); };
    last = OnNodes(test, [&](const std::string& node) {
      Status s = test.db->Teardown(test, node);
      if (s.ok()) s = test.db->Setup(test, node);
      if (!s.ok()) barrier.Break();
      return s;
    });
    test.barrier = nullptr;
    if (last.ok()) return last;
    test.log().Warn("DB setup attempt {} of {} failed: {}", attempt, tries, last.message());
  }
  return last.WithContext(fmt::format("DB setup failed {} times", tries));
}

void DownloadLogs(Test& test, const Store* store) {
  auto* logs = Capability<HasLogFiles>(test.db.get());
  if (!store || !logs) return;
  Status s = OnNodes(test, [&](const std::string& node) {
    Remote* remote = test.RemoteFor(node);
    if (!remote) return OkStatus();
    JEPSEN_ASSIGN_OR_RETURN(std::string dir, store->NodeDir(node));
    for (const std::string& path : logs->LogFiles(test, node)) {
      std::string local = dir + "/" + std::filesystem::path(path).filename().string();
      Status d = remote->Download(path, local);
      if (!d.ok()) test.log().Warn("could not download {} from {}: {}", path, node, d.message());
    }
    return OkStatus();
  });
  if (!s.ok()) test.log().Warn("downloading logs: {}", s.message());
}

// Heals and tears down whatever the run set up; runs on every exit path.
void Cleanup(Test& test, const Store* store, bool db_set_up, bool nemesis_set_up) {
  if (nemesis_set_up && test.nemesis) {
    Status s;
    try {
      s = test.nemesis->Teardown(test);
    } catch (const std::exception& e) {
      s = InternalError(fmt::format("it threw: {}", e.what()));
    }
    if (s.ok()) {
      test.log().Info("nemesis torn down: every fault it can cause is healed");
    } else {
      test.log().Error("nemesis teardown failed: {}", s.message());
    }
  }
  if (db_set_up) {
    DownloadLogs(test, store);
    if (test.db && !test.leave_db_running) {
      Status s = OnNodes(test, [&](const std::string& n) { return test.db->Teardown(test, n); });
      if (!s.ok()) test.log().Error("DB teardown failed: {}", s.message());
    }
  }
  if (test.os) {
    Status s = OnNodes(test, [&](const std::string& n) { return test.os->Teardown(test, n); });
    if (!s.ok()) test.log().Error("OS teardown failed: {}", s.message());
  }
}

Status SetupClientAndNemesis(Test& test) {
  if (test.client && !test.nodes.empty()) {
    JEPSEN_ASSIGN_OR_RETURN(std::unique_ptr<Client> client,
                            test.client->Open(test, test.nodes.front()));
    Status s = client->Setup(test);
    client->Close(test);
    JEPSEN_RETURN_IF_ERROR(s.WithContext("client setup"));
  }
  if (test.nemesis) JEPSEN_RETURN_IF_ERROR(test.nemesis->Setup(test).WithContext("nemesis setup"));
  return OkStatus();
}

void TeardownClient(Test& test) {
  if (!test.client || test.nodes.empty()) return;
  Result<std::unique_ptr<Client>> client = test.client->Open(test, test.nodes.front());
  if (!client.ok()) {
    test.log().Warn("client teardown skipped: {}", client.status().message());
    return;
  }
  Status s = (*client)->Teardown(test);
  if (!s.ok()) test.log().Warn("client teardown: {}", s.message());
  (*client)->Close(test);
}

}  // namespace

Status OnNodes(const Test& test, const std::function<Status(const std::string& node)>& fn) {
  std::vector<Status> results(test.nodes.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < test.nodes.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        results[i] = fn(test.nodes[i]);
      } catch (const std::exception& e) {
        results[i] = InternalError(e.what());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) return results[i].WithContext(test.nodes[i]);
  }
  return OkStatus();
}

Result<RunResult> Run(Test& test, const RunOptions& options) {
  auto wall_start = std::chrono::system_clock::now();
  Logger logger;
  logger.set_json(options.logging_json);
  Logger* previous_logger = test.logger;
  test.logger = &logger;
  struct RestoreLogger {
    Test& t;
    Logger* previous;
    bool close_remotes;
    ~RestoreLogger() {
      // Remotes the run opened may log to `logger`: they end with it.
      if (close_remotes) t.remotes.clear();
      t.logger = previous;
    }
  } restore{test, previous_logger, static_cast<bool>(options.open_remotes)};

  std::unique_ptr<Store> store;
  if (options.store) {
    JEPSEN_ASSIGN_OR_RETURN(store, Store::Create(test.store_dir, test.name, wall_start));
    JEPSEN_RETURN_IF_ERROR(logger.OpenFile(store->dir() + "/jepsen.log"));
    test.run_dir = store->dir();
    JEPSEN_RETURN_IF_ERROR(store->WriteJson("test.json", TestDescription(test, wall_start)));
    JEPSEN_RETURN_IF_ERROR(store->OpenHistory());
  }
  logger.Info("running test {} on {} node(s), concurrency {}, seed {}{}", test.name,
              test.nodes.size(), test.concurrency, test.seed,
              store ? ", storing in " + store->dir() : "");

  SignalScope signals(options.handle_signals);
  RunResult out;
  out.run_dir = store ? store->dir() : "";
  bool db_set_up = false, nemesis_set_up = false;
  Status failure;
  auto step = [&](Status s) {
    if (!s.ok() && failure.ok()) failure = s;
    return failure.ok() && g_stop.load() == 0;
  };

  // Whatever a suite's code throws (a generator, a client's Open, a setup), the run
  // still heals and tears down below: an exception becomes the run's failure.
  try {
    if (options.open_remotes) step(options.open_remotes(test));
    if (failure.ok() && test.os) {
      step(OnNodes(test, [&](const std::string& n) { return test.os->Setup(test, n); }));
    }
    if (failure.ok()) {
      db_set_up = true;  // from here on, teardown must run (setup may half-succeed)
      step(SetupDb(test, options.db_setup_tries));
    }
    if (failure.ok()) {
      nemesis_set_up = true;
      step(SetupClientAndNemesis(test));
    }
    if (failure.ok() && g_stop.load() == 0) {
      Interpreter interpreter(test, out.history,
                              {.op_timeout = options.op_timeout,
                               .stop = &g_stop,
                               .seed = test.seed,
                               .on_op = [&](const Op& op) {
                                 if (store) store->Record(op);
                               }});
      {
        Progress progress(test, interpreter.stats(), options.progress);
        logger.Info("running the generator");
        step(interpreter.Run(test.generator));
        if (failure.ok() && g_stop.load() == 0 && !test.final_generator.empty()) {
          logger.Info("running the final generator");
          step(interpreter.Run(test.final_generator));
        }
      }
      if (interpreter.nemesis_running()) {
        // A fault still being installed must not land after the heal below.
        logger.Info("waiting up to 30 s for the nemesis op in flight before healing");
        if (!interpreter.FinishNemesis(std::chrono::seconds(30))) {
          logger.Error("the nemesis op in flight did not finish within 30 s: healing anyway; "
                       "a fault it installs afterwards is not healed");
        }
      }
      if (interpreter.abandoned() > 0) {
        logger.Warn("{} op(s) still running were left pending in the history",
                    interpreter.abandoned());
      }
    }
  } catch (const std::exception& e) {
    step(InternalError(fmt::format("an exception ended the run: {}", e.what())));
    logger.Error("an exception ended the run ({}): healing and tearing down", e.what());
  } catch (...) {
    step(InternalError("an exception ended the run"));
    logger.Error("an exception ended the run: healing and tearing down");
  }
  out.interrupted = g_stop.load() != 0;
  if (out.interrupted) logger.Warn("interrupted by a signal: healing and tearing down");
  TeardownClient(test);
  Cleanup(test, store.get(), db_set_up, nemesis_set_up);
  if (store) {
    Status s = store->CloseHistory();
    if (!s.ok()) logger.Error("writing the history: {}", s.message());
  }
  if (!failure.ok()) {
    logger.Error("test failed: {}", failure.message());
    return failure;
  }

  CheckContext context{.out_dir = out.run_dir,
                       .nodes = test.nodes,
                       .time_limit = options.check_time_limit,
                       .memory_limit_bytes = options.check_memory_limit_bytes};
  if (options.handle_signals) {
    g_cancel_check.store(false);
    context.cancel = &g_cancel_check;
  }
  logger.Info("checking {} ops{}", out.history.size(),
              options.check_time_limit.count() > 0
                  ? fmt::format(" (giving up after {} s)", options.check_time_limit.count() / 1000)
                  : "");
  try {
    out.result = test.checker ? test.checker->Check(context, out.history) : CheckResult{};
    if (context.cancel != nullptr && context.cancel->load()) {
      logger.Warn("checking was cancelled by a signal: the verdict is at best unknown");
    }
  } catch (const std::exception& e) {
    // As Jepsen's check-safe: a checker that crashes knows nothing.
    logger.Error("the checker threw: {}", e.what());
    const std::string error = std::string("checker threw: ") + e.what();
    out.result = CheckResult{
        .validity = Validity::kUnknown,
        .details = Value::Map({{Value::Keyword("error"), Value::String(error)}})};
  }
  if (store) {
    JEPSEN_RETURN_IF_ERROR(store->WriteResults(out.result));
    // Reports come after the history and results are safe: a failure is only logged.
    Result<std::vector<std::string>> reports =
        WriteReports(store->dir(), out.history,
                     {.test_name = test.name,
                      .test = TestDescription(test, wall_start),
                      .results = out.result.ToValue(),
                      .nemesis_perf = test.nemesis_perf});
    if (reports.ok()) {
      logger.Info("report: {}/index.html", store->dir());
    } else {
      logger.Error("writing the reports: {}", reports.status().message());
    }
    JEPSEN_RETURN_IF_ERROR(store->UpdateLatest());
  }
  logger.Info("verdict: {}{}", ValidityName(out.result.validity),
              store ? " (results in " + store->dir() + ")" : "");
  return out;
}

}  // namespace jepsen
