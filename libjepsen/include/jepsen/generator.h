// Generators: what operations a test performs, and when, as pure values.
//
// Jepsen's contract. A generator is an immutable value. Asked for its next operation
// in a Context (the time, which worker threads are free, which process each thread
// runs), it answers with one of:
//   - an op (an invocation for a free process, with a time: now, or later to wait),
//     and the generator to use afterwards;
//   - pending: nothing now, maybe later (every thread busy, or waiting on others);
//   - exhausted: nothing ever again.
// Update(event) returns the generator after it has seen an invocation or completion.
// Because generators are values, the interpreter may ask again after anything changes,
// and Simulate (generator/simulate.h) runs them without threads or a cluster.
//
//   Gen g = gen::TimeLimit(60s, gen::Stagger(100ms, gen::Mix({gen::Repeat(gen::Invoke("read")),
//                                                              gen::Fn(RandomWrite)})));
//
// Threads: client threads are 0 .. concurrency-1 and run processes 0 ..
// concurrency-1 at first; the nemesis thread is number `concurrency` and runs
// kNemesisProcess. A process that crashes (info) is replaced by process +
// concurrency on the same thread.
//
// Randomness comes from the Context's Random, seeded from the test's seed.
//
// Thread safety: generators are immutable and may be shared; a Context is used by one
// thread at a time.
#ifndef JEPSEN_GENERATOR_H_
#define JEPSEN_GENERATOR_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jepsen/op.h"
#include "jepsen/random.h"

namespace jepsen {

struct Test;

// Which threads exist, which are free, and which process each runs. Owned by the
// interpreter (or the simulator); contexts point at it.
class ThreadTable {
 public:
  explicit ThreadTable(int concurrency);

  int concurrency() const { return concurrency_; }
  int size() const { return concurrency_ + 1; }  // clients and the nemesis
  int nemesis_thread() const { return concurrency_; }
  bool is_free(int thread) const { return free_[static_cast<size_t>(thread)]; }
  int64_t process(int thread) const { return process_[static_cast<size_t>(thread)]; }
  // The thread running `process`, or -1.
  int ThreadOf(int64_t process) const;

  void SetFree(int thread, bool free) { free_[static_cast<size_t>(thread)] = free; }
  // Gives a client thread its next process (process + concurrency) after a crash.
  void Retire(int thread);

 private:
  int concurrency_;
  std::vector<bool> free_;
  std::vector<int64_t> process_;
};

class Context {
 public:
  // A context that sees every thread of `threads` (borrowed, outlives the context).
  Context(const ThreadTable& threads, Random& rng, int64_t time_ns = 0);

  // Nanoseconds since the test started.
  int64_t time() const { return time_; }
  Context WithTime(int64_t time_ns) const;

  const ThreadTable& threads() const { return *threads_; }
  Random& rng() const { return *rng_; }
  int concurrency() const { return threads_->concurrency(); }

  // Threads this context lets a generator use, ascending.
  std::vector<int> AllThreads() const;
  // The visible threads that are free, ascending.
  std::vector<int> FreeThreads() const;
  bool Visible(int thread) const;
  bool IsFree(int thread) const { return Visible(thread) && threads_->is_free(thread); }
  bool AllFree() const;
  int64_t ProcessOf(int thread) const { return threads_->process(thread); }
  int ThreadOf(int64_t process) const { return threads_->ThreadOf(process); }
  // A random free visible process, or none.
  std::optional<int64_t> SomeFreeProcess() const;

  // The same context seeing only the threads for which `keep` is true (and which this
  // context already sees).
  Context Restrict(const std::function<bool(int thread)>& keep) const;

 private:
  // One bit per visible thread, inline for up to 128 threads (contexts are copied and
  // narrowed on every generator call, so this must not allocate).
  class ThreadMask {
   public:
    bool all() const { return all_; }
    bool Test(int t) const;
    void Clear(int threads);
    void Set(int t);

   private:
    bool all_ = true;
    uint64_t inline_[2] = {0, 0};
    std::vector<uint64_t> heap_;  // when there are more than 128 threads
  };

  const ThreadTable* threads_;
  Random* rng_;
  int64_t time_;
  ThreadMask visible_;
};

class Generator;
struct GenResult;

// A handle on a generator; empty means exhausted. Cheap to copy.
class Gen {
 public:
  Gen() = default;
  explicit Gen(std::shared_ptr<const Generator> g) : g_(std::move(g)) {}

  bool empty() const { return g_ == nullptr; }
  GenResult Next(const Test& test, const Context& ctx) const;
  Gen Update(const Test& test, const Context& ctx, const Op& event) const;
  const std::shared_ptr<const Generator>& get() const { return g_; }

 private:
  std::shared_ptr<const Generator> g_;
};

// What a generator asks the interpreter to do besides invoking an op.
enum class GenAction {
  kInvoke,  // run op on its process's client (or the nemesis)
  kSleep,   // occupy the thread for op.value nanoseconds; nothing is recorded
  kLog,     // write op.value to the log; nothing is recorded
};

struct GenResult {
  enum class Kind { kOp, kPending, kExhausted };
  Kind kind = Kind::kExhausted;
  GenAction action = GenAction::kInvoke;
  // For kOp: an invocation with process and time set (time may be in the future).
  Op op;
  // The generator after this answer (kOp and kPending).
  Gen next;

  bool is_op() const { return kind == Kind::kOp; }
  bool is_pending() const { return kind == Kind::kPending; }
  bool is_exhausted() const { return kind == Kind::kExhausted; }
};

// Implement this for a new kind of generator; users compose the functions below.
class Generator {
 public:
  virtual ~Generator() = default;
  Generator() = default;
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // `self` is the handle holding this generator, to return when it is unchanged.
  virtual GenResult Next(const Gen& self, const Test& test, const Context& ctx) const = 0;
  // The generator after seeing `event` (an invocation or a completion); the default
  // returns `self` unchanged.
  virtual Gen Update(const Gen& self, const Test& test, const Context& ctx,
                     const Op& event) const;
};

// Helpers for Generator implementations.
GenResult OpResult(Op op, Gen next, GenAction action = GenAction::kInvoke);
GenResult PendingResult(Gen next);
GenResult ExhaustedResult();

using Nanos = std::chrono::nanoseconds;

// The combinators live in jepsen::gen, as Jepsen's live in jepsen.generator (gen/).
namespace gen {

// ---- Sources ----------------------------------------------------------------------

// One invocation of `op` (its f and value; process and time are filled in), like a
// Jepsen op map used as a generator.
Gen Invoke(Op op);
// Shorthand: one invocation of the keyword f with value.
Gen Invoke(std::string_view f, Value value = Value());
// Calls `f` for each op (Jepsen's function generators); nullopt ends it. `f` sees the
// context (time, rng) and returns f and value; the process and time are filled in.
Gen Fn(std::function<std::optional<Op>(const Test&, const Context&)> f);
// Sleeps the thread that takes it for `dt`; nothing is recorded.
Gen Sleep(Nanos dt);
// Logs `message`; nothing is recorded.
Gen Log(std::string message);

// ---- Sequencing -------------------------------------------------------------------

// Each generator in turn, moving on when one is exhausted.
Gen Concat(std::vector<Gen> gens);
// Each generator in turn, waiting for every thread to be free before starting each.
Gen Phases(std::vector<Gen> gens);
// Jepsen's (then a b): b, then once all threads are free, a. (The order is Jepsen's.)
Gen Then(Gen a, Gen b);
// Waits until every visible thread is free, then behaves as `gen`.
Gen Synchronize(Gen gen);
// The first op of `gen` again and again (asked anew each time): forever, or `times`.
Gen Repeat(Gen gen);
Gen Repeat(int64_t times, Gen gen);
// `gen` from the start each time it is exhausted: forever, or `times` times in all.
Gen Cycle(Gen gen);
Gen Cycle(int64_t times, Gen gen);
// At most `n` ops of `gen`.
Gen Limit(int64_t n, Gen gen);
// Only the first op of `gen`.
Gen Once(Gen gen);
// Ops of `gen` until one of them completes :ok.
Gen UntilOk(Gen gen);

// ---- Choosing ---------------------------------------------------------------------

// Each op from a generator chosen uniformly at random among those not exhausted.
Gen Mix(std::vector<Gen> gens);
// The soonest op any of `gens` offers (ties broken at random); updates go to all.
Gen Any(std::vector<Gen> gens);
// Alternates: an op of a, an op of b, ... until either is exhausted.
Gen FlipFlop(Gen a, Gen b);
// Ops of `gen` transformed by `f`.
Gen Map(std::function<Op(Op)> f, Gen gen);
// Only the ops of `gen` for which `pred` is true.
Gen Filter(std::function<bool(const Op&)> pred, Gen gen);

// ---- Time -------------------------------------------------------------------------

// Ops at uniformly random intervals between 0 and 2*dt (mean dt).
Gen Stagger(Nanos dt, Gen gen);
// Ops at least dt apart.
Gen Delay(Nanos dt, Gen gen);
// Ops only at multiples of dt since the test started (a fixed schedule, as the TiKV
// suite's nemesis uses), at most one per slot.
Gen DelayTil(Nanos dt, Gen gen);
// Ops for `dt` after the first one, then exhausted.
Gen TimeLimit(Nanos dt, Gen gen);

// ---- Threads and processes --------------------------------------------------------

// `gen` sees only client threads / only the nemesis thread.
Gen Clients(Gen gen);
Gen Nemesis(Gen gen);
// Both at once: client ops from `clients`, nemesis ops from `nemesis`.
Gen ClientsAndNemesis(Gen clients, Gen nemesis);
// `gen` sees only the threads for which `pred` is true; it sees only their events.
Gen OnThreads(std::function<bool(int thread)> pred, Gen gen);
// The first `counts[0]` threads run gens[0], the next `counts[1]` gens[1], ...; the
// remaining threads run `rest`. Ops offered for the same time are chosen in proportion
// to the threads of each part, so no part starves another. (Jepsen's reserve.)
Gen Reserve(std::vector<std::pair<int, Gen>> reserved, Gen rest);
// An independent copy of `gen` for every thread / every process.
Gen EachThread(Gen gen);
Gen EachProcess(Gen gen);
// Ops for at most `n` distinct processes, ever.
Gen ProcessLimit(int64_t n, Gen gen);
// At most `n` ops of `gen` in flight at once.
Gen ConcurrencyLimit(int64_t n, Gen gen);

}  // namespace gen
}  // namespace jepsen

#endif  // JEPSEN_GENERATOR_H_
