// Private: the part every workload client shares: the client servers it starts in
// Setup and stops in Teardown, and the address of its node's server.
#ifndef JEPSEN_TIKV_SRC_SERVER_CLIENT_H_
#define JEPSEN_TIKV_SRC_SERVER_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "jepsen/client.h"
#include "jepsen/test.h"
#include "jepsen/tikv/client_server.h"
#include "jepsen/tikv/outcome.h"
#include "jepsen/tikv/workloads.h"

namespace jepsen::tikv {

// The servers, shared by the prototype client and every client opened from it (they
// live as long as the last of them, and the workload's Setup/Teardown bracket their
// processes).
struct ServerShared {
  explicit ServerShared(const WorkloadOptions& o)
      : options(o), servers(std::make_shared<ClientServers>(o.server)) {}
  WorkloadOptions options;
  std::shared_ptr<ClientServers> servers;

  // --pd-endpoints, or every node's :2379.
  std::vector<std::string> Endpoints(const Test& test) const {
    if (!options.pd_endpoints.empty()) return options.pd_endpoints;
    std::vector<std::string> out;
    for (const auto& n : test.nodes) out.push_back(n + ":2379");
    return out;
  }
  Status Start(const Test& test) const { return servers->StartAll(test, Endpoints(test)); }
  void Stop(const Test& test) const { servers->StopAll(test); }
};

// The op's error as recorded: [:aborted "message"].
inline Value ErrorValue(const Outcome& o) {
  return Value::Vector({Value::Keyword(o.error), Value::String(o.message)});
}

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_SERVER_CLIENT_H_
