#include "jepsen/json.h"

#include <catch2/catch.hpp>

#include "jepsen/edn.h"

namespace jepsen {
namespace {

std::string ToJson(std::string_view edn) {
  std::string out;
  AppendJson(out, *ParseEdn(edn));
  return out;
}

TEST_CASE("JSON encodes every EDN kind and decodes it back", "[json]") {
  const std::pair<const char*, const char*> cases[] = {
      {"nil", "null"},
      {"[true false]", "[true,false]"},
      {"-12", "-12"},
      {"1.0", "1.0"},
      {"123456789012345678901234567890N", "123456789012345678901234567890"},
      {"\"plain\"", "\"plain\""},
      {"\":colon\"", "\"~:colon\""},
      {"\"~tilde\"", "\"~~tilde\""},
      {":read", "\":read\""},
      {":ns/k", "\":ns/k\""},
      {"sym", "{\"~symbol\":\"sym\"}"},
      {"\\a", "{\"~char\":\"a\"}"},
      {"(1 2)", "{\"~list\":[1,2]}"},
      {"#{1}", "{\"~set\":[1]}"},
      {"{:a 1, \"b\" 2}", "{\":a\":1,\"b\":2}"},
      {"{1 2, [3] 4}", "{\"~map\":[[1,2],[[3],4]]}"},
      {"#inst \"2024\"", "{\"~tag\":[\"inst\",\"2024\"]}"},
      {"##NaN", "{\"~double\":\"NaN\"}"},
      {"##-Inf", "{\"~double\":\"-Infinity\"}"},
      {"[[:append 1 2] [:r 1 nil]]", "[[\":append\",1,2],[\":r\",1,null]]"},
      {"{\"~list\" 1}", "{\"~~list\":1}"},
  };
  for (const auto& [edn, json] : cases) {
    INFO(edn);
    CHECK(ToJson(edn) == json);
    Result<Value> back = ParseJson(json);
    REQUIRE(back.ok());
    CHECK(*back == *ParseEdn(edn));
  }
}

TEST_CASE("JSON from other tools reads as plain values", "[json]") {
  Result<Value> v = ParseJson(R"({"f": "read", "value": [1, 2.5, "x", {"k": null}]})");
  REQUIRE(v.ok());
  CHECK(v->ToEdn() == R"({"f" "read", "value" [1 2.5 "x" {"k" nil}]})");
  CHECK(ParseJson(R"("\u00e9\ud83d\ude00\/")")->AsString() == "é😀/");
}

TEST_CASE("JSON errors name the line, the column and what was expected", "[json]") {
  auto err = [](std::string_view text) {
    Result<Value> v = ParseJson(text, {.source = "h.jsonl"});
    return v.ok() ? "parsed" : v.status().message();
  };
  CHECK(err("{\"a\" 1}") == "h.jsonl:1:6: expected ':' after the object key, found '1'");
  CHECK(err("[1,]") == "h.jsonl:1:4: expected a JSON value, found ']'");
  CHECK(err("{\"a\":1,\"a\":2}") == "h.jsonl:1:1: object has a duplicate key");
  CHECK(err("[1] x") ==
        "h.jsonl:1:5: expected the end of the line after the JSON value, found 'x'");
  CHECK(err("01") ==
        "h.jsonl:1:2: expected the end of the line after the JSON value, found '1'");
  CHECK(err("{\"~list\":3}") == "h.jsonl:1:1: malformed {\"~list\": ...} encoding");
  CHECK(err(std::string(100000, '[')) ==
        "h.jsonl:1:1002: nesting deeper than 1000 levels");
  CHECK(err("\"a\tb\"") == "h.jsonl:1:3: control byte 0x09 inside a string");
}

}  // namespace
}  // namespace jepsen
