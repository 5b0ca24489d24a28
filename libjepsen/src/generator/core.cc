// Contexts, handles, sources and sequencing generators.
#include <algorithm>

#include "jepsen/check.h"
#include "jepsen/generator.h"

namespace jepsen {

// ---- ThreadTable and Context -------------------------------------------------------

ThreadTable::ThreadTable(int concurrency)
    : concurrency_(concurrency),
      free_(static_cast<size_t>(concurrency) + 1, true),
      process_(static_cast<size_t>(concurrency) + 1) {
  JEPSEN_CHECK(concurrency > 0, "concurrency must be positive, not {}", concurrency);
  for (int t = 0; t < concurrency; ++t) process_[static_cast<size_t>(t)] = t;
  process_[static_cast<size_t>(concurrency)] = kNemesisProcess;
}

int ThreadTable::ThreadOf(int64_t process) const {
  if (process == kNemesisProcess) return concurrency_;
  if (process < 0) return -1;
  int t = static_cast<int>(process % concurrency_);
  return process_[static_cast<size_t>(t)] == process ? t : -1;
}

void ThreadTable::Retire(int thread) {
  JEPSEN_CHECK(thread >= 0 && thread < concurrency_, "only client threads retire, not {}",
               thread);
  process_[static_cast<size_t>(thread)] += concurrency_;
}

Context::Context(const ThreadTable& threads, Random& rng, int64_t time_ns)
    : threads_(&threads), rng_(&rng), time_(time_ns) {}

Context Context::WithTime(int64_t time_ns) const {
  Context c = *this;
  c.time_ = time_ns;
  return c;
}

bool Context::ThreadMask::Test(int t) const {
  if (all_) return true;
  auto word = static_cast<size_t>(t) / 64;
  uint64_t bit = uint64_t{1} << (t % 64);
  return (heap_.empty() ? inline_[word] : heap_[word]) & bit;
}

void Context::ThreadMask::Clear(int threads) {
  all_ = false;
  inline_[0] = inline_[1] = 0;
  if (threads > 128) heap_.assign(static_cast<size_t>(threads + 63) / 64, 0);
}

void Context::ThreadMask::Set(int t) {
  auto word = static_cast<size_t>(t) / 64;
  uint64_t bit = uint64_t{1} << (t % 64);
  (heap_.empty() ? inline_[word] : heap_[word]) |= bit;
}

bool Context::Visible(int thread) const {
  if (thread < 0 || thread >= threads_->size()) return false;
  return visible_.Test(thread);
}

std::vector<int> Context::AllThreads() const {
  std::vector<int> out;
  for (int t = 0; t < threads_->size(); ++t) {
    if (Visible(t)) out.push_back(t);
  }
  return out;
}

std::vector<int> Context::FreeThreads() const {
  std::vector<int> out;
  for (int t = 0; t < threads_->size(); ++t) {
    if (IsFree(t)) out.push_back(t);
  }
  return out;
}

bool Context::AllFree() const {
  for (int t = 0; t < threads_->size(); ++t) {
    if (Visible(t) && !threads_->is_free(t)) return false;
  }
  return true;
}

std::optional<int64_t> Context::SomeFreeProcess() const {
  int free = 0;
  for (int t = 0; t < threads_->size(); ++t) free += IsFree(t);
  if (free == 0) return std::nullopt;
  int64_t pick = free == 1 ? 0 : rng_->Uniform(free);
  for (int t = 0; t < threads_->size(); ++t) {
    if (IsFree(t) && pick-- == 0) return threads_->process(t);
  }
  return std::nullopt;
}

Context Context::Restrict(const std::function<bool(int thread)>& keep) const {
  Context c = *this;
  c.visible_.Clear(threads_->size());
  for (int t = 0; t < threads_->size(); ++t) {
    if (Visible(t) && keep(t)) c.visible_.Set(t);
  }
  return c;
}

// ---- Handles and results -----------------------------------------------------------

Gen Generator::Update(const Gen& self, const Test&, const Context&, const Op&) const {
  return self;
}

GenResult Gen::Next(const Test& test, const Context& ctx) const {
  if (!g_) return ExhaustedResult();
  return g_->Next(*this, test, ctx);
}

Gen Gen::Update(const Test& test, const Context& ctx, const Op& event) const {
  if (!g_) return *this;
  return g_->Update(*this, test, ctx, event);
}

GenResult OpResult(Op op, Gen next, GenAction action) {
  GenResult r;
  r.kind = GenResult::Kind::kOp;
  r.action = action;
  r.op = std::move(op);
  r.next = std::move(next);
  return r;
}

GenResult PendingResult(Gen next) {
  GenResult r;
  r.kind = GenResult::Kind::kPending;
  r.next = std::move(next);
  return r;
}

GenResult ExhaustedResult() { return GenResult{}; }

namespace {

template <typename T, typename... Args>
Gen Make(Args&&... args) {
  return Gen(std::make_shared<const T>(std::forward<Args>(args)...));
}

// Fills in the process (a random free one) and the time (now, unless later).
std::optional<Op> FillIn(Op op, const Context& ctx) {
  std::optional<int64_t> p = ctx.SomeFreeProcess();
  if (!p) return std::nullopt;
  op.type = OpType::kInvoke;
  op.process = *p;
  op.time = std::max(op.time, ctx.time());
  return op;
}

// ---- Sources ----------------------------------------------------------------------

class OnceOp : public Generator {
 public:
  OnceOp(Op op, GenAction action) : op_(std::move(op)), action_(action) {}
  GenResult Next(const Gen& self, const Test&, const Context& ctx) const override {
    std::optional<Op> op = FillIn(op_, ctx);
    if (!op) return PendingResult(self);
    return OpResult(std::move(*op), Gen(), action_);
  }

 private:
  Op op_;
  GenAction action_;
};

class FnGen : public Generator {
 public:
  using F = std::function<std::optional<Op>(const Test&, const Context&)>;
  explicit FnGen(F f) : f_(std::move(f)) {}
  GenResult Next(const Gen& self, const Test& test, const Context& ctx) const override {
    if (ctx.FreeThreads().empty()) return PendingResult(self);
    std::optional<Op> op = f_(test, ctx);
    if (!op) return ExhaustedResult();
    std::optional<Op> filled = FillIn(std::move(*op), ctx);
    return OpResult(std::move(*filled), self);
  }

 private:
  F f_;
};

// ---- Sequencing -------------------------------------------------------------------

class ConcatGen : public Generator {
 public:
  explicit ConcatGen(std::vector<Gen> gens) : gens_(std::move(gens)) {}
  GenResult Next(const Gen& /*self*/, const Test& test, const Context& ctx) const override {
    for (size_t i = 0; i < gens_.size(); ++i) {
      GenResult r = gens_[i].Next(test, ctx);
      if (r.is_exhausted()) continue;
      r.next = With(i, r.next);
      return r;
    }
    return ExhaustedResult();
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    // Only the current (first live) generator hears events.
    if (gens_.empty()) return Gen();
    Gen updated = gens_[0].Update(test, ctx, event);
    if (updated.get() == gens_[0].get()) return self;
    return With(0, std::move(updated));
  }

 private:
  // This sequence from position i on, with gens_[i] replaced by `g`.
  Gen With(size_t i, Gen g) const {
    std::vector<Gen> rest;
    if (!g.empty()) rest.push_back(std::move(g));
    rest.insert(rest.end(), gens_.begin() + static_cast<long>(i) + 1, gens_.end());
    if (rest.empty()) return Gen();
    if (rest.size() == 1) return rest[0];
    return Make<ConcatGen>(std::move(rest));
  }
  std::vector<Gen> gens_;
};

class SynchronizeGen : public Generator {
 public:
  explicit SynchronizeGen(Gen gen) : gen_(std::move(gen)) {}
  GenResult Next(const Gen& self, const Test& test, const Context& ctx) const override {
    if (!ctx.AllFree()) return PendingResult(self);
    return gen_.Next(test, ctx);  // once started, it is just gen
  }
  Gen Update(const Gen& self, const Test&, const Context&, const Op&) const override {
    return self;  // not started: gen has not run, so it hears nothing yet
  }

 private:
  Gen gen_;
};

class RepeatGen : public Generator {
 public:
  RepeatGen(int64_t remaining, Gen gen) : remaining_(remaining), gen_(std::move(gen)) {}
  GenResult Next(const Gen& self, const Test& test, const Context& ctx) const override {
    if (remaining_ == 0) return ExhaustedResult();
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    if (r.is_pending()) return PendingResult(self);
    // The original generator again: each repetition asks it anew.
    r.next = Make<RepeatGen>(remaining_ < 0 ? -1 : remaining_ - 1, gen_);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return Make<RepeatGen>(remaining_, std::move(updated));
  }

 private:
  int64_t remaining_;  // -1: forever
  Gen gen_;
};

class CycleGen : public Generator {
 public:
  CycleGen(int64_t remaining, Gen original, Gen current)
      : remaining_(remaining), original_(std::move(original)), current_(std::move(current)) {}
  GenResult Next(const Gen& /*self*/, const Test& test, const Context& ctx) const override {
    Gen current = current_;
    int64_t remaining = remaining_;
    // At most one restart per call: an empty original must not loop forever.
    for (int attempt = 0; attempt < 2 && remaining != 0; ++attempt) {
      GenResult r = current.Next(test, ctx);
      if (!r.is_exhausted()) {
        r.next = Make<CycleGen>(remaining, original_, r.next);
        return r;
      }
      if (remaining > 0) --remaining;
      current = original_;
    }
    return ExhaustedResult();
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = current_.Update(test, ctx, event);
    if (updated.get() == current_.get()) return self;
    return Make<CycleGen>(remaining_, original_, std::move(updated));
  }

 private:
  int64_t remaining_;  // passes left including the current one; -1: forever
  Gen original_;
  Gen current_;
};

class LimitGen : public Generator {
 public:
  LimitGen(int64_t n, Gen gen) : n_(n), gen_(std::move(gen)) {}
  GenResult Next(const Gen& /*self*/, const Test& test, const Context& ctx) const override {
    if (n_ <= 0) return ExhaustedResult();
    GenResult r = gen_.Next(test, ctx);
    if (r.is_op()) {
      r.next = n_ == 1 ? Gen() : Make<LimitGen>(n_ - 1, r.next);
    } else if (r.is_pending()) {
      r.next = Make<LimitGen>(n_, r.next);
    }
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return Make<LimitGen>(n_, std::move(updated));
  }

 private:
  int64_t n_;
  Gen gen_;
};

class UntilOkGen : public Generator {
 public:
  UntilOkGen(Gen gen, std::vector<int64_t> active, bool done)
      : gen_(std::move(gen)), active_(std::move(active)), done_(done) {}
  GenResult Next(const Gen& /*self*/, const Test& test, const Context& ctx) const override {
    if (done_) return ExhaustedResult();
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    std::vector<int64_t> active = active_;
    if (r.is_op()) active.push_back(r.op.process);
    r.next = Make<UntilOkGen>(r.next, std::move(active), false);
    return r;
  }
  Gen Update(const Gen&, const Test& test, const Context& ctx,
             const Op& event) const override {
    auto it = std::find(active_.begin(), active_.end(), event.process);
    if (it == active_.end()) return Make<UntilOkGen>(gen_, active_, done_);
    Gen inner = gen_.Update(test, ctx, event);
    if (event.is_invoke()) return Make<UntilOkGen>(inner, active_, done_);
    std::vector<int64_t> active = active_;
    active.erase(active.begin() + (it - active_.begin()));
    return Make<UntilOkGen>(inner, std::move(active), done_ || event.is_ok());
  }

 private:
  Gen gen_;
  std::vector<int64_t> active_;  // processes running an op of ours
  bool done_;
};

}  // namespace

namespace gen {

Gen Invoke(Op op) { return Make<OnceOp>(std::move(op), GenAction::kInvoke); }

Gen Invoke(std::string_view f, Value value) {
  return Invoke(Op{.f = Value::Keyword(f), .value = std::move(value)});
}

Gen Fn(std::function<std::optional<Op>(const Test&, const Context&)> f) {
  return Make<FnGen>(std::move(f));
}

Gen Sleep(Nanos dt) {
  return Make<OnceOp>(Op{.f = Value::Keyword("sleep"), .value = Value::Int(dt.count())},
                      GenAction::kSleep);
}

Gen Log(std::string message) {
  return Make<OnceOp>(Op{.f = Value::Keyword("log"), .value = Value::String(message)},
                      GenAction::kLog);
}

Gen Concat(std::vector<Gen> gens) {
  std::erase_if(gens, [](const Gen& g) { return g.empty(); });
  if (gens.empty()) return Gen();
  if (gens.size() == 1) return gens[0];
  return Make<ConcatGen>(std::move(gens));
}

Gen Synchronize(Gen gen) {
  if (gen.empty()) return gen;
  return Make<SynchronizeGen>(std::move(gen));
}

Gen Phases(std::vector<Gen> gens) {
  for (Gen& g : gens) g = Synchronize(std::move(g));
  return Concat(std::move(gens));
}

Gen Then(Gen a, Gen b) { return Concat({std::move(b), Synchronize(std::move(a))}); }

Gen Repeat(Gen gen) { return Make<RepeatGen>(-1, std::move(gen)); }
Gen Repeat(int64_t times, Gen gen) { return Make<RepeatGen>(times, std::move(gen)); }
Gen Cycle(Gen gen) { return Make<CycleGen>(-1, gen, gen); }
Gen Cycle(int64_t times, Gen gen) { return Make<CycleGen>(times, gen, gen); }
Gen Limit(int64_t n, Gen gen) { return Make<LimitGen>(n, std::move(gen)); }
Gen Once(Gen gen) { return Limit(1, std::move(gen)); }
Gen UntilOk(Gen gen) { return Make<UntilOkGen>(std::move(gen), std::vector<int64_t>{}, false); }

}  // namespace gen
}  // namespace jepsen
