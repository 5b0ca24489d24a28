// Generators that schedule ops in time.
#include <algorithm>

#include "jepsen/generator.h"
#include "make.h"

namespace jepsen {
namespace {

using internal::MakeGen;

// Shared shape of the schedulers: each keeps the time before which its next op may
// not run, and moves ops of the inner generator to that time or later.
class StaggerGen : public Generator {
 public:
  StaggerGen(int64_t dt, int64_t next_time, Gen gen)
      : dt_(dt), next_time_(next_time), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    int64_t next_time = next_time_ < 0 ? ctx.time() : next_time_;
    if (r.is_op()) {
      r.op.time = std::max(r.op.time, next_time);
      // Uniform in [0, 2 dt): the mean interval is dt.
      next_time = r.op.time + (dt_ > 0 ? ctx.rng().Uniform(2 * dt_) : 0);
    }
    r.next = r.next.empty() ? Gen() : MakeGen<StaggerGen>(dt_, next_time, r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<StaggerGen>(dt_, next_time_, std::move(updated));
  }

 private:
  int64_t dt_;
  int64_t next_time_;  // -1 until the first op
  Gen gen_;
};

class DelayGen : public Generator {
 public:
  DelayGen(int64_t dt, int64_t next_time, bool aligned, Gen gen)
      : dt_(dt), next_time_(next_time), aligned_(aligned), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    int64_t next_time = next_time_;
    if (r.is_op()) {
      int64_t t = std::max(r.op.time, next_time);
      if (aligned_ && dt_ > 0) t = (t + dt_ - 1) / dt_ * dt_;  // the next slot
      r.op.time = t;
      next_time = t + std::max<int64_t>(dt_, 1);
    }
    r.next = r.next.empty() ? Gen() : MakeGen<DelayGen>(dt_, next_time, aligned_, r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<DelayGen>(dt_, next_time_, aligned_, std::move(updated));
  }

 private:
  int64_t dt_;
  int64_t next_time_;  // no op before this time
  bool aligned_;       // DelayTil: only at multiples of dt
  Gen gen_;
};

class TimeLimitGen : public Generator {
 public:
  TimeLimitGen(int64_t dt, int64_t deadline, Gen gen)
      : dt_(dt), deadline_(deadline), gen_(std::move(gen)) {}
  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    if (deadline_ >= 0 && ctx.time() >= deadline_) return ExhaustedResult();
    GenResult r = gen_.Next(test, ctx);
    if (r.is_exhausted()) return r;
    int64_t deadline = deadline_;
    if (r.is_op()) {
      if (deadline < 0) deadline = r.op.time + dt_;
      if (r.op.time >= deadline) return ExhaustedResult();
    }
    r.next = r.next.empty() ? Gen() : MakeGen<TimeLimitGen>(dt_, deadline, r.next);
    return r;
  }
  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    Gen updated = gen_.Update(test, ctx, event);
    if (updated.get() == gen_.get()) return self;  // unchanged: no allocation
    return MakeGen<TimeLimitGen>(dt_, deadline_, std::move(updated));
  }

 private:
  int64_t dt_;
  int64_t deadline_;  // -1 until the first op
  Gen gen_;
};

}  // namespace

namespace gen {

Gen Stagger(Nanos dt, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<StaggerGen>(dt.count(), -1, std::move(gen));
}

Gen Delay(Nanos dt, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<DelayGen>(dt.count(), 0, false, std::move(gen));
}

Gen DelayTil(Nanos dt, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<DelayGen>(dt.count(), 0, true, std::move(gen));
}

Gen TimeLimit(Nanos dt, Gen gen) {
  if (gen.empty()) return gen;
  return MakeGen<TimeLimitGen>(dt.count(), -1, std::move(gen));
}

}  // namespace gen
}  // namespace jepsen
