// The etcd suite's faults, built on libjepsen's nemesis package (nemesis/faults.h):
//   partition  network partitions, each of a kind drawn from `partition_targets`:
//              one (a node alone), majority (two halves), majorities-ring, bridge,
//              leader (the current leader alone, found through Maintenance.Status)
//   kill       SIGKILL members (one, a minority, a majority or all) and restart them
//   pause      SIGSTOP members and SIGCONT them
//   packet-loss  drop a share (`packet_loss`) of the packets reaching some members
//                (iptables statistic match)
//   bandwidth  limit some members' outgoing traffic to `bandwidth` (tbf)
//              (no latency faults: this kernel has no netem)
//   all        partition, kill and pause together
//   none       no faults
// Faults start and stop at random, on average every `interval`; at the end everything
// is healed.
//
// Clock faults are not offered: etcd is a Go binary, which makes its own system calls
// and ignores libfaketime, so a clock nemesis would change nothing while claiming to.
//
//   JEPSEN_ASSIGN_OR_RETURN(NemesisPackage p, MakeEtcdNemesis({.faults = {"partition"}}));
//
// Thread safety: a pure factory.
#ifndef JEPSEN_ETCD_NEMESIS_H_
#define JEPSEN_ETCD_NEMESIS_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "jepsen/status.h"
#include "jepsen/workload.h"

namespace jepsen::etcd {

struct EtcdNemesisOptions {
  // Any of "partition", "kill", "pause", "packet-loss", "bandwidth", "all", "none".
  std::vector<std::string> faults;
  // Mean time between fault operations.
  std::chrono::nanoseconds interval = std::chrono::seconds(10);
  // Partition kinds to draw from (see above).
  std::vector<std::string> partition_targets = {"one", "majority", "majorities-ring", "bridge",
                                                "leader"};
  // packet-loss: the probability each packet is dropped; bandwidth: the tbf rate.
  double packet_loss = 0.2;
  std::string bandwidth = "1mbit";
  uint64_t seed = 0;
};

// "partition", "kill", "pause", "packet-loss", "bandwidth", "all", "none".
std::vector<std::string> NemesisNames();
// "one", "majority", "majorities-ring", "bridge", "leader".
std::vector<std::string> PartitionTargetNames();

// The package for `options` (an empty one for no faults). Errors (kInvalidArgument):
// an unknown fault or partition kind, and "clock", with why it is not offered.
Result<NemesisPackage> MakeEtcdNemesis(const EtcdNemesisOptions& options);

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_NEMESIS_H_
