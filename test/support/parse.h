// MustParse: a history from EDN text in a test, failing the test if it does not parse.
#ifndef JEPSEN_TEST_SUPPORT_PARSE_H_
#define JEPSEN_TEST_SUPPORT_PARSE_H_

#include <catch2/catch.hpp>

#include <string_view>

#include "jepsen/history_io.h"

namespace jepsen::testing {

inline History MustParse(std::string_view text) {
  Result<History> h = ParseHistory(text);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  return *std::move(h);
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_PARSE_H_
