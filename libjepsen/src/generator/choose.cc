// Generators that choose among others or transform their ops.
#include <algorithm>
#include <optional>

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

// Each part carries a weight for breaking ties (Jepsen's soonest-op-map): ops offered
// for the same time are chosen at random in proportion to the weights, so that no part
// starves another that is always ready at the same moment. A weight of kRestOfThreads
// means "the clients not reserved by the parts before", resolved at each Next.
struct AnyPart {
  static constexpr int kRestOfThreads = -1;
  Gen gen;
  int weight = 1;
  int rest_start = 0;  // for kRestOfThreads: the first thread not reserved
};

class AnyGen : public Generator {
 public:
  explicit AnyGen(std::vector<AnyPart> parts) : parts_(std::move(parts)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    std::vector<AnyPart> parts = parts_;
    std::optional<GenResult> best;
    size_t best_i = 0;
    int64_t tied_weight = 0;  // total weight of the parts tied at best's time
    bool pending = false;
    for (size_t i = 0; i < parts_.size(); ++i) {
      GenResult r = parts_[i].gen.Next(test, ctx);
      if (r.is_exhausted()) {
        parts[i].gen = Gen();
      } else if (r.is_pending()) {
        pending = true;
        parts[i].gen = r.next;
      } else {
        const int64_t w = WeightOf(parts_[i], ctx);
        if (!best || internal::Sooner(r, *best)) {
          best = std::move(r);
          best_i = i;
          tied_weight = w;
        } else if (!internal::Sooner(*best, r)) {
          tied_weight += w;  // a tie: keep each candidate with probability w / total
          if (ctx.rng().Uniform(tied_weight) < w) {
            best = std::move(r);
            best_i = i;
          }
        }
      }
    }
    if (best) {
      parts[best_i].gen = best->next;
      best->next = Rebuild(std::move(parts));
      return std::move(*best);
    }
    if (pending) return PendingResult(Rebuild(std::move(parts)));
    return ExhaustedResult();
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    std::vector<AnyPart> parts = parts_;
    bool changed = false;
    for (AnyPart& p : parts) {
      Gen updated = p.gen.Update(test, ctx, event);
      changed = changed || updated.get() != p.gen.get();
      p.gen = std::move(updated);
    }
    return changed ? Rebuild(std::move(parts)) : self;
  }

  static Gen Rebuild(std::vector<AnyPart> parts) {
    std::erase_if(parts, [](const AnyPart& p) { return p.gen.empty(); });
    if (parts.empty()) return Gen();
    if (parts.size() == 1) return parts[0].gen;
    return MakeGen<AnyGen>(std::move(parts));
  }

 private:
  static int64_t WeightOf(const AnyPart& p, const Context& ctx) {
    if (p.weight != AnyPart::kRestOfThreads) return std::max(p.weight, 1);
    return std::max<int64_t>(ctx.concurrency() - p.rest_start, 1);
  }
  std::vector<AnyPart> parts_;
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
  std::vector<AnyPart> parts;
  for (Gen& g : gens) parts.push_back({.gen = std::move(g)});
  return AnyGen::Rebuild(std::move(parts));
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

namespace internal {

Gen ReservedAny(std::vector<std::pair<int, Gen>> reserved, int rest_start, Gen rest) {
  std::vector<AnyPart> parts;
  for (auto& [count, gen] : reserved) parts.push_back({.gen = std::move(gen), .weight = count});
  parts.push_back(
      {.gen = std::move(rest), .weight = AnyPart::kRestOfThreads, .rest_start = rest_start});
  return AnyGen::Rebuild(std::move(parts));
}

}  // namespace internal

}  // namespace jepsen
