// The standard nemeses: partitions, process faults (kill/start, pause/resume through
// the DB's capabilities), and clock faults (through libfaketime, never the host clock),
// plus the combined package behind `--nemesis partition,kill,pause,clock`.
//
// Ops and what they record (every completion says which nodes and which grudge):
//   {:f :start-partition, :value :majority}  -> {:value [:isolated {"n1" #{"n2" ...}}]}
//     values: :one :majority :majorities-ring :bridge :primaries, or a grudge map
//   {:f :stop-partition}                     -> {:value :network-healed}
//   {:f :kill, :value :minority}             -> {:value {"n2" :killed, ...}}
//   {:f :start, :value :all}                 -> {:value {"n2" :started, ...}}
//   {:f :pause / :resume, :value <spec>}     -> {:value {"n1" :paused, ...}}
//   {:f :start-packet-loss, :value :one}    -> {:value {:nodes ["n3"], :probability 0.2}}
//     value: a node spec, or {:nodes <spec>, :probability p} to override the default
//   {:f :stop-packet-loss}                   -> {:value :packet-loss-healed}
//   {:f :start-bandwidth, :value :all}       -> {:value {:nodes [...], :rate "1mbit"}}
//     value: a node spec, or {:nodes <spec>, :rate "500kbit"}
//   {:f :stop-bandwidth}                     -> {:value :bandwidth-healed}
//   {:f :bump-clock, :value <spec>}          -> {:value {"n1" 12345, ...}} (offset, ms)
//   {:f :strobe-clock, :value <spec>}        -> offsets flipping every 10 ms for 5 s
//                                               (the op returns when the strobe ends)
//   {:f :reset-clock, :value :all}           -> {:value {"n1" 0, ...}}
// Node specs: :one :minority :majority :minority-third :primaries :all, or a vector of
// node names.
//
// Clock faults reach only processes started with ClockEnv() in their environment
// (LD_PRELOAD of libfaketime reading a per-node offset file). Go programs (etcd)
// make their own system calls and ignore libfaketime: clock faults do not reach them.
//
// Thread safety: a nemesis is invoked from the nemesis thread only.
#ifndef JEPSEN_NEMESIS_FAULTS_H_
#define JEPSEN_NEMESIS_FAULTS_H_

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "jepsen/generator.h"
#include "jepsen/nemesis.h"
#include "jepsen/net.h"
#include "jepsen/random.h"
#include "jepsen/remote.h"
#include "jepsen/workload.h"

namespace jepsen {

// The nodes a spec names (see above), chosen with `rng`.
Result<std::vector<std::string>> SelectNodes(const Test& test, const Value& spec, Random& rng);

// :start-partition / :stop-partition through `net`.
std::unique_ptr<Nemesis> MakePartitioner(std::unique_ptr<Net> net, uint64_t seed);
// :start-packet-loss / :stop-packet-loss through `net` (the iptables statistic match),
// dropping incoming packets with `probability` by default. Give it a Net of its own
// (its own chain): healing it must not heal partitions.
std::unique_ptr<Nemesis> MakePacketLoss(std::unique_ptr<Net> net, double probability,
                                        uint64_t seed);
// :start-bandwidth / :stop-bandwidth through `net` (tbf on outgoing traffic), at `rate`
// by default (e.g. "1mbit"). Give it a Net with its own tbf handle.
std::unique_ptr<Nemesis> MakeBandwidthLimiter(std::unique_ptr<Net> net, std::string rate,
                                              uint64_t seed);
// :kill / :start through the DB's Killable capability.
std::unique_ptr<Nemesis> MakeKiller(uint64_t seed);
// :pause / :resume through the DB's Pausable capability.
std::unique_ptr<Nemesis> MakePauser(uint64_t seed);

struct ClockOptions {
  // The offset file on each node (libfaketime's FAKETIME_TIMESTAMP_FILE).
  std::string offset_file = "/var/jepsen/faketime";
  // Largest bump, in milliseconds (either direction).
  int64_t max_offset_ms = 120000;
  // A strobe flips between an offset and none every period, for the duration; the
  // :strobe-clock op ends when the strobe does.
  std::chrono::milliseconds strobe_period{10};
  std::chrono::milliseconds strobe_duration{5000};
  // The preload library on the nodes; FindLibfaketime(remote) finds it elsewhere.
  std::string libfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
};
// :bump-clock / :strobe-clock / :reset-clock by writing the offset file. Offsets are
// drawn from the seed in node order, so a seed gives the same faults. Setup and
// Teardown reset every node's offset (and stop a strobe).
std::unique_ptr<Nemesis> MakeClockNemesis(ClockOptions options, uint64_t seed);
// The environment a DB process needs for clock faults to reach it: LD_PRELOAD of
// options.libfaketime, FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE=1 and
// FAKETIME_DONT_FAKE_MONOTONIC=1 (timeouts and sleeps keep real time).
std::vector<std::pair<std::string, std::string>> ClockEnv(const ClockOptions& options = {});
// Where libfaketime.so.1 is on the node (multiarch Debian/Ubuntu, lib64, lib).
// Errors: kNotFound naming the package to install.
Result<std::string> FindLibfaketime(Remote& remote);

struct NemesisPackageOptions {
  // Any of "partition", "kill", "pause", "clock", "packet-loss", "bandwidth".
  std::set<std::string> faults;
  // Mean time between fault operations.
  std::chrono::nanoseconds interval = std::chrono::seconds(10);
  // Partition kinds to choose from.
  std::vector<std::string> partitions = {"one", "majority", "majorities-ring", "bridge"};
  // Which nodes process, clock and packet faults hit.
  std::vector<std::string> targets = {"one", "minority", "minority-third", "majority", "all"};
  ClockOptions clock;
  // Packet faults: the probability a packet is dropped, the tbf rate, and the nodes'
  // network interface.
  double packet_loss = 0.2;
  std::string bandwidth = "1mbit";
  std::string net_device = "eth0";
  uint64_t seed = 0;
};

// The nemeses for `faults` composed, a generator starting and stopping them at random
// every `interval` (faults of different kinds may overlap), and a final generator that
// heals everything. Errors: an unknown fault name.
Result<NemesisPackage> MakeNemesisPackage(const NemesisPackageOptions& options);

}  // namespace jepsen

#endif  // JEPSEN_NEMESIS_FAULTS_H_
