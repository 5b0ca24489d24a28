// The exit codes of every jepsen command and suite app.
#ifndef JEPSEN_CLI_EXIT_CODES_H_
#define JEPSEN_CLI_EXIT_CODES_H_

#include "jepsen/checker.h"

namespace jepsen {

inline constexpr int kExitValid = 0;          // done; every checked history is valid
inline constexpr int kExitInvalid = 1;        // a checked history is invalid
inline constexpr int kExitUnknown = 2;        // a check could not decide (or a run was interrupted)
inline constexpr int kExitBadArguments = 254; // bad arguments or malformed input
inline constexpr int kExitCrash = 255;        // an internal error or a crashed test

// The exit code of a verdict.
inline int ExitCodeFor(Validity v) {
  switch (v) {
    case Validity::kValid: return kExitValid;
    case Validity::kInvalid: return kExitInvalid;
    case Validity::kUnknown: return kExitUnknown;
  }
  return kExitCrash;
}

// The exit code of several results: a crash beats bad input beats invalid beats
// unknown beats valid.
inline int WorseExitCode(int a, int b) {
  auto rank = [](int code) {
    switch (code) {
      case kExitCrash: return 4;
      case kExitBadArguments: return 3;
      case kExitInvalid: return 2;
      case kExitUnknown: return 1;
      default: return 0;
    }
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace jepsen

#endif  // JEPSEN_CLI_EXIT_CODES_H_
