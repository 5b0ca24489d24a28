// Generators that choose among others or transform their ops.
#include "jepsen/generator.h"
#include "make.h"

namespace jepsen {
namespace {

using internal::MakeGen;

class MixGen : public Generator {
 public:
  explicit MixGen(std::vector<Gen> gens) : gens_(std::move(gens)) {}
  GenResult Next(const Gen& self, const Test& test, const Context& ctx) const override {
    std::vector<Gen> gens = gens_;
    bool changed = false;
    while (!gens.empty()) {
      auto i = static_cast<size_t>(ctx.rng().Uniform(static_cast<int64_t>(gens.size())));
      GenResult r = gens[i].Next(test, ctx);
      if (r.is_exhausted()) {
        gens.erase(gens.begin() + static_cast<long>(i));
        changed = true;
        continue;
      }
      if (r.is_pending()) {
        return PendingResult(changed ? MakeGen<MixGen>(std::move(gens)) : self);
      }
      gens[i] = r.next;
      if (gens[i].empty()) gens.erase(gens.begin() + static_cast<long>(i));
      r.next = gens.empty() ? Gen() : MakeGen<MixGen>(std::move(gens));
      return r;
    }
    return ExhaustedResult();
  }
  // Mix ignores updates, as Jepsen's does.

 private:
  std::vector<Gen> gens_;
};

class AnyGen : public Generator {
 public:
  explicit AnyGen(std::vector<Gen> gens) : gens_(std::move(gens)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    std::vector<Gen> gens = gens_;
    std::optional<GenResult> best;
    size_t best_i = 0;
    bool pending = false;
    for (size_t i = 0; i < gens_.size(); ++i) {
      GenResult r = gens_[i].Next(test, ctx);
      if (r.is_exhausted()) {
        gens[i] = Gen();
      } else if (r.is_pending()) {
        pending = true;
        gens[i] = r.next;
      } else if (!best || internal::Sooner(r, *best)) {
        best = std::move(r);
        best_i = i;
      }
    }
    if (best) {
      gens[best_i] = best->next;
      best->next = Rebuild(std::move(gens));
      return std::move(*best);
    }
    if (pending) return PendingResult(Rebuild(std::move(gens)));
    return ExhaustedResult();
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    std::vector<Gen> gens;
    bool changed = false;
    for (const Gen& g : gens_) {
      gens.push_back(g.Update(test, ctx, event));
      changed = changed || gens.back().get() != g.get();
    }
    return changed ? Rebuild(std::move(gens)) : self;
  }

 private:
  static Gen Rebuild(std::vector<Gen> gens) {
    std::erase_if(gens, [](const Gen& g) { return g.empty(); });
    if (gens.empty()) return Gen();
    if (gens.size() == 1) return gens[0];
    return MakeGen<AnyGen>(std::move(gens));
  }
  std::vector<Gen> gens_;
};

class FlipFlopGen : public Generator {
 public:
  FlipFlopGen(Gen a, Gen b) : a_(std::move(a)), b_(std::move(b)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    GenResult r = a_.Next(test, ctx);
    if (r.is_exhausted()) return ExhaustedResult();
    // After an op of a it is b's turn; pending keeps a's turn.
    r.next = r.is_op() ? MakeGen<FlipFlopGen>(b_, r.next) : MakeGen<FlipFlopGen>(r.next, b_);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen a = a_.Update(test, ctx, event), b = b_.Update(test, ctx, event);
    if (a.get() == a_.get() && b.get() == b_.get()) return self;
    return MakeGen<FlipFlopGen>(std::move(a), std::move(b));
  }

 private:
  Gen a_;  // whose turn it is
  Gen b_;
};

class MapGen : public Generator {
 public:
  MapGen(std::shared_ptr<const std::function<Op(Op)>> f, Gen gen)
      : f_(std::move(f)), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    if (r.is_op()) {
      int64_t process = r.op.process, time = r.op.time;
      r.op = (*f_)(std::move(r.op));
      r.op.process = process;  // f may not move an op to a busy process
      r.op.time = std::max(r.op.time, time);
    }
    r.next = r.next.empty() ? Gen() : MakeGen<MapGen>(f_, r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<MapGen>(f_, std::move(updated));
  }

 private:
  std::shared_ptr<const std::function<Op(Op)>> f_;
  Gen gen_;
};

class FilterGen : public Generator {
 public:
  FilterGen(std::shared_ptr<const std::function<bool(const Op&)>> pred, Gen gen)
      : pred_(std::move(pred)), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    Gen gen = gen_;
    for (;;) {
      GenResult r = gen.Next(test, ctx);
      if (r.is_exhausted()) return r;
      if (r.is_pending() || (*pred_)(r.op)) {
        r.next = r.next.empty() ? Gen() : MakeGen<FilterGen>(pred_, r.next);
        return r;
      }
      gen = r.next;  // skip this op
    }
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<FilterGen>(pred_, std::move(updated));
  }

 private:
  std::shared_ptr<const std::function<bool(const Op&)>> pred_;
  Gen gen_;
};

}  // namespace

namespace gen {

Gen Mix(std::vector<Gen> gens) {
  std::erase_if(gens, [](const Gen& g) { return g.empty(); });
  if (gens.empty()) return Gen();
  return MakeGen<MixGen>(std::move(gens));
}

Gen Any(std::vector<Gen> gens) {
  std::erase_if(gens, [](const Gen& g) { return g.empty(); });
  if (gens.empty()) return Gen();
  if (gens.size() == 1) return gens[0];
  return MakeGen<AnyGen>(std::move(gens));
}

Gen FlipFlop(Gen a, Gen b) {
  if (a.empty() || b.empty()) return Gen();
  return MakeGen<FlipFlopGen>(std::move(a), std::move(b));
}

Gen Map(std::function<Op(Op)> f, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<MapGen>(std::make_shared<const std::function<Op(Op)>>(std::move(f)),
                         std::move(gen));
}

Gen Filter(std::function<bool(const Op&)> pred, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<FilterGen>(
      std::make_shared<const std::function<bool(const Op&)>>(std::move(pred)), std::move(gen));
}

}  // namespace gen
}  // namespace jepsen
