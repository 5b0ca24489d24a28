#include "jepsen/checker/counter.h"

#include <map>
#include <random>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "jepsen/history_io.h"
#include "support/parse.h"

namespace jepsen {
namespace {

History Parse(std::string_view edn) { return testing::MustParse(edn); }

CheckResult Check(std::string_view edn) { return MakeCounterChecker()->Check({}, Parse(edn)); }

TEST_CASE("Counter checker accepts reads within the bounds", "[checker][counter]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 0, :f :add, :value 5}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 6}
{:type :info, :process 0, :f :add, :value 5}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 1}
{:type :invoke, :process 2, :f :add, :value 100}
{:type :fail, :process 2, :f :add, :value 100}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :fail, :process 1, :f :read, :value nil}
)");
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:read-count 2, :error-count 0, :errors [], :max-absolute-error 0}");
}

TEST_CASE("Counter checker rejects a read below the acknowledged adds",
          "[checker][counter]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 2}
{:type :ok, :process 0, :f :add, :value 2}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 1}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("errors")->ToEdn() ==
        "[{:lower 2, :value 1, :upper 2, :op {:index 3, :type :ok, :process 1, :f :read, "
        ":value 1}}]");
  CHECK(r.details.Find("explanation")->AsString() ==
        "1 of 1 reads returned a value the adds around them cannot explain; the first read "
        "1 (index 3) though only values from 2 to 2 were possible. The worst read was off "
        "by 1.");
}

TEST_CASE("Counter checker rejects a read above the attempted adds", "[checker][counter]") {
  // The add of 10 failed, and the add of 3 began after the read ended.
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 10}
{:type :fail, :process 0, :f :add, :value 10}
{:type :invoke, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 4}
{:type :invoke, :process 2, :f :add, :value 3}
{:type :ok, :process 2, :f :add, :value 3}
{:type :ok, :process 0, :f :add, :value 1}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("max-absolute-error")->AsInt() == 3);
  CHECK(r.details.Find("errors")->elements()[0].Find("upper")->AsInt() == 1);
}

TEST_CASE("Counter checker handles negative adds", "[checker][counter]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 5}
{:type :ok, :process 0, :f :add, :value 5}
{:type :invoke, :process 0, :f :add, :value -3}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 2}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value 1}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("error-count")->AsInt() == 1);
  CHECK(r.details.Find("errors")->elements()[0].Find("lower")->AsInt() == 2);
}

TEST_CASE("Counter checker is unknown on a non-integer add", "[checker][counter]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value :x}
{:type :ok, :process 0, :f :add, :value :x}
)");
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("error")->AsString().starts_with("an :add of a non-integer value"));
}

// ---- Differential: enumerate every set of adds a read could have observed.

struct Bounds {
  int64_t lower, upper;
};

// For each ok read, in history order, the least and greatest sums over the subsets of
// adds it may have observed.
std::vector<Bounds> ReferenceBounds(const History& h) {
  struct Add {
    size_t inv, done;
    OpType type;
    int64_t value;
  };
  std::map<int64_t, size_t> open;
  std::vector<Add> adds;
  std::vector<std::pair<size_t, size_t>> reads;
  for (size_t pos = 0; pos < h.size(); ++pos) {
    const Op& op = h[pos];
    if (op.is_invoke()) {
      open[op.process] = pos;
      continue;
    }
    size_t inv = open[op.process];
    open.erase(op.process);
    if (op.f.IsKeyword("add")) adds.push_back({inv, pos, op.type, h[inv].value.AsInt()});
    if (op.f.IsKeyword("read") && op.is_ok()) reads.emplace_back(inv, pos);
  }
  for (auto [p, inv] : open) {  // never completed: may have happened
    if (h[inv].f.IsKeyword("add")) adds.push_back({inv, h.size(), OpType::kInfo, h[inv].value.AsInt()});
  }
  std::vector<Bounds> out;
  for (auto [rinv, rdone] : reads) {
    std::vector<int64_t> must, may;
    for (const Add& a : adds) {
      if (a.type == OpType::kOk && a.done < rinv) {
        must.push_back(a.value);
      } else if (a.type != OpType::kFail && a.inv < rdone) {
        may.push_back(a.value);
      }
    }
    int64_t base = 0;
    for (int64_t v : must) base += v;
    Bounds b{INT64_MAX, INT64_MIN};
    for (uint64_t mask = 0; mask < (uint64_t{1} << may.size()); ++mask) {
      int64_t sum = base;
      for (size_t i = 0; i < may.size(); ++i) {
        if (mask >> i & 1) sum += may[i];
      }
      b.lower = std::min(b.lower, sum);
      b.upper = std::max(b.upper, sum);
    }
    out.push_back(b);
  }
  return out;
}

History RandomCounterHistory(std::mt19937_64& rng) {
  auto roll = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  History h;
  std::map<int64_t, Op> open;
  int steps = 2 + roll(16);
  for (int i = 0; i < steps; ++i) {
    int64_t p = roll(3);
    Op op;
    if (auto it = open.find(p); it != open.end()) {
      op = it->second;
      open.erase(it);
      int t = roll(10);
      op.type = t < 7 ? OpType::kOk : t < 9 ? OpType::kInfo : OpType::kFail;
      if (op.f.IsKeyword("read")) {
        op.type = t < 8 ? OpType::kOk : OpType::kFail;
        op.value = op.type == OpType::kOk ? Value(roll(12) - 2) : Value();
      }
    } else {
      bool add = roll(2) == 0;
      op = {.type = OpType::kInvoke, .process = p, .f = Value::Keyword(add ? "add" : "read"),
            .value = add ? Value(roll(6) - 1) : Value()};
      open[p] = op;
    }
    REQUIRE(h.Append(op).ok());
  }
  return h;
}

TEST_CASE("Counter checker agrees with brute-force bounds on random histories",
          "[checker][counter]") {
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    std::mt19937_64 rng(seed);
    History h = RandomCounterHistory(rng);
    CheckResult got = MakeCounterChecker()->Check({}, h);
    std::vector<Bounds> bounds = ReferenceBounds(h);
    std::vector<std::string> want_errors;
    size_t read = 0;
    for (const Op& op : h) {
      if (!op.f.IsKeyword("read") || !op.is_ok()) continue;
      Bounds b = bounds[read++];
      int64_t v = op.value.AsInt();
      if (v < b.lower || v > b.upper) {
        want_errors.push_back(fmt::format("{} {} {} {}", b.lower, v, b.upper, op.index));
      }
    }
    std::vector<std::string> got_errors;
    for (const Value& e : got.details.Find("errors")->elements()) {
      got_errors.push_back(fmt::format("{} {} {} {}", *e.Find("lower"), *e.Find("value"),
                                       *e.Find("upper"), *e.Find("op")->Find("index")));
    }
    INFO("seed " << seed);
    REQUIRE(got_errors == want_errors);
    REQUIRE(got.details.Find("read-count")->AsInt() == static_cast<int64_t>(bounds.size()));
    REQUIRE(got.validity == (want_errors.empty() ? Validity::kValid : Validity::kInvalid));
  }
}

}  // namespace
}  // namespace jepsen
