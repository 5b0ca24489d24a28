// The exit codes of the jepsen command: the library's (jepsen/cli/exit_codes.h).
#ifndef JEPSEN_APPS_JEPSEN_EXIT_CODES_H_
#define JEPSEN_APPS_JEPSEN_EXIT_CODES_H_

#include "jepsen/cli/exit_codes.h"

namespace jepsen::app {

// kExitValid, kExitInvalid, kExitUnknown and kExitCrash come from jepsen::.
inline constexpr int kExitBadInput = jepsen::kExitBadArguments;

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_EXIT_CODES_H_
