// `jepsen cluster up|down|status|exec`.
#ifndef JEPSEN_APPS_JEPSEN_CLUSTER_COMMAND_H_
#define JEPSEN_APPS_JEPSEN_CLUSTER_COMMAND_H_

#include <string>
#include <vector>

namespace jepsen::app {

// Runs `jepsen cluster ARGS...`; returns the exit code.
int RunClusterCommand(const std::vector<std::string>& args);

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_CLUSTER_COMMAND_H_
