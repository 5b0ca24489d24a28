// Jepsen's counter bounds, generalised to negative adds.
//
// Invariant of the single pass: `definite_*` sum the adds that completed :ok so far and
// `possible_*` sum the adds invoked so far that did not fail (a failed add's invocation
// is recognised through its partner). A read remembers the definite sums at its
// invocation; at its completion every possible add not already definite may or may not
// be in the value, so the bounds are the definite sum plus the negative (lower) or
// positive (upper) part of that difference.
#include "jepsen/checker/counter.h"

#include <cstdlib>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;

constexpr size_t kMaxErrors = 100;

struct Sums {
  int64_t positive = 0;
  int64_t negative = 0;
  void Add(int64_t v) { (v >= 0 ? positive : negative) += v; }
};

class CounterChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    Sums definite, possible;
    std::unordered_map<int64_t, Sums> read_start;  // open read process -> definite sums
    std::vector<Value> errors;
    int64_t read_count = 0, error_count = 0, max_error = 0;
    for (size_t pos = 0; pos < h.size(); ++pos) {
      const Op& op = h[pos];
      if (basic::IsClientF(op, "add")) {
        if (op.is_invoke()) {
          if (!op.value.is_int()) return NotAnInteger(op);
          const Op* done = h.Completion(pos);
          if (done == nullptr || !done->is_fail()) possible.Add(op.value.AsInt());
        } else if (op.is_ok()) {
          // Clients need not echo the value in the completion; the invocation has it.
          const Op* inv = h.Invocation(pos);
          const Value& v = op.value.is_int() || inv == nullptr ? op.value : inv->value;
          if (!v.is_int()) return NotAnInteger(op);
          definite.Add(v.AsInt());
        }
      } else if (basic::IsClientF(op, "read")) {
        if (op.is_invoke()) {
          read_start[op.process] = definite;
          continue;
        }
        auto start = read_start.find(op.process);
        if (start == read_start.end()) continue;
        Sums before = start->second;
        read_start.erase(start);
        if (!op.is_ok() || !op.value.is_int()) continue;
        ++read_count;
        int64_t base = before.positive + before.negative;
        int64_t lower = base + (possible.negative - before.negative);
        int64_t upper = base + (possible.positive - before.positive);
        int64_t v = op.value.AsInt();
        if (v >= lower && v <= upper) continue;
        ++error_count;
        int64_t off = v < lower ? lower - v : v - upper;
        max_error = std::max(max_error, off);
        if (errors.size() < kMaxErrors) {
          errors.push_back(Value::Map({{Kw("lower"), lower},
                                       {Kw("value"), v},
                                       {Kw("upper"), upper},
                                       {Kw("op"), op.ToValue()}}));
        }
      }
    }
    CheckResult result;
    result.validity = error_count == 0 ? Validity::kValid : Validity::kInvalid;
    std::vector<MapEntry> d = {{Kw("read-count"), read_count},
                               {Kw("error-count"), error_count},
                               {Kw("errors"), Value::Vector(errors)},
                               {Kw("max-absolute-error"), max_error}};
    if (error_count > 0) {
      const Value& first = errors.front();
      d.push_back(
          {Kw("explanation"),
           Value::String(fmt::format(
               "{} of {} reads returned a value the adds around them cannot explain; the "
               "first read {} (index {}) though only values from {} to {} were possible. "
               "The worst read was off by {}.",
               error_count, read_count, *first.Find("value"),
               *first.Find("op")->Find("index"), *first.Find("lower"), *first.Find("upper"),
               max_error))});
    }
    result.details = Value::Map(std::move(d));
    return result;
  }

 private:
  static CheckResult NotAnInteger(const Op& op) {
    std::string why = fmt::format("an :add of a non-integer value: {}", op);
    return {.validity = Validity::kUnknown,
            .details = Value::Map({{Kw("error"), Value::String(why)},
                                   {Kw("explanation"), Value::String(
                                        "The counter checker needs integer :add values; " +
                                        why)}})};
  }
};

}  // namespace

std::unique_ptr<Checker> MakeCounterChecker() { return std::make_unique<CounterChecker>(); }

}  // namespace jepsen
