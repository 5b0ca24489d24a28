// The etcd suite's workloads, as a table: what the clients do (through etcd's KV API)
// and how the history is checked (libjepsen's generators and checkers).
//
//   register      independent keys; read / write / cas (Txn comparing the value);
//                 linearizable checker with the cas-register model
//   set           unique adds (one key each), periodic and final reads of all of them;
//                 set-full checker (linearizable unless serializable reads)
//   list-append   transactions of appends and reads over a few keys, each an etcd Txn
//                 guarded by the mod revisions it read; Elle's list-append checker,
//                 strict-serializable
//
//   JEPSEN_ASSIGN_OR_RETURN(Workload w, MakeWorkload("register", {.topology = t}));
//
// Thread safety: factories are pure; the clients they return follow client.h.
#ifndef JEPSEN_ETCD_WORKLOADS_H_
#define JEPSEN_ETCD_WORKLOADS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "jepsen/etcd/topology.h"
#include "jepsen/status.h"
#include "jepsen/workload.h"

namespace jepsen::etcd {

struct WorkloadOptions {
  // Where the clients connect (client thread i talks to node i mod n only).
  Topology topology;
  // The deadline of every request.
  std::chrono::milliseconds request_timeout{2000};
  // Reads with Range.serializable (member-local, possibly stale): etcd documents these
  // as not linearizable, and the checkers are told so.
  bool serializable_reads = false;
  // Client operations per second over all threads (0: as fast as they complete).
  double rate = 100;
  // register: operations on each key before it moves on to a fresh one.
  int64_t ops_per_key = 200;
  // register: client threads per key (0: one per node, so every key is read and
  // written through every member).
  int threads_per_key = 0;
  // list-append: keys in play at once, micro-ops per transaction, and appends to a
  // key before it is retired for a fresh one.
  int key_count = 8;
  int max_txn_length = 4;
  int max_writes_per_key = 32;
  // The test's nodes (for threads_per_key).
  std::vector<std::string> nodes;
};

Workload MakeRegisterWorkload(const WorkloadOptions& options);
Workload MakeSetWorkload(const WorkloadOptions& options);
Workload MakeListAppendWorkload(const WorkloadOptions& options);

// "register", "set", "list-append".
std::vector<std::string> WorkloadNames();
// The workload called `name`. Errors: kInvalidArgument naming it and the known ones.
Result<Workload> MakeWorkload(const std::string& name, const WorkloadOptions& options);

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_WORKLOADS_H_
