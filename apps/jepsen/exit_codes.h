// The exit codes every jepsen command uses (docs/cli.md).
#ifndef JEPSEN_APPS_JEPSEN_EXIT_CODES_H_
#define JEPSEN_APPS_JEPSEN_EXIT_CODES_H_

namespace jepsen::app {

inline constexpr int kExitValid = 0;    // the command did its work; checks found it valid
inline constexpr int kExitInvalid = 1;  // a check found the history invalid
inline constexpr int kExitUnknown = 2;  // a check could not decide
inline constexpr int kExitBadInput = 254;  // bad arguments or malformed input
inline constexpr int kExitCrash = 255;     // an internal error

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_EXIT_CODES_H_
