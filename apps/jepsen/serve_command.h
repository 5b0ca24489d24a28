// `jepsen serve`: the results browser over a store directory.
#ifndef JEPSEN_APPS_JEPSEN_SERVE_COMMAND_H_
#define JEPSEN_APPS_JEPSEN_SERVE_COMMAND_H_

#include <string>
#include <vector>

namespace jepsen::app {

// Runs `jepsen serve ARGS...` until SIGINT or SIGTERM; returns the exit code.
int RunServeCommand(const std::vector<std::string>& args);

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_SERVE_COMMAND_H_
