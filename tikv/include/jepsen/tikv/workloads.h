// The TiKV suite's workloads, as the seed's (tikv/jepsen-test):
//
//   register     raw KV, independent keys, 10 threads per key (5 of them only read),
//                writes and cas (cas only while the client server implements it),
//                --rate per thread, --ops-per-key; a linearizable cas-register per key
//   set          a set under one key ("a-set"), each add a read-modify-write
//                transaction; a final read; the set checker
//   list-append  transactions of appends and reads on a few keys (Elle's generator);
//                Elle's list-append checker with --consistency-models (the seed's
//                read-committed and snapshot-isolation by default)
//
//   Result<Workload> w = MakeWorkload("set", options);
//
// The clients start the client servers (client_server.h) in Client::Setup and stop
// them in Client::Teardown; ops go over gRPC with a deadline. docs/tikv.md has the
// outcome table.
//
// Thread safety: the returned workload's parts follow the Client/Gen/Checker contracts.
#ifndef JEPSEN_TIKV_WORKLOADS_H_
#define JEPSEN_TIKV_WORKLOADS_H_

#include <chrono>
#include <string>
#include <vector>

#include "jepsen/status.h"
#include "jepsen/tikv/client_server.h"
#include "jepsen/workload.h"

namespace jepsen::tikv {

// Threads working on each key of the register workload (the seed's 10; 5 of them read),
// so that workload needs at least this many client threads.
inline constexpr int kRegisterThreadsPerKey = 10;

struct WorkloadOptions {
  // Ops per second per thread (register).
  double rate = 10;
  // Most ops on any one key (register).
  int64_t ops_per_key = 100;
  // Begin transactions as PESSIMISTIC rather than OPTIMISTIC (set, list-append).
  bool pessimistic = false;
  // Models Elle checks list-append histories against.
  std::vector<std::string> consistency_models = {"read-committed", "snapshot-isolation"};
  // The client server program (its --type is set by the workload).
  ClientServerOptions server;
  // PD endpoints; node i's server uses endpoint i mod size. Empty: "<node>:2379".
  std::vector<std::string> pd_endpoints;
  // Deadline of every gRPC call.
  std::chrono::milliseconds deadline{5000};
};

// The workload names, in the order test-all runs them.
const std::vector<std::string>& WorkloadNames();

// The client server --type a workload needs: "raw" or "txn".
std::string ClientTypeFor(const std::string& workload);

// Errors: an unknown workload or consistency model (kInvalidArgument).
Result<Workload> MakeWorkload(const std::string& name, const WorkloadOptions& options);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_WORKLOADS_H_
