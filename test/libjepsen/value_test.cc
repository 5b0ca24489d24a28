#include "jepsen/value.h"

#include <catch2/catch.hpp>
#include <thread>
#include <unordered_set>

#include "jepsen/edn.h"

namespace jepsen {
namespace {

Value Kw(std::string_view name) { return Value::Keyword(name); }

TEST_CASE("Value holds every EDN kind and reports it", "[value]") {
  CHECK(Value().kind() == ValueKind::kNil);
  CHECK(Value::Bool(true).kind() == ValueKind::kBool);
  CHECK(Value(42).kind() == ValueKind::kInt);
  CHECK(Value(1.5).kind() == ValueKind::kDouble);
  CHECK(Value::Char(U'λ').kind() == ValueKind::kChar);
  CHECK(Value::String("x").kind() == ValueKind::kString);
  CHECK(Kw("x").kind() == ValueKind::kKeyword);
  CHECK(Value::Symbol("x").kind() == ValueKind::kSymbol);
  CHECK(Value::Vector({1}).kind() == ValueKind::kVector);
  CHECK(Value::List({1}).kind() == ValueKind::kList);
  CHECK(Value::Map({{Kw("a"), 1}}).kind() == ValueKind::kMap);
  CHECK(Value::Set({1}).kind() == ValueKind::kSet);
  CHECK(Value::Tagged("inst", Value::String("2024")).kind() == ValueKind::kTagged);
  CHECK(Value::BigInt("123456789012345678901234567890").kind() == ValueKind::kBigInt);
}

TEST_CASE("Value keeps integers exact across the whole int64 range", "[value]") {
  for (int64_t i : {int64_t{0}, int64_t{-1}, int64_t{1} << 62, -(int64_t{1} << 62),
                    (int64_t{1} << 62) - 1, INT64_MAX, INT64_MIN}) {
    Value v(i);
    CHECK(v.is_int());
    CHECK(v.AsInt() == i);
    CHECK(v == Value(i));
  }
  CHECK(Value::BigInt("-9223372036854775808").AsInt() == INT64_MIN);
  CHECK(Value::BigInt("9223372036854775808").kind() == ValueKind::kBigInt);
  CHECK(Value::BigInt("00042").AsInt() == 42);
  CHECK(Value::BigInt("12a").is_nil());
}

TEST_CASE("Value equality follows Clojure", "[value]") {
  CHECK(Value::Vector({1, 2}) == Value::List({1, 2}));
  CHECK_FALSE(Value(1) == Value(1.0));
  CHECK(Value::Map({{Kw("a"), 1}, {Kw("b"), 2}}) ==
        Value::Map({{Kw("b"), 2}, {Kw("a"), 1}}));
  CHECK(Value::Set({1, 2, 3}) == Value::Set({3, 2, 1}));
  CHECK_FALSE(Value::String("a") == Kw("a"));
  CHECK_FALSE(Kw("a") == Value::Symbol("a"));
  CHECK(Kw("append") == Kw("append"));
  CHECK(Value(std::nan("")) == Value(std::nan("")));
}

TEST_CASE("Value hashes equal values alike", "[value]") {
  CHECK(Value::Vector({1, Kw("x")}).Hash() == Value::List({1, Kw("x")}).Hash());
  CHECK(Value::Set({1, 2}).Hash() == Value::Set({2, 1}).Hash());
  CHECK(Value(0.0).Hash() == Value(-0.0).Hash());
  std::unordered_set<Value, ValueHash> set{Value::Vector({1, 2}), Value::String("a")};
  CHECK(set.count(Value::List({1, 2})) == 1);
}

TEST_CASE("Value orders totally, like Clojure's compare where it is defined", "[value]") {
  std::vector<Value> sorted = {Value(),
                               Value::Bool(false),
                               Value::Bool(true),
                               Value(-5),
                               Value(1),
                               Value(1.0),
                               Value(1.5),
                               Value::Char('a'),
                               Value::String("a"),
                               Value::String("b"),
                               Kw("z"),
                               Kw("a/b"),
                               Value::Symbol("s"),
                               Value::Vector({9}),
                               Value::Vector({1, 1}),
                               Value::Set({1}),
                               Value::Map({{1, 2}})};
  for (size_t i = 0; i < sorted.size(); ++i) {
    for (size_t j = 0; j < sorted.size(); ++j) {
      INFO(sorted[i].ToEdn() << " vs " << sorted[j].ToEdn());
      CHECK((Compare(sorted[i], sorted[j]) < 0) == (i < j));
    }
  }
  CHECK(Compare(Value::BigInt("99999999999999999999"), Value(INT64_MAX)) > 0);
  CHECK(Compare(Value::BigInt("-99999999999999999999"), Value(INT64_MIN)) < 0);
}

TEST_CASE("Value maps and sets find keys at every size", "[value]") {
  for (int n : {0, 1, 8, 9, 100}) {
    std::vector<MapEntry> entries;
    std::vector<Value> elements;
    for (int i = 0; i < n; ++i) {
      entries.push_back({Value(i), Value::String(std::to_string(i))});
      elements.push_back(Value::Vector({i, Kw("k")}));
    }
    Value map = Value::Map(entries);
    Value set = Value::Set(elements);
    REQUIRE(map.size() == static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      REQUIRE(map.Find(Value(i)) != nullptr);
      CHECK(map.Find(Value(i))->AsString() == std::to_string(i));
      CHECK(set.Contains(Value::List({i, Kw("k")})));
    }
    CHECK(map.Find(Value(n)) == nullptr);
    CHECK_FALSE(set.Contains(Value(n)));
  }
}

TEST_CASE("Value drops duplicate map keys and set elements, keeping the first position",
          "[value]") {
  bool dup = false;
  Value m = Value::Map({{Kw("a"), 1}, {Kw("b"), 2}, {Kw("a"), 3}}, &dup);
  CHECK(dup);
  CHECK(m.ToEdn() == "{:a 3, :b 2}");
  Value s = Value::Set({1, 2, 1}, &dup);
  CHECK(dup);
  CHECK(s.ToEdn() == "#{1 2}");
}

TEST_CASE("Value finds keyword keys by name", "[value]") {
  Value m = Value::Map({{Kw("type"), Kw("ok")}, {Value::String("type"), 2}});
  REQUIRE(m.Find("type") != nullptr);
  CHECK(m.Find("type")->IsKeyword("ok"));
  CHECK(m.Find("nope") == nullptr);
}

TEST_CASE("Value destroys a million-deep nesting without recursion", "[value]") {
  Value v;
  for (int i = 0; i < 1000000; ++i) v = Value::Vector({std::move(v)});
  v = Value();  // must not overflow the stack
  SUCCEED();
}

TEST_CASE("Value copies are safe across threads", "[value]") {
  Value shared = Value::Vector({Value::String("payload"), Value::Map({{Kw("a"), 1}})});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&shared] {
      for (int i = 0; i < 100000; ++i) {
        Value copy = shared;
        Value again = copy;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(shared.ToEdn() == "[\"payload\" {:a 1}]");
}

TEST_CASE("Value is one word and small values need no allocation", "[value]") {
  STATIC_REQUIRE(sizeof(Value) == 8);
  Value a = Kw("read");
  Value b = a;
  CHECK(a.raw_bits() == b.raw_bits());
  CHECK(Value(7).raw_bits() == Value(7).raw_bits());
}

TEST_CASE("Value names match keywords, symbols and strings alike", "[value]") {
  CHECK(Kw("read").IsNamed("read"));
  CHECK(Value::String("read").IsNamed("read"));
  CHECK(Value::Symbol("read").IsNamed("read"));
  CHECK_FALSE(Value(1).IsNamed("read"));
  CHECK(Kw("read").IsKeyword("read"));
  CHECK_FALSE(Value::String("read").IsKeyword("read"));
}

}  // namespace
}  // namespace jepsen
