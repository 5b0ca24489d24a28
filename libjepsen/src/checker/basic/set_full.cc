// Jepsen's set-full: one pass over the client ops keeps, per element, the position of
// the op that made it known and the latest invocation of a read that saw it and of one
// that missed it. Positions order ops as the history does, so "began after" is a
// comparison of positions; times only feed the latencies.
#include "jepsen/checker/set_full.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;

constexpr int64_t kNone = -1;

struct Element {
  Value value;
  int64_t known = kNone;         // position of the op that made it known
  int64_t last_present = kNone;  // invocation position of the latest read that saw it
  int64_t last_absent = kNone;   // invocation position of the latest read that missed it
};

enum class Outcome { kStable, kLost, kNeverRead };

struct ElementResult {
  const Element* element;
  Outcome outcome;
  bool stale;
  std::optional<int64_t> stable_latency_ms;
  std::optional<int64_t> lost_latency_ms;
};

// Milliseconds from the op at `from` to just after the op at `to`, at least 0; 0 when
// either time is unknown.
int64_t LatencyMs(const History& h, int64_t from, int64_t to) {
  int64_t start = from == kNone ? -1 : h[static_cast<size_t>(from)].time;
  if (start < 0) return 0;
  int64_t end = to == kNone ? 0 : h[static_cast<size_t>(to)].time + 1;
  if (to != kNone && h[static_cast<size_t>(to)].time < 0) return 0;
  return std::max<int64_t>(0, end - start) / 1'000'000;
}

ElementResult Classify(const History& h, const Element& e) {
  ElementResult r{.element = &e, .outcome = Outcome::kNeverRead, .stale = false};
  bool stable = e.last_present != kNone && e.last_absent < e.last_present;
  bool lost = e.known != kNone && e.last_absent != kNone && e.last_present < e.last_absent &&
              e.known < e.last_absent;
  if (stable) {
    r.outcome = Outcome::kStable;
    r.stale = e.last_absent > e.known;
    r.stable_latency_ms = LatencyMs(h, e.known, e.last_absent);
  } else if (lost) {
    r.outcome = Outcome::kLost;
    r.lost_latency_ms = LatencyMs(h, e.known, e.last_present);
  }
  return r;
}

Value OpAt(const History& h, int64_t position) {
  return position == kNone ? Value() : h[static_cast<size_t>(position)].ToValue();
}

Value ElementValue(const History& h, const ElementResult& r) {
  static const char* kNames[] = {"stable", "lost", "never-read"};
  auto opt = [](std::optional<int64_t> v) { return v ? Value(*v) : Value(); };
  return Value::Map({{Kw("element"), r.element->value},
                     {Kw("outcome"), Kw(kNames[static_cast<int>(r.outcome)])},
                     {Kw("stable-latency"), opt(r.stable_latency_ms)},
                     {Kw("lost-latency"), opt(r.lost_latency_ms)},
                     {Kw("known"), OpAt(h, r.element->known)},
                     {Kw("last-absent"), OpAt(h, r.element->last_absent)}});
}

// Jepsen's frequency-distribution at 0, 0.5, 0.95, 0.99 and 1; nil if empty.
Value Distribution(std::vector<int64_t> xs) {
  if (xs.empty()) return Value();
  std::sort(xs.begin(), xs.end());
  std::vector<MapEntry> out;
  for (Value point : {Value(0), Value(0.5), Value(0.95), Value(0.99), Value(1)}) {
    double n = static_cast<double>(xs.size());
    size_t i = std::min(xs.size() - 1, static_cast<size_t>(n * point.AsDouble()));
    out.push_back({point, xs[i]});
  }
  return Value::Map(std::move(out));
}

class SetFullChecker : public Checker {
 public:
  explicit SetFullChecker(SetFullOptions options) : options_(options) {}

  CheckResult Check(const CheckContext&, const History& h) override {
    std::vector<Element> elements;
    std::unordered_map<Value, size_t, ValueHash> slot;
    std::map<Value, int64_t> duplicated;  // element -> largest multiplicity in a read
    std::unordered_map<Value, int64_t, ValueHash> seen;  // reused per read
    for (size_t pos = 0; pos < h.size(); ++pos) {
      const Op& op = h[pos];
      if (basic::IsClientF(op, "add")) {
        const Value& v = basic::InvokedValue(h, pos);
        auto [it, fresh] = slot.try_emplace(v, elements.size());
        if (fresh) elements.push_back({.value = v});
        Element& e = elements[it->second];
        if (op.is_ok() && e.known == kNone) e.known = static_cast<int64_t>(pos);
      } else if (basic::IsClientF(op, "read") && op.is_ok()) {
        int64_t inv = h.Partner(pos);
        if (inv == History::kNoPartner) continue;
        seen.clear();
        for (const Value& v : basic::ReadElements(op.value)) ++seen[v];
        for (const auto& [v, count] : seen) {
          if (count > 1) {
            int64_t& worst = duplicated[v];
            worst = std::max(worst, count);
          }
        }
        for (Element& e : elements) {
          if (seen.contains(e.value)) {
            if (e.known == kNone) e.known = static_cast<int64_t>(pos);
            e.last_present = std::max(e.last_present, inv);
          } else {
            e.last_absent = std::max(e.last_absent, inv);
          }
        }
      }
    }
    return Summarize(h, elements, duplicated);
  }

 private:
  CheckResult Summarize(const History& h, const std::vector<Element>& elements,
                        const std::map<Value, int64_t>& duplicated) const;

  SetFullOptions options_;
};

CheckResult SetFullChecker::Summarize(const History& h, const std::vector<Element>& elements,
                                      const std::map<Value, int64_t>& duplicated) const {
  std::vector<ElementResult> results;
  results.reserve(elements.size());
  for (const Element& e : elements) results.push_back(Classify(h, e));
  std::sort(results.begin(), results.end(), [](const ElementResult& a, const ElementResult& b) {
    return a.element->value < b.element->value;
  });
  std::vector<Value> lost, never_read, stale;
  std::vector<const ElementResult*> stale_results;
  std::vector<int64_t> stable_latencies, lost_latencies;
  int64_t stable_count = 0;
  for (const ElementResult& r : results) {
    if (r.outcome == Outcome::kStable) ++stable_count;
    if (r.outcome == Outcome::kLost) lost.push_back(r.element->value);
    if (r.outcome == Outcome::kNeverRead) never_read.push_back(r.element->value);
    if (r.stale) {
      stale.push_back(r.element->value);
      stale_results.push_back(&r);
    }
    if (r.stable_latency_ms) stable_latencies.push_back(*r.stable_latency_ms);
    if (r.lost_latency_ms) lost_latencies.push_back(*r.lost_latency_ms);
  }
  std::stable_sort(stale_results.begin(), stale_results.end(),
                   [](const ElementResult* a, const ElementResult* b) {
                     return *a->stable_latency_ms > *b->stable_latency_ms;
                   });
  std::vector<Value> worst;
  for (const ElementResult* r : stale_results) {
    if (static_cast<int>(worst.size()) >= options_.worst_stale_count) break;
    worst.push_back(ElementValue(h, *r));
  }
  std::vector<MapEntry> dups;
  for (const auto& [v, n] : duplicated) dups.push_back({v, n});

  CheckResult result;
  if (!duplicated.empty() || !lost.empty()) {
    result.validity = Validity::kInvalid;
  } else if (stable_count == 0) {
    result.validity = Validity::kUnknown;
  } else if (options_.linearizable && !stale.empty()) {
    result.validity = Validity::kInvalid;
  }
  std::vector<MapEntry> d = {
      {Kw("attempt-count"), static_cast<int64_t>(elements.size())},
      {Kw("stable-count"), stable_count},
      {Kw("lost-count"), static_cast<int64_t>(lost.size())},
      {Kw("lost"), Value::Vector(lost)},
      {Kw("never-read-count"), static_cast<int64_t>(never_read.size())},
      {Kw("never-read"), Value::Vector(never_read)},
      {Kw("stale-count"), static_cast<int64_t>(stale.size())},
      {Kw("stale"), Value::Vector(stale)},
      {Kw("worst-stale"), Value::Vector(std::move(worst))},
      {Kw("duplicated-count"), static_cast<int64_t>(dups.size())},
      {Kw("duplicated"), Value::Map(std::move(dups))},
      {Kw("linearizable?"), Value::Bool(options_.linearizable)}};
  if (Value s = Distribution(stable_latencies); !s.is_nil()) {
    d.push_back({Kw("stable-latencies"), s});
  }
  if (Value l = Distribution(lost_latencies); !l.is_nil()) {
    d.push_back({Kw("lost-latencies"), l});
  }
  std::string why;
  if (!duplicated.empty()) {
    why += fmt::format("{} element(s) appeared more than once in a single read. ",
                       duplicated.size());
  }
  if (!lost.empty()) {
    why += fmt::format(
        "{} element(s) were known to be in the set and then missing from every later read "
        "(lost: {}). ",
        lost.size(), basic::Preview(Value::Vector(lost)));
  }
  if (result.validity == Validity::kInvalid && !stale.empty() && options_.linearizable) {
    why += fmt::format(
        "{} element(s) were missing from a read that began after they were known to be "
        "added, which a linearizable set forbids (stale: {}).",
        stale.size(), basic::Preview(Value::Vector(stale)));
  }
  if (result.validity == Validity::kUnknown) {
    why = "No element was ever stably read: nothing was confirmed, so the set cannot be "
          "judged (no adds, no successful reads, or every add crashed).";
  }
  if (!why.empty()) {
    while (!why.empty() && why.back() == ' ') why.pop_back();
    d.push_back({Kw("explanation"), Value::String(why)});
  }
  result.details = Value::Map(std::move(d));
  return result;
}

}  // namespace

std::unique_ptr<Checker> MakeSetFullChecker(SetFullOptions options) {
  return std::make_unique<SetFullChecker>(options);
}

}  // namespace jepsen
