// Properties every fuzz target checks on inputs its reader accepts.
#ifndef JEPSEN_TEST_FUZZ_FUZZ_CHECKS_H_
#define JEPSEN_TEST_FUZZ_FUZZ_CHECKS_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "jepsen/history_io.h"

namespace jepsen::fuzz {

inline void Require(bool ok, const char* what, const std::string& detail) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property failed: %s\n%s\n", what, detail.c_str());
  std::abort();
}

// Every op that was read writes back in `format` and reads back as the same op
// (history.txt compares only what it can hold).
inline void CheckRoundTrip(const History& h, HistoryFormat format) {
  std::string text;
  for (const Op& op : h) AppendOpLine(text, op, format);
  Result<History> back = ParseHistory(text, {.format = format});
  Require(back.ok(), "written history reads back",
          back.ok() ? "" : back.status().message());
  Require(back->size() == h.size(), "same number of ops", text);
  for (size_t i = 0; i < h.size(); ++i) {
    Op a = h[i], b = (*back)[i];
    if (format == HistoryFormat::kTxt) {
      a.index = b.index = -1;
      a.time = b.time = -1;
      a.extra = b.extra = Value();
    }
    Require(a == b, "op round-trips", FormatOp(a, format) + "\n" + FormatOp(b, format));
  }
}

}  // namespace jepsen::fuzz

#endif  // JEPSEN_TEST_FUZZ_FUZZ_CHECKS_H_
