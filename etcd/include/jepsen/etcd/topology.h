// Topology: where each etcd member of a test listens, shared by the DB automation
// (which starts members with these URLs) and the clients (which dial them).
//
//   Topology t{.addresses = {{"n1", "10.77.0.1"}}};
//   t.ClientEndpoint("n1")   // "10.77.0.1:2379"
//   t.PeerUrl("n2")          // "http://n2:2380" (no address listed: the name)
//
// Thread safety: a plain value.
#ifndef JEPSEN_ETCD_TOPOLOGY_H_
#define JEPSEN_ETCD_TOPOLOGY_H_

#include <map>
#include <string>
#include <vector>

namespace jepsen::etcd {

struct Topology {
  // node -> address (IP or host name); nodes not listed are reached by their name.
  std::map<std::string, std::string> addresses;
  // etcd's client (gRPC) and peer (Raft) ports.
  int client_port = 2379;
  int peer_port = 2380;

  // The address of `node`.
  std::string Host(const std::string& node) const;
  // "host:client_port", what a gRPC channel dials.
  std::string ClientEndpoint(const std::string& node) const;
  // "http://host:client_port" and "http://host:peer_port", as etcd's flags take them.
  std::string ClientUrl(const std::string& node) const;
  std::string PeerUrl(const std::string& node) const;
  // etcd's --initial-cluster: "n1=http://a1:2380,n2=http://a2:2380,...".
  std::string InitialCluster(const std::vector<std::string>& nodes) const;
};

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_TOPOLOGY_H_
