#include "jepsen/tikv/workloads.h"

#include "workload_tables.h"

namespace jepsen::tikv {

const std::vector<std::string>& WorkloadNames() {
  static const std::vector<std::string> names = {"register", "set", "list-append"};
  return names;
}

std::string ClientTypeFor(const std::string& workload) {
  return workload == "register" ? "raw" : "txn";
}

Result<Workload> MakeWorkload(const std::string& name, const WorkloadOptions& options) {
  if (name == "register") return MakeRegisterWorkload(options);
  if (name == "set") return MakeSetWorkload(options);
  if (name == "list-append") return MakeListAppendWorkload(options);
  return InvalidArgumentError("--workload must be one of register, set, list-append, not '" +
                              name + "'");
}

}  // namespace jepsen::tikv
