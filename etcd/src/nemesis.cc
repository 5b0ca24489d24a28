#include "jepsen/etcd/nemesis.h"

#include <algorithm>

#include <fmt/format.h>

#include "jepsen/nemesis/faults.h"

namespace jepsen::etcd {

std::vector<std::string> NemesisNames() {
  return {"partition", "kill", "pause", "packet-loss", "bandwidth", "all", "none"};
}

std::vector<std::string> PartitionTargetNames() {
  return {"one", "majority", "majorities-ring", "bridge", "leader"};
}

Result<NemesisPackage> MakeEtcdNemesis(const EtcdNemesisOptions& o) {
  NemesisPackageOptions p{.interval = o.interval,
                          .partitions = {},
                          .packet_loss = o.packet_loss,
                          .bandwidth = o.bandwidth,
                          .seed = o.seed};
  for (const std::string& f : o.faults) {
    if (f == "none" || f.empty()) continue;
    if (f == "all") {
      p.faults.insert({"partition", "kill", "pause"});
    } else if (f == "partition" || f == "kill" || f == "pause" || f == "packet-loss" ||
               f == "bandwidth") {
      p.faults.insert(f);
    } else if (f == "clock") {
      return InvalidArgumentError(
          "--nemesis clock is not offered: etcd is a Go binary, which makes its own system "
          "calls and ignores libfaketime, so clock faults would not reach it");
    } else {
      return InvalidArgumentError(fmt::format("unknown nemesis '{}' ({})", f,
                                              fmt::join(NemesisNames(), ", ")));
    }
  }
  std::vector<std::string> known = PartitionTargetNames();
  for (const std::string& t : o.partition_targets) {
    if (std::find(known.begin(), known.end(), t) == known.end()) {
      return InvalidArgumentError(fmt::format("unknown partition kind '{}' ({})", t,
                                              fmt::join(known, ", ")));
    }
    // The library calls the leader the primaries (HasPrimaries, i.e. EtcdDb::Primaries).
    p.partitions.push_back(t == "leader" ? "primaries" : t);
  }
  if (p.faults.count("partition") && p.partitions.empty()) {
    return InvalidArgumentError("--partition-targets is empty but the nemesis partitions");
  }
  if (p.faults.empty()) {
    NemesisPackage none;
    none.nemesis = MakeNoopNemesis();
    return none;
  }
  return MakeNemesisPackage(p);
}

}  // namespace jepsen::etcd
