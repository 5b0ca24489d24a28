// Fuzzes the history.txt reader: it must never crash, hang or overflow the stack, and
// what it accepts must round-trip through every writer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  jepsen::Result<jepsen::History> h =
      jepsen::ParseHistory(text, {.format = jepsen::HistoryFormat::kTxt});
  if (h.ok()) {
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kEdn);
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kJsonl);
    jepsen::fuzz::CheckRoundTrip(*h, jepsen::HistoryFormat::kTxt);
  }

  return 0;
}
