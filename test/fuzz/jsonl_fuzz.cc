// Fuzzes the history.jsonl reader: it must never crash, hang or overflow the stack, and
// what it accepts must round-trip through every writer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"
#include "jepsen/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  jepsen::Result<jepsen::History> h =
      jepsen::ParseHistory(text, {.format = jepsen::HistoryFormat::kJsonl});
  if (h.ok()) {
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kEdn);
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kJsonl);
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kTxt);
  }

  // Any JSON value that parses encodes and parses back to an equal value.
  jepsen::Result<jepsen::Value> v = jepsen::ParseJson(text);
  if (v.ok()) {
    std::string printed;
    jepsen::AppendJson(printed, *v);
    jepsen::Result<jepsen::Value> again = jepsen::ParseJson(printed);
    jepsen::fuzz::Require(again.ok() && *again == *v, "JSON value round-trips", printed);
  }
  return 0;
}
