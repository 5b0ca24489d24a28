#include "jepsen/edn.h"

#include <catch2/catch.hpp>

namespace jepsen {
namespace {

std::string RoundTrip(std::string_view text) {
  Result<Value> v = ParseEdn(text);
  if (!v.ok()) return "error: " + v.status().message();
  return v->ToEdn();
}

std::string ErrorOf(std::string_view text) {
  Result<Value> v = ParseEdn(text, {.source = "h.edn"});
  return v.ok() ? "parsed: " + v->ToEdn() : v.status().message();
}

TEST_CASE("EDN reads and prints what Jepsen writes", "[edn]") {
  CHECK(RoundTrip("{:index 0, :time 123, :type :invoke, :process 3, :f :txn, "
                  ":value [[:append 1 2] [:r 1 nil]]}") ==
        "{:index 0, :time 123, :type :invoke, :process 3, :f :txn, "
        ":value [[:append 1 2] [:r 1 nil]]}");
  CHECK(
      RoundTrip("[nil true false -7 +7 1.5 -0.25 1e10 \"s\" :k :ns/k sym (1 2) #{3}]") ==
      "[nil true false -7 7 1.5 -0.25 1e+10 \"s\" :k :ns/k sym (1 2) #{3}]");
  CHECK(RoundTrip("{:a 1 :b 2}") == "{:a 1, :b 2}");
  CHECK(RoundTrip("#inst \"2024-01-02T03:04:05.000-00:00\"") ==
        "#inst \"2024-01-02T03:04:05.000-00:00\"");
  CHECK(RoundTrip("#jepsen.history.Op{:index 0}") == "#jepsen.history.Op{:index 0}");
  CHECK(RoundTrip("[##NaN ##Inf ##-Inf]") == "[##NaN ##Inf ##-Inf]");
}

TEST_CASE("EDN reads numbers with suffixes, ratios and overflow", "[edn]") {
  CHECK(RoundTrip("1N") == "1");
  CHECK(RoundTrip("123456789012345678901234567890") == "123456789012345678901234567890N");
  CHECK(RoundTrip("-123456789012345678901234567890N") ==
        "-123456789012345678901234567890N");
  CHECK(RoundTrip("1.5M") == "1.5");
  CHECK(RoundTrip("1/4") == "0.25");
  CHECK(RoundTrip("1e400") == "##Inf");
  CHECK(ParseEdn("9223372036854775807")->AsInt() == INT64_MAX);
  CHECK(ParseEdn("-9223372036854775808")->AsInt() == INT64_MIN);
}

TEST_CASE("EDN reads strings and characters with every escape", "[edn]") {
  CHECK(ParseEdn(R"("a\"b\\c\nd\te\r\b\f")")->AsString() == "a\"b\\c\nd\te\r\b\f");
  CHECK(ParseEdn(R"("\u00e9\ud83d\ude00")")->AsString() == "é😀");
  CHECK(ParseEdn(R"("\101")")->AsString() == "A");
  CHECK(ParseEdn("\"multi\nline\"")->AsString() == "multi\nline");
  CHECK(RoundTrip(R"([\a \newline \space \tab \u00e9 \λ \( ])") ==
        R"([\a \newline \space \tab \é \λ \(])");
  CHECK(RoundTrip("\"tab\\tquote\\\"\"") == "\"tab\\tquote\\\"\"");
}

TEST_CASE("EDN skips comments, commas and discarded forms", "[edn]") {
  CHECK(RoundTrip("; a comment\n[1, 2,, #_ 3 #_ #_ 4 5 6] ; trailing") == "[1 2 6]");
  CHECK(RoundTrip("#:jepsen{:a 1, :_/b 2, :x/c 3}") == "{:jepsen/a 1, :b 2, :x/c 3}");
}

TEST_CASE("EDN errors name the line, the column and what was expected", "[edn]") {
  CHECK(ErrorOf("{:a 1\n :b}") ==
        "h.edn:1:1: map literal has an odd number of forms (3)");
  CHECK(ErrorOf("[1 2") ==
        "h.edn:1:5: unexpected end of input: expected ']' to close the vector");
  CHECK(ErrorOf("[1 2)") == "h.edn:1:5: unexpected ')' with nothing open");
  CHECK(ErrorOf("\"abc") ==
        "h.edn:1:1: unexpected end of input: expected '\"' to close the string");
  CHECK(ErrorOf("[1]\n[2]") == "h.edn:2:1: expected the end of input after one form");
  CHECK(ErrorOf("") == "h.edn:1:1: expected a form, found none");
  CHECK(ErrorOf("{:a 1 :a 2}") == "h.edn:1:1: map literal has a duplicate key");
  CHECK(ErrorOf("#{1 1}") == "h.edn:1:1: set literal has a duplicate element");
  CHECK(ErrorOf("::auto") == "h.edn:1:1: auto-resolved keywords (::) are not EDN");
  CHECK(ErrorOf("12abc") == "h.edn:1:1: invalid number '12abc'");
  CHECK(ErrorOf("\\bogus") == "h.edn:1:1: unknown character name \\bogus");
  CHECK(ErrorOf("\"\\q\"") == "h.edn:1:2: unknown escape \\q in string");
  CHECK(ErrorOf("#?(:clj 1)") == "h.edn:1:1: unknown dispatch '#?'");
  CHECK(ErrorOf(std::string("[\x00]", 3)) ==
        "h.edn:1:2: unexpected byte 0x00: expected a form");
  CHECK(ErrorOf("\"\xff\"") == "h.edn:1:2: invalid UTF-8 byte 0xff in string");
}

TEST_CASE("EDN rejects a 100k-deep nesting without overflowing the stack", "[edn]") {
  std::string deep(100000, '[');
  CHECK(ErrorOf(deep) == "h.edn:1:1002: nesting deeper than 1000 levels");
  std::string discards;
  for (int i = 0; i < 100000; ++i) discards += "#_";
  CHECK(ErrorOf(discards + "1").find("nesting deeper than 1000 levels") !=
        std::string::npos);
  std::string ok = std::string(500, '[') + std::string(500, ']');
  CHECK(ParseEdn(ok).ok());
}

}  // namespace
}  // namespace jepsen
