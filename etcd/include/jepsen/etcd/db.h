// The etcd database automation: installs etcd when it is missing (Debian's
// etcd-server through apt), starts one member per node with the cluster's names and
// addresses, waits until the cluster answers a linearizable read, and offers the
// capabilities nemeses use:
//   Killable      SIGKILL by pidfile / start again (the data directory is kept)
//   Pausable      SIGSTOP / SIGCONT by pidfile
//   HasPrimaries  the member(s) that say they lead (Maintenance.Status)
//   HasLogFiles   etcd's log, downloaded into store/<run>/<node>/
// Teardown stops the member and wipes its directory (data and log).
//
//   test.db = MakeEtcdDb({.topology = {.addresses = common.addresses}});
//
// Files live under `dir` (default /var/jepsen/etcd), which on a local cluster is the
// node's private directory, so members never share files.
//
// Thread safety: Setup, Teardown and the capabilities may run concurrently for
// different nodes (the runner and the nemesis do so).
#ifndef JEPSEN_ETCD_DB_H_
#define JEPSEN_ETCD_DB_H_

#include <chrono>
#include <memory>
#include <string>

#include "jepsen/db.h"
#include "jepsen/etcd/topology.h"

namespace jepsen::etcd {

struct EtcdDbOptions {
  // Where members listen and how they are named.
  Topology topology;
  // The etcd binary on the nodes; installed from `package` with apt when missing.
  std::string binary = "/usr/bin/etcd";
  std::string package = "etcd-server";
  // The member's directory: data in <dir>/data, log <dir>/etcd.log, pid <dir>/etcd.pid.
  std::string dir = "/var/jepsen/etcd";
  // Raft timing (etcd's --heartbeat-interval and --election-timeout).
  std::chrono::milliseconds heartbeat{100};
  std::chrono::milliseconds election_timeout{1000};
  // How long Setup waits for the cluster to serve a linearizable read.
  std::chrono::seconds health_timeout{60};
  // Run apt through sudo (an SSH user that is not root).
  bool sudo = false;
};

// The etcd DB; it also implements Killable, Pausable, HasPrimaries and HasLogFiles.
std::unique_ptr<Db> MakeEtcdDb(EtcdDbOptions options);

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_DB_H_
