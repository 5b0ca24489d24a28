// Private: PD's HTTP API as curl command lines (run on a node), and the parsing of
// its answers. PD serves /pd/api/v1/leader (the leader member, {"name": "pd3",
// "client_urls": ["http://n3:2379"], ...}) and /pd/api/v1/schedulers (POST
// {"name": "shuffle-leader-scheduler"} adds one, DELETE .../<name> removes it).
#ifndef JEPSEN_TIKV_SRC_PD_HTTP_H_
#define JEPSEN_TIKV_SRC_PD_HTTP_H_

#include <string>
#include <vector>

#include "jepsen/remote.h"
#include "jepsen/status.h"
#include "jepsen/test.h"

namespace jepsen::tikv {

// `curl` for a health page: exit 0 iff it answered 2xx.
std::string HealthCommand(const std::string& url);
std::string PdLeaderCommand(const std::string& endpoint);
std::string AddSchedulerCommand(const std::string& endpoint, const std::string& name);
std::string RemoveSchedulerCommand(const std::string& endpoint, const std::string& name);

// The node of the PD leader described by `json`: by the host of its client URL matching
// a node or an endpoint's host (endpoint i belongs to node i), else by its member name
// pdN (the N-th node, as the suite names them). Errors: unparseable, or no node matches.
Result<std::string> LeaderNodeFromJson(const std::string& json, const std::vector<std::string>& nodes,
                                       const std::vector<std::string>& endpoints);

// Runs `command` on `remote`; a nonzero exit is an error naming `what`.
Result<std::string> RunPd(Remote& remote, const std::string& command, const std::string& what);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_PD_HTTP_H_
