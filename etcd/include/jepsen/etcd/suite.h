// The etcd test: a workload (workloads.h) and a nemesis package (nemesis.h) against an
// etcd cluster (db.h), assembled into a jepsen::Test from the suite command line's
// common options. apps/etcd-jepsen is SuiteMain plus this.
//
//   EtcdTestOptions o{.workload = "register", .nemesis = {"partition", "kill"}};
//   JEPSEN_ASSIGN_OR_RETURN(Test test, BuildEtcdTest(common, o));
//
// The test: clients and faults for the time limit; then the faults are healed, the
// cluster gets `recovery_time` to recover, and the workload's final reads run. Its name
// is etcd-<workload>-<nemeses>[-serializable].
//
// Thread safety: a pure function.
#ifndef JEPSEN_ETCD_SUITE_H_
#define JEPSEN_ETCD_SUITE_H_

#include <chrono>
#include <string>
#include <vector>

#include "jepsen/cli/suite.h"
#include "jepsen/etcd/db.h"
#include "jepsen/etcd/nemesis.h"
#include "jepsen/etcd/workloads.h"

namespace jepsen::etcd {

struct EtcdTestOptions {
  std::string workload = "register";
  // Fault names (nemesis.h); empty or {"none"}: no faults.
  std::vector<std::string> nemesis;
  std::chrono::milliseconds nemesis_interval{10000};
  std::vector<std::string> partition_targets = PartitionTargetNames();
  double packet_loss = 0.2;
  std::string bandwidth = "1mbit";
  // Time between healing and the final reads.
  std::chrono::milliseconds recovery_time{10000};
  // Workload knobs; topology and nodes are filled in from the common options.
  WorkloadOptions workload_options;
  // DB knobs; the topology is filled in from the common options.
  EtcdDbOptions db;
};

// The test. Errors: kInvalidArgument for an unknown workload, fault or partition kind.
Result<Test> BuildEtcdTest(const CommonOptions& common, const EtcdTestOptions& options);

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_SUITE_H_
