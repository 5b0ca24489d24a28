// Interpreter: runs a generator against the test's clients and nemesis, recording
// every invocation and completion.
//
// One worker thread per client thread (thread i talks to node i mod n) plus one for the
// nemesis; the calling thread coordinates. It asks the generator for ops, hands each
// to its thread's worker, records the invocation and, when the worker is done, the
// completion, feeding both back to the generator. Ops get dense indices and monotonic
// times (nanoseconds since `origin`).
//
// As in Jepsen, an info completion, or an exception thrown by Client::Invoke (recorded
// as info with the exception's message), retires the process: the thread goes on as
// process + concurrency with a freshly opened client. An op that runs longer than
// `op_timeout` is recorded as info (:error [:interpreter-timeout ...]) and its thread
// gets a new worker, so a hung client cannot hang the test.
//
//   Interpreter interpreter(test, history, {.origin = start, .on_op = record});
//   JEPSEN_RETURN_IF_ERROR(interpreter.Run(test.generator));
//   JEPSEN_RETURN_IF_ERROR(interpreter.Run(test.final_generator));
//
// Thread safety: Run is called from one thread at a time; stats() may be read from any.
#ifndef JEPSEN_INTERPRETER_H_
#define JEPSEN_INTERPRETER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "jepsen/generator.h"
#include "jepsen/history.h"
#include "jepsen/random.h"
#include "jepsen/status.h"
#include "jepsen/test.h"

namespace jepsen {

// How a run is asked to stop (a signal handler sets it).
enum class StopRequest : int {
  kNone = 0,
  kStop = 1,   // stop asking the generator; wait for ops in flight
  kAbort = 2,  // stop now; ops in flight stay pending in the history
};

struct InterpreterOptions {
  // Op times are nanoseconds since this instant.
  std::chrono::steady_clock::time_point origin = std::chrono::steady_clock::now();
  // Ops still running after this long are recorded as info; 0 waits forever.
  std::chrono::milliseconds op_timeout{0};
  // After a stop request, how long to wait for ops in flight.
  std::chrono::milliseconds drain_timeout{10000};
  // Polled between ops; borrowed, may be null.
  const std::atomic<int>* stop = nullptr;
  // Seeds the generators' random source.
  uint64_t seed = 0;
  // Called on the coordinating thread after each op is recorded (e.g. Store::Record).
  std::function<void(const Op&)> on_op;
};

// Counters of recorded ops, readable while a run goes on.
struct InterpreterStats {
  std::atomic<int64_t> invocations{0};
  std::atomic<int64_t> ok{0};
  std::atomic<int64_t> fail{0};
  std::atomic<int64_t> info{0};
  std::atomic<int64_t> nemesis_ops{0};

  // The latest nemesis completion, e.g. ":start-partition :majority" ("" if none).
  std::string last_fault() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_fault_;
  }
  void set_last_fault(std::string s) {
    std::lock_guard<std::mutex> lock(mu_);
    last_fault_ = std::move(s);
  }

 private:
  mutable std::mutex mu_;
  std::string last_fault_;  // guarded by mu_
};

class Interpreter {
 public:
  // Borrows `test` and `history`, which must outlive the interpreter.
  Interpreter(const Test& test, History& history, InterpreterOptions options);
  // Stops the workers and closes their clients.
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  // Runs `gen` until it is exhausted and every op it started has completed, or until a
  // stop request. Processes carry over between runs (main phase, then final phase).
  // Errors: the generator emitted an op for a busy or unknown process (kInternal).
  Status Run(Gen gen);

  const InterpreterStats& stats() const { return stats_; }
  // Ops in flight left pending by an abort or a drain timeout.
  int64_t abandoned() const { return abandoned_; }
  // After Run stopped with ops in flight: waits up to `timeout` for the nemesis op
  // still running (if any) and records its completion (and any other that arrives
  // meanwhile), so that a fault it was still installing cannot land after the
  // cleanup's heal. Returns false when it is still running.
  bool FinishNemesis(std::chrono::nanoseconds timeout);
  // Whether a nemesis op is in flight.
  bool nemesis_running() const { return !threads_.is_free(threads_.nemesis_thread()); }

 private:
  struct Shared;
  struct Worker;
  struct Completion;

  int64_t Now() const;
  void StartWorker(int thread);
  void Dispatch(GenResult r, Gen& gen);
  void Complete(Completion c, Gen& gen);
  void ExpireTimeouts(Gen& gen);
  // Waits for completions until `deadline` (steady clock ns since origin), handling
  // each; returns true if any arrived.
  bool Await(int64_t deadline, Gen& gen);
  int64_t NearestTimeout() const;

  const Test& test_;
  History& history_;
  InterpreterOptions options_;
  Random rng_;
  ThreadTable threads_;
  std::shared_ptr<Shared> shared_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Op> running_;            // the invocation each thread runs
  std::vector<int64_t> deadline_;      // its timeout (ns since origin), or -1
  std::vector<uint64_t> epoch_;        // bumped when a thread's worker is replaced
  int64_t outstanding_ = 0;
  int64_t abandoned_ = 0;
  uint64_t consumed_ = 0;  // completions taken from the queue
  InterpreterStats stats_;
};

}  // namespace jepsen

#endif  // JEPSEN_INTERPRETER_H_
