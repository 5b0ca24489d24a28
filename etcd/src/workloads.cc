#include "jepsen/etcd/workloads.h"

#include <fmt/format.h>

namespace jepsen::etcd {
namespace {

struct Entry {
  const char* name;
  Workload (*make)(const WorkloadOptions&);
};

constexpr Entry kWorkloads[] = {
    {"register", MakeRegisterWorkload},
    {"set", MakeSetWorkload},
    {"list-append", MakeListAppendWorkload},
};

}  // namespace

std::vector<std::string> WorkloadNames() {
  std::vector<std::string> names;
  for (const Entry& e : kWorkloads) names.emplace_back(e.name);
  return names;
}

Result<Workload> MakeWorkload(const std::string& name, const WorkloadOptions& options) {
  for (const Entry& e : kWorkloads) {
    if (name == e.name) return e.make(options);
  }
  return InvalidArgumentError(
      fmt::format("unknown workload '{}' ({})", name, fmt::join(WorkloadNames(), ", ")));
}

}  // namespace jepsen::etcd
