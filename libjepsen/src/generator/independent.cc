// Independent-key generators: each key's ops carry [key value] tuples.
#include "jepsen/generator/independent.h"

#include "jepsen/check.h"
#include "make.h"

namespace jepsen {
namespace {

using internal::MakeGen;

struct Shared {
  KeySeq keys;
  KeyGen fgen;
};

Op Wrap(Op op, const Value& key) {
  op.value = KeyedValue(key, op.value);
  return op;
}

// Events reach a key's generator with their tuple unwrapped; events of other keys
// do not reach it.
std::optional<Op> Unwrap(const Op& event, const Value& key) {
  auto parts = SplitKeyedValue(event.value);
  if (!parts || !(parts->first == key)) return std::nullopt;
  Op inner = event;
  inner.value = parts->second;
  return inner;
}

// One group of threads working through keys.
struct Group {
  Value key;
  Gen gen;          // empty: needs a key
  bool done = false;  // keys ran out
};

class IndependentGen : public Generator {
 public:
  IndependentGen(std::shared_ptr<const Shared> shared, int group_size, int64_t next_key,
                 std::vector<Group> groups)
      : shared_(std::move(shared)),
        group_size_(group_size),
        next_key_(next_key),
        groups_(std::move(groups)) {}

  GenResult Next(const Gen&, const Test& test, const Context& ctx) const override {
    std::vector<Group> groups = groups_;
    int64_t next_key = next_key_;
    if (groups.empty()) {
      int count = group_size_ <= 0 ? 1 : ctx.concurrency() / group_size_;
      JEPSEN_CHECK(count >= 1, "independent generator needs at least {} client threads, has {}",
                   group_size_, ctx.concurrency());
      groups.resize(static_cast<size_t>(count));
    }
    std::optional<GenResult> best;
    size_t best_g = 0;
    bool pending = false;
    for (size_t g = 0; g < groups.size(); ++g) {
      Context narrowed = NarrowTo(ctx, g, groups.size());
      for (int attempt = 0; attempt < 1000 && !groups[g].done; ++attempt) {
        if (groups[g].gen.empty()) {
          // A new key may only start when the group's threads are all free, so no op
          // of the previous key is still running on them.
          if (!narrowed.AllFree()) {
            pending = true;
            break;
          }
          std::optional<Value> key = shared_->keys(next_key);
          if (!key) {
            groups[g].done = true;
            break;
          }
          ++next_key;
          groups[g].key = *key;
          groups[g].gen = shared_->fgen(*key);
          if (groups[g].gen.empty()) continue;
        }
        GenResult r = groups[g].gen.Next(test, narrowed);
        if (r.is_exhausted()) {
          groups[g].gen = Gen();
          continue;
        }
        if (r.is_pending()) {
          pending = true;
          groups[g].gen = r.next;
        } else if (!best || internal::Sooner(r, *best)) {
          best = std::move(r);
          best_g = g;
        }
        break;
      }
    }
    if (best) {
      groups[best_g].gen = best->next;
      best->op = Wrap(std::move(best->op), groups[best_g].key);
      best->next = MakeGen<IndependentGen>(shared_, group_size_, next_key, std::move(groups));
      return std::move(*best);
    }
    bool all_done = std::all_of(groups.begin(), groups.end(), [](const Group& g) { return g.done; });
    if (all_done && !pending) return ExhaustedResult();
    return PendingResult(MakeGen<IndependentGen>(shared_, group_size_, next_key, std::move(groups)));
  }

  Gen Update(const Gen& self, const Test& test, const Context& ctx,
             const Op& event) const override {
    int t = ctx.ThreadOf(event.process);
    if (t < 0 || t >= ctx.concurrency() || groups_.empty()) return self;
    size_t g = GroupOf(t, ctx);
    if (g >= groups_.size() || groups_[g].gen.empty()) return self;
    std::optional<Op> inner = Unwrap(event, groups_[g].key);
    if (!inner) return self;
    std::vector<Group> groups = groups_;
    groups[g].gen = groups[g].gen.Update(test, NarrowTo(ctx, g, groups.size()), *inner);
    return MakeGen<IndependentGen>(shared_, group_size_, next_key_, std::move(groups));
  }

 private:
  size_t GroupOf(int thread, const Context& ctx) const {
    int size = group_size_ <= 0 ? ctx.concurrency() : group_size_;
    return static_cast<size_t>(thread / size);
  }
  Context NarrowTo(const Context& ctx, size_t g, size_t groups) const {
    return ctx.Restrict([&](int t) {
      return t < ctx.concurrency() && GroupOf(t, ctx) == g && g < groups;
    });
  }

  std::shared_ptr<const Shared> shared_;
  int group_size_;  // 0: one group of every client thread (sequential)
  int64_t next_key_;
  std::vector<Group> groups_;  // empty until the first Next knows the concurrency
};

}  // namespace

KeySeq IntegerKeys(int64_t from) {
  return [from](int64_t i) -> std::optional<Value> { return Value::Int(from + i); };
}

KeySeq KeyList(std::vector<Value> keys) {
  return [keys = std::move(keys)](int64_t i) -> std::optional<Value> {
    if (i < 0 || static_cast<size_t>(i) >= keys.size()) return std::nullopt;
    return keys[static_cast<size_t>(i)];
  };
}

Value KeyedValue(const Value& key, const Value& value) { return Value::Vector({key, value}); }

std::optional<std::pair<Value, Value>> SplitKeyedValue(const Value& v) {
  if (!v.is_sequential() || v.size() != 2) return std::nullopt;
  return std::make_pair(v[0], v[1]);
}

namespace gen {

Gen IndependentSequential(KeySeq keys, KeyGen fgen) {
  return MakeGen<IndependentGen>(
      std::make_shared<const Shared>(Shared{std::move(keys), std::move(fgen)}), 0, 0,
      std::vector<Group>{});
}

Gen IndependentConcurrent(int threads_per_key, KeySeq keys, KeyGen fgen) {
  JEPSEN_CHECK(threads_per_key > 0, "threads per key must be positive, not {}", threads_per_key);
  return MakeGen<IndependentGen>(
      std::make_shared<const Shared>(Shared{std::move(keys), std::move(fgen)}),
      threads_per_key, 0, std::vector<Group>{});
}

}  // namespace gen
}  // namespace jepsen
