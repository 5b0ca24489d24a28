// Generators that divide the threads and processes among generators.
#include <algorithm>
#include <map>

#include "jepsen/generator.h"
#include "make.h"

namespace jepsen {
namespace {

using internal::MakeGen;
using ThreadPred = std::function<bool(int thread, const Context& ctx)>;

class OnThreadsGen : public Generator {
 public:
  OnThreadsGen(std::shared_ptr<const ThreadPred> pred, Gen gen)
      : pred_(std::move(pred)), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    GenResult r = gen_.Next(test, Narrow(ctx));
    if (!r.is_exhausted()) r.next = Wrap(r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    int thread = ctx.ThreadOf(event.process);
    if (thread < 0 || !(*pred_)(thread, ctx)) return self;
    Gen updated = gen_.Update(test, Narrow(ctx), event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return Wrap(std::move(updated));
  }

 private:
  Context Narrow(const Context& ctx) const {
    return ctx.Restrict([&](int t) { return (*pred_)(t, ctx); });
  }
  Gen Wrap(Gen g) const { return g.empty() ? g : MakeGen<OnThreadsGen>(pred_, std::move(g)); }
  std::shared_ptr<const ThreadPred> pred_;
  Gen gen_;
};

Gen OnThreadsWith(ThreadPred pred, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<OnThreadsGen>(std::make_shared<const ThreadPred>(std::move(pred)),
                               std::move(gen));
}

// An independent copy of the original generator per key (a thread, or a process).
// Each copy sees only its own thread; the soonest op among them wins.
template <typename Key>
class PerKeyGen : public Generator {
 public:
  using KeyOf = Key (*)(int thread, const Context& ctx);
  PerKeyGen(KeyOf key_of, Gen original, std::map<Key, Gen> gens)
      : key_of_(key_of), original_(std::move(original)), gens_(std::move(gens)) {}

  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    std::map<Key, Gen> gens = gens_;
    std::optional<GenResult> best;
    Key best_key{};
    bool pending = false;
    for (int t : ctx.AllThreads()) {
      Key k = key_of_(t, ctx);
      Gen g = Current(k);
      GenResult r = g.Next(test, ctx.Restrict([t](int x) { return x == t; }));
      if (r.is_exhausted()) {
        gens[k] = Gen();
      } else if (r.is_pending()) {
        pending = true;
        gens[k] = r.next;
      } else if (!best || internal::Sooner(r, *best)) {
        best = std::move(r);
        best_key = k;
      }
    }
    if (best) {
      gens[best_key] = best->next;
      best->next = MakeGen<PerKeyGen>(key_of_, original_, std::move(gens));
      return std::move(*best);
    }
    if (pending) return PendingResult(MakeGen<PerKeyGen>(key_of_, original_, std::move(gens)));
    return ExhaustedResult();
  }

  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    int t = ctx.ThreadOf(event.process);
    if (t < 0) return self;
    Key k = key_of_(t, ctx);
    std::map<Key, Gen> gens = gens_;
    gens[k] = Current(k).Update(test, ctx.Restrict([t](int x) { return x == t; }), event);
    return MakeGen<PerKeyGen>(key_of_, original_, std::move(gens));
  }

 private:
  Gen Current(const Key& k) const {
    auto it = gens_.find(k);
    return it == gens_.end() ? original_ : it->second;
  }
  KeyOf key_of_;
  Gen original_;
  std::map<Key, Gen> gens_;  // keys absent still hold the original
};

int ThreadKey(int thread, const Context&) { return thread; }
int64_t ProcessKey(int thread, const Context& ctx) { return ctx.ProcessOf(thread); }

class ProcessLimitGen : public Generator {
 public:
  ProcessLimitGen(int64_t n, std::vector<int64_t> procs, Gen gen)
      : n_(n), procs_(std::move(procs)), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    bool room = static_cast<int64_t>(procs_.size()) < n_;
    Context narrowed = ctx.Restrict([&](int t) { return room || Known(ctx.ProcessOf(t)); });
    if (narrowed.AllThreads().empty()) return ExhaustedResult();  // all ours retired
    GenResult r = gen_.Next(test, narrowed);
    if (r.is_exhausted()) return r;
    std::vector<int64_t> procs = procs_;
    if (r.is_op() && !Known(r.op.process)) procs.push_back(r.op.process);
    r.next = r.next.empty() ? Gen() : MakeGen<ProcessLimitGen>(n_, std::move(procs), r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<ProcessLimitGen>(n_, procs_, std::move(updated));
  }

 private:
  bool Known(int64_t p) const { return std::find(procs_.begin(), procs_.end(), p) != procs_.end(); }
  int64_t n_;
  std::vector<int64_t> procs_;
  Gen gen_;
};

class ConcurrencyLimitGen : public Generator {
 public:
  ConcurrencyLimitGen(int64_t n, std::vector<int64_t> running, Gen gen)
      : n_(n), running_(std::move(running)), gen_(std::move(gen)) {}
  GenResult Next(const Gen& self, const Test& test, const Context& ctx) const override {
    if (static_cast<int64_t>(running_.size()) >= n_) return PendingResult(self);
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    std::vector<int64_t> running = running_;
    if (r.is_op()) running.push_back(r.op.process);
    r.next = r.next.empty() ? Gen()
                            : MakeGen<ConcurrencyLimitGen>(n_, std::move(running), r.next);
    return r;
  }
  Gen Update(const Gen&, const Test& test, const Context& ctx,
             const Op& event) const override {
    std::vector<int64_t> running = running_;
    if (!event.is_invoke()) std::erase(running, event.process);
    return MakeGen<ConcurrencyLimitGen>(n_, std::move(running), gen_.Update(test, ctx, event));
  }

 private:
  int64_t n_;
  std::vector<int64_t> running_;  // processes running one of our ops
  Gen gen_;
};

}  // namespace

namespace gen {

Gen OnThreads(std::function<bool(int thread)> pred, Gen gen) {
  return OnThreadsWith([pred = std::move(pred)](int t, const Context&) { return pred(t); },
                       std::move(gen));
}

Gen Clients(Gen gen) {
  return OnThreadsWith([](int t, const Context& ctx) { return t < ctx.concurrency(); },
                       std::move(gen));
}

Gen Nemesis(Gen gen) {
  return OnThreadsWith([](int t, const Context& ctx) { return t == ctx.concurrency(); },
                       std::move(gen));
}

Gen ClientsAndNemesis(Gen clients, Gen nemesis) {
  return Any({Clients(std::move(clients)), Nemesis(std::move(nemesis))});
}

Gen Reserve(std::vector<std::pair<int, Gen>> reserved, Gen rest) {
  int start = 0;
  for (auto& [count, gen] : reserved) {
    int end = start + count;
    gen = OnThreads([start, end](int t) { return t >= start && t < end; }, std::move(gen));
    start = end;
  }
  rest = OnThreads([start](int t) { return t >= start; }, std::move(rest));
  return internal::ReservedAny(std::move(reserved), start, std::move(rest));
}

Gen EachThread(Gen gen) {
  if (gen.empty()) return gen;
  return internal::MakeGen<PerKeyGen<int>>(&ThreadKey, std::move(gen), std::map<int, Gen>{});
}

Gen EachProcess(Gen gen) {
  if (gen.empty()) return gen;
  return internal::MakeGen<PerKeyGen<int64_t>>(&ProcessKey, std::move(gen),
                                               std::map<int64_t, Gen>{});
}

Gen ProcessLimit(int64_t n, Gen gen) {
  if (gen.empty()) return gen;
  return internal::MakeGen<ProcessLimitGen>(n, std::vector<int64_t>{}, std::move(gen));
}

Gen ConcurrencyLimit(int64_t n, Gen gen) {
  if (gen.empty()) return gen;
  return internal::MakeGen<ConcurrencyLimitGen>(n, std::vector<int64_t>{}, std::move(gen));
}

}  // namespace gen
}  // namespace jepsen
