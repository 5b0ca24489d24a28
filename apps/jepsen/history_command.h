// `jepsen history stats|convert`.
#ifndef JEPSEN_APPS_JEPSEN_HISTORY_COMMAND_H_
#define JEPSEN_APPS_JEPSEN_HISTORY_COMMAND_H_

#include <string>
#include <vector>

namespace jepsen::app {

// Runs `jepsen history ARGS...`; returns the exit code.
int RunHistoryCommand(const std::vector<std::string>& args);

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_HISTORY_COMMAND_H_
