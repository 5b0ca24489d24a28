// LocalCluster: n nodes on this machine, each as isolated as a real machine where it
// matters to a Jepsen test, brought up with one call (or `jepsen cluster up`).
//
// A node is a network namespace on a bridge (a veth pair, an address in a private
// /24, no default route), with its own PID, UTS and mount namespaces, its hostname, a
// private directory mounted at the same path in every node (`data_path`, so DB
// automation uses one path as on real machines), a private /root, a private /etc/hosts
// naming every node, and its own sshd (its own host key; root logs in with a key the
// cluster generates). Processes of one node are invisible to the others, so kill and
// pause hit only that node; partitions are iptables rules inside a node's namespace.
//
//   Result<LocalCluster> c = LocalClusterUp({.nodes = 5});   // reuses a matching one
//   ... c->nodes[0].address, c->key_path, c->nodes_file ...
//   LocalClusterDown({});                                    // leaves nothing behind
//
// Needs root. Traffic stays on the cluster's own bridge.
//
// Thread safety: not for concurrent use on the same cluster.
#ifndef JEPSEN_LOCAL_CLUSTER_H_
#define JEPSEN_LOCAL_CLUSTER_H_

#include <string>
#include <vector>

#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

struct LocalClusterOptions {
  // How many nodes: n1 .. nN.
  int nodes = 5;
  // Where keys, configuration and node directories live.
  std::string dir = "/var/lib/jepsen/local-cluster";
  // The first three octets of the cluster's /24: node i gets .i, the host .254.
  std::string subnet = "10.77.0";
  // Names the bridge (<name>br), namespaces (<name>-n1) and host veths (<name>v1);
  // at most 10 characters.
  std::string name = "jepsen";
  // The node-private directory, at this path inside every node.
  std::string data_path = "/var/jepsen";
};

struct LocalNode {
  std::string name;     // n1
  std::string address;  // 10.77.0.1
  int pid = -1;         // the node's init process (for entering its namespaces)
  bool up = false;
};

struct LocalCluster {
  LocalClusterOptions options;
  std::vector<LocalNode> nodes;
  std::string key_path;    // the root login key
  std::string nodes_file;  // "n1 10.77.0.1" per line
};

// Brings the cluster up, or returns the running one if it matches `options`; a
// different or half-up one is taken down first. Errors: not root, a step failed
// (everything created so far is removed again).
Result<LocalCluster> LocalClusterUp(const LocalClusterOptions& options);
// Removes every node, namespace, veth, bridge, mount, process and file of the
// cluster, including leftovers of a half-finished up.
Status LocalClusterDown(const LocalClusterOptions& options);
// What is running now (nodes that are down have up == false).
Result<LocalCluster> LocalClusterStatus(const LocalClusterOptions& options);
// The options a cluster in `dir` was brought up with (as recorded by LocalClusterUp).
// Errors: kNotFound when `dir` holds no cluster; kInvalidArgument when its record is
// unreadable.
Result<LocalClusterOptions> ReadLocalClusterOptions(const std::string& dir);

}  // namespace jepsen

#endif  // JEPSEN_LOCAL_CLUSTER_H_
