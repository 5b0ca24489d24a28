// The TiKV "client servers": one process per node on the control machine, each
// listening on 127.0.0.1:(8000 + N) for node number N (1-based position in --nodes)
// and connected to that node's PD. The seed's Rust program (`rpc-server --node HOST
// --port P --type raw|txn`) or the protocol test server; workload clients talk gRPC to
// them (proto/tikv/).
//
//   ClientServers servers({.program = "./rpc-server", .type = "raw"});
//   JEPSEN_RETURN_IF_ERROR(servers.StartAll(test, {"n1:2379", ...}));
//   ...
//   servers.StopAll(test);
//
// Each server's stderr goes into the run's log line by line ("rpc-server n1: ...").
// Start waits until the port accepts connections; Stop sends SIGTERM to the pid it
// started, then SIGKILL after a grace period. Nothing is ever killed by name.
//
// Thread safety: all methods may be called from any thread.
#ifndef JEPSEN_TIKV_CLIENT_SERVER_H_
#define JEPSEN_TIKV_CLIENT_SERVER_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/status.h"
#include "jepsen/test.h"

namespace jepsen::tikv {

struct ClientServerOptions {
  // The program to run (--rpc-server).
  std::string program = "./rpc-server";
  // "raw" (register) or "txn" (set, list-append).
  std::string type = "raw";
  // How long to wait for a server's port.
  std::chrono::milliseconds start_timeout{30000};
  // SIGTERM to SIGKILL.
  std::chrono::milliseconds stop_grace{5000};
};

// 8000 + the node's 1-based position in test.nodes (the seed used the node name's last
// digit, which breaks past n9). -1 if the node is not in the test.
int ClientServerPort(const Test& test, const std::string& node);
// "127.0.0.1:<port>".
std::string ClientServerAddress(const Test& test, const std::string& node);

// The arguments for `node`'s server talking to PD at `pd_endpoint` (host:port): the
// seed's --node HOST --port P --type T, plus --pd ENDPOINT when the port is not 2379
// (the seed's server always dials HOST:2379; see docs/tikv.md).
std::vector<std::string> ClientServerArgs(const Test& test, const std::string& node,
                                          const std::string& pd_endpoint,
                                          const std::string& type);

class ClientServers {
 public:
  explicit ClientServers(ClientServerOptions options);
  // Stops every server still running (without logging: the run's log may be gone).
  ~ClientServers();
  ClientServers(const ClientServers&) = delete;
  ClientServers& operator=(const ClientServers&) = delete;

  // Starts the servers of every node, node i talking to pd_endpoints[i mod size], and
  // waits for their ports. Errors: the program cannot start, a port is taken, a server
  // exits or does not listen in time (the others are stopped again).
  Status StartAll(const Test& test, const std::vector<std::string>& pd_endpoints);
  // Stops every server started (and logs how each ended).
  void StopAll(const Test& test);
  // Pids of the running servers, for tests and logs.
  std::vector<int> Pids() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_CLIENT_SERVER_H_
