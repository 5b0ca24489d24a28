// `jepsen check`: runs a checker on history files.
#ifndef JEPSEN_APPS_JEPSEN_CHECK_COMMAND_H_
#define JEPSEN_APPS_JEPSEN_CHECK_COMMAND_H_

#include <string>
#include <vector>

namespace jepsen::app {

// Runs `jepsen check ARGS...`; returns the exit code.
int RunCheckCommand(const std::vector<std::string>& args);

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_CHECK_COMMAND_H_
