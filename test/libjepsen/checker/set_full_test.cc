#include "jepsen/checker/set_full.h"

#include <algorithm>
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

CheckResult Check(std::string_view edn, SetFullOptions options = {}) {
  return MakeSetFullChecker(options)->Check({}, Parse(edn));
}

std::string Field(const CheckResult& r, std::string_view key) {
  const Value* v = r.details.Find(key);
  return v == nullptr ? "<none>" : v->ToEdn();
}

// Times are in ns: 1 ms = 1000000.
constexpr std::string_view kStable = R"(
{:time 0, :type :invoke, :process 0, :f :add, :value 1}
{:time 1000000, :type :ok, :process 0, :f :add, :value 1}
{:time 2000000, :type :invoke, :process 1, :f :read, :value nil}
{:time 3000000, :type :ok, :process 1, :f :read, :value #{1}}
)";

TEST_CASE("Set-full checker calls an element read ever after its add stable",
          "[checker][set-full]") {
  CheckResult r = Check(kStable);
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:attempt-count 1, :stable-count 1, :lost-count 0, :lost [], :never-read-count 0, "
        ":never-read [], :stale-count 0, :stale [], :worst-stale [], :duplicated-count 0, "
        ":duplicated {}, :linearizable? false, :stable-latencies {0 0, 0.5 0, 0.95 0, "
        "0.99 0, 1 0}}");
}

TEST_CASE("Set-full checker finds an element that disappears", "[checker][set-full]") {
  CheckResult r = Check(R"(
{:time 0, :type :invoke, :process 0, :f :add, :value 1}
{:time 1000000, :type :ok, :process 0, :f :add, :value 1}
{:time 0, :type :invoke, :process 0, :f :add, :value 2}
{:time 1000000, :type :ok, :process 0, :f :add, :value 2}
{:time 2000000, :type :invoke, :process 1, :f :read, :value nil}
{:time 3000000, :type :ok, :process 1, :f :read, :value [1 2]}
{:time 9000000, :type :invoke, :process 1, :f :read, :value nil}
{:time 9500000, :type :ok, :process 1, :f :read, :value [2]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(Field(r, "lost") == "[1]");
  CHECK(Field(r, "stable-count") == "1");
  // Lost just after the last read that saw it began (2 ms), known at 1 ms.
  CHECK(Field(r, "lost-latencies") == "{0 1, 0.5 1, 0.95 1, 0.99 1, 1 1}");
  CHECK(r.details.Find("explanation")->AsString() ==
        "1 element(s) were known to be in the set and then missing from every later read "
        "(lost: [1]).");
}

constexpr std::string_view kStale = R"(
{:time 0, :type :invoke, :process 0, :f :add, :value 1}
{:time 1000000, :type :ok, :process 0, :f :add, :value 1}
{:time 2000000, :type :invoke, :process 1, :f :read, :value nil}
{:time 3000000, :type :ok, :process 1, :f :read, :value []}
{:time 7000000, :type :invoke, :process 1, :f :read, :value nil}
{:time 8000000, :type :ok, :process 1, :f :read, :value [1]}
)";

TEST_CASE("Set-full checker counts stale reads, invalid only when linearizable",
          "[checker][set-full]") {
  CheckResult r = Check(kStale);
  CHECK(r.validity == Validity::kValid);
  CHECK(Field(r, "stale") == "[1]");
  CHECK(Field(r, "stable-latencies") == "{0 1, 0.5 1, 0.95 1, 0.99 1, 1 1}");
  CHECK(Field(r, "worst-stale") ==
        "[{:element 1, :outcome :stable, :stable-latency 1, :lost-latency nil, "
        ":known {:index 1, :time 1000000, :type :ok, :process 0, :f :add, :value 1}, "
        ":last-absent {:index 2, :time 2000000, :type :invoke, :process 1, :f :read, "
        ":value nil}}]");

  CheckResult lin = Check(kStale, {.linearizable = true});
  CHECK(lin.validity == Validity::kInvalid);
  CHECK(Field(lin, "stale-count") == "1");
  CHECK(lin.details.Find("explanation")->AsString().find("stale: [1]") != std::string::npos);
}

TEST_CASE("Set-full checker: a read concurrent with the add may miss it",
          "[checker][set-full]") {
  CheckResult r = Check(R"(
{:time 0, :type :invoke, :process 0, :f :add, :value 1}
{:time 1, :type :invoke, :process 1, :f :read, :value nil}
{:time 2, :type :ok, :process 0, :f :add, :value 1}
{:time 3, :type :ok, :process 1, :f :read, :value []}
{:time 4, :type :invoke, :process 1, :f :read, :value nil}
{:time 5, :type :ok, :process 1, :f :read, :value [1]}
)",
                        {.linearizable = true});
  CHECK(r.validity == Validity::kValid);
  CHECK(Field(r, "stale-count") == "0");
}

TEST_CASE("Set-full checker: never-read elements and nothing stable is unknown",
          "[checker][set-full]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :info, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :add, :value 2}
{:type :ok, :process 1, :f :add, :value 2}
{:type :invoke, :process 2, :f :read, :value nil}
{:type :fail, :process 2, :f :read, :value nil}
)");
  CHECK(r.validity == Validity::kUnknown);
  CHECK(Field(r, "never-read") == "[1 2]");
  CHECK(Field(r, "never-read-count") == "2");
  CHECK(Field(r, "stable-latencies") == "<none>");
}

TEST_CASE("Set-full checker: an element read twice in one read is invalid",
          "[checker][set-full]") {
  CheckResult r = Check(R"(
{:type :invoke, :process 0, :f :add, :value 1}
{:type :ok, :process 0, :f :add, :value 1}
{:type :invoke, :process 1, :f :read, :value nil}
{:type :ok, :process 1, :f :read, :value [1 1 1]}
)");
  CHECK(r.validity == Validity::kInvalid);
  CHECK(Field(r, "duplicated") == "{1 3}");
  CHECK(Field(r, "duplicated-count") == "1");
}

// ---- Differential: a reference written from the definitions, with its own pairing,
// against the checker on small random histories.

struct RefRead {
  size_t inv, done;
  std::map<int64_t, int> seen;  // element -> multiplicity
};

struct RefResult {
  std::vector<int64_t> lost, never_read, stale;
  int64_t stable = 0;
  int64_t duplicated = 0;
  Validity validity = Validity::kValid;
};

RefResult Reference(const History& h, bool linearizable) {
  std::map<int64_t, size_t> open;  // process -> invocation position
  std::vector<RefRead> reads;
  std::map<int64_t, size_t> first_add;              // element -> first add invocation
  std::map<int64_t, size_t> first_ok;               // element -> first ok add
  std::map<int64_t, int> dups;
  for (size_t pos = 0; pos < h.size(); ++pos) {
    const Op& op = h[pos];
    if (op.is_invoke()) {
      open[op.process] = pos;
      if (op.f.IsKeyword("add")) first_add.try_emplace(op.value.AsInt(), pos);
      continue;
    }
    size_t inv = open[op.process];
    if (op.f.IsKeyword("add") && op.is_ok()) first_ok.try_emplace(h[inv].value.AsInt(), pos);
    if (op.f.IsKeyword("read") && op.is_ok()) {
      RefRead r{inv, pos, {}};
      for (const Value& v : op.value.elements()) ++r.seen[v.AsInt()];
      for (auto [e, n] : r.seen) {
        if (n > 1) dups[e] = std::max(dups[e], n);
      }
      reads.push_back(r);
    }
  }
  RefResult out;
  out.duplicated = static_cast<int64_t>(dups.size());
  for (const auto& entry : first_add) {
    // Named copies: clang 14 cannot capture structured bindings in lambdas.
    int64_t e = entry.first;
    size_t added = entry.second;
    std::vector<const RefRead*> rs;
    for (const RefRead& r : reads) {
      if (r.done > added) rs.push_back(&r);
    }
    auto present = [&](const RefRead* r) { return r->seen.contains(e); };
    int64_t known = first_ok.contains(e) ? static_cast<int64_t>(first_ok[e]) : -1;
    for (const RefRead* r : rs) {
      if (present(r) && (known < 0 || static_cast<int64_t>(r->done) < known)) {
        known = static_cast<int64_t>(r->done);
      }
    }
    bool any_present = std::any_of(rs.begin(), rs.end(), present);
    bool stable = any_present && std::all_of(rs.begin(), rs.end(), [&](const RefRead* r) {
                    return present(r) || std::any_of(rs.begin(), rs.end(), [&](const RefRead* q) {
                             return present(q) && q->inv > r->inv;
                           });
                  });
    bool lost = known >= 0 && std::any_of(rs.begin(), rs.end(), [&](const RefRead* r) {
                  return !present(r) && static_cast<int64_t>(r->inv) > known &&
                         std::none_of(rs.begin(), rs.end(), [&](const RefRead* q) {
                           return present(q) && q->inv > r->inv;
                         });
                });
    bool stale = stable && std::any_of(rs.begin(), rs.end(), [&](const RefRead* r) {
                   return !present(r) && static_cast<int64_t>(r->inv) > known;
                 });
    REQUIRE(!(stable && lost));
    if (stable) ++out.stable;
    if (lost) out.lost.push_back(e);
    if (!stable && !lost) out.never_read.push_back(e);
    if (stale) out.stale.push_back(e);
  }
  if (out.duplicated > 0 || !out.lost.empty()) {
    out.validity = Validity::kInvalid;
  } else if (out.stable == 0) {
    out.validity = Validity::kUnknown;
  } else if (linearizable && !out.stale.empty()) {
    out.validity = Validity::kInvalid;
  }
  return out;
}

// A random history of adds (elements 0..5, some added twice) and reads returning random
// subsets (sometimes with a duplicate) on 3 processes.
History RandomHistory(std::mt19937_64& rng) {
  auto roll = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  History h;
  std::map<int64_t, Op> open;
  int64_t time = 0;
  int steps = 4 + roll(20);
  for (int i = 0; i < steps || !open.empty(); ++i) {
    int64_t p = roll(3);
    time += 1 + roll(3) * 700'000;
    Op op;
    if (auto it = open.find(p); it != open.end()) {
      op = it->second;
      open.erase(it);
      int t = roll(10);
      op.type = t < 7 ? OpType::kOk : t < 9 ? OpType::kInfo : OpType::kFail;
      if (op.f.IsKeyword("read")) {
        op.type = t < 8 ? OpType::kOk : OpType::kFail;
        std::vector<Value> seen;
        for (int e = 0; e < 6; ++e) {
          if (roll(2)) seen.push_back(e);
        }
        if (!seen.empty() && roll(15) == 0) seen.push_back(seen.front());
        op.value = op.type == OpType::kOk ? Value::Vector(seen) : Value();
      }
    } else {
      if (i >= steps) continue;
      bool add = roll(2) == 0;
      op = {.type = OpType::kInvoke, .process = p,
            .f = Value::Keyword(add ? "add" : "read"), .value = add ? Value(roll(6)) : Value()};
      open[p] = op;
    }
    op.time = time;
    op.index = -1;
    REQUIRE(h.Append(op).ok());
  }
  return h;
}

std::vector<int64_t> Ints(const Value* v) {
  std::vector<int64_t> out;
  for (const Value& e : v->elements()) out.push_back(e.AsInt());
  return out;
}

TEST_CASE("Set-full checker agrees with a brute-force reference on random histories",
          "[checker][set-full]") {
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    std::mt19937_64 rng(seed);
    History h = RandomHistory(rng);
    bool linearizable = seed % 2 == 0;
    CheckResult got = MakeSetFullChecker({.linearizable = linearizable})->Check({}, h);
    RefResult want = Reference(h, linearizable);
    INFO("seed " << seed);
    REQUIRE(Ints(got.details.Find("lost")) == want.lost);
    REQUIRE(Ints(got.details.Find("never-read")) == want.never_read);
    REQUIRE(Ints(got.details.Find("stale")) == want.stale);
    REQUIRE(got.details.Find("stable-count")->AsInt() == want.stable);
    REQUIRE(got.details.Find("duplicated-count")->AsInt() == want.duplicated);
    REQUIRE(got.validity == want.validity);
  }
}

}  // namespace
}  // namespace jepsen
