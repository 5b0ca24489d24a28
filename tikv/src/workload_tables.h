// Private: the constructors behind MakeWorkload, one per workload file.
#ifndef JEPSEN_TIKV_SRC_WORKLOAD_TABLES_H_
#define JEPSEN_TIKV_SRC_WORKLOAD_TABLES_H_

#include "jepsen/tikv/workloads.h"

namespace jepsen::tikv {

Result<Workload> MakeRegisterWorkload(const WorkloadOptions& options);
Result<Workload> MakeSetWorkload(const WorkloadOptions& options);
Result<Workload> MakeListAppendWorkload(const WorkloadOptions& options);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_WORKLOAD_TABLES_H_
