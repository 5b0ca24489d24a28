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
//   {:f :bump-clock, :value <spec>}          -> {:value {"n1" 12345, ...}} (offset, ms)
//   {:f :strobe-clock, :value <spec>}        -> offsets flipping every 10 ms for 5 s
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
#include "jepsen/workload.h"

namespace jepsen {

// The nodes a spec names (see above), chosen with `rng`.
Result<std::vector<std::string>> SelectNodes(const Test& test, const Value& spec, Random& rng);

// :start-partition / :stop-partition through `net`.
std::unique_ptr<Nemesis> MakePartitioner(std::unique_ptr<Net> net, uint64_t seed);
// :kill / :start through the DB's Killable capability.
std::unique_ptr<Nemesis> MakeKiller(uint64_t seed);
// :pause / :resume through the DB's Pausable capability.
std::unique_ptr<Nemesis> MakePauser(uint64_t seed);

struct ClockOptions {
  // The offset file on each node (libfaketime's FAKETIME_TIMESTAMP_FILE).
  std::string offset_file = "/var/jepsen/faketime";
  // Largest bump, in milliseconds (either direction).
  int64_t max_offset_ms = 120000;
};
// :bump-clock / :strobe-clock / :reset-clock by writing the offset file.
std::unique_ptr<Nemesis> MakeClockNemesis(ClockOptions options, uint64_t seed);
// The environment a DB process needs for clock faults to reach it.
std::vector<std::pair<std::string, std::string>> ClockEnv(const ClockOptions& options = {});

struct NemesisPackageOptions {
  // Any of "partition", "kill", "pause", "clock".
  std::set<std::string> faults;
  // Mean time between fault operations.
  std::chrono::nanoseconds interval = std::chrono::seconds(10);
  // Partition kinds to choose from.
  std::vector<std::string> partitions = {"one", "majority", "majorities-ring", "bridge"};
  // Which nodes process faults hit.
  std::vector<std::string> targets = {"one", "minority", "majority", "all"};
  ClockOptions clock;
  uint64_t seed = 0;
};

// The nemeses for `faults` composed, a generator starting and stopping them at random
// every `interval` (faults of different kinds may overlap), and a final generator that
// heals everything. Errors: an unknown fault name.
Result<NemesisPackage> MakeNemesisPackage(const NemesisPackageOptions& options);

}  // namespace jepsen

#endif  // JEPSEN_NEMESIS_FAULTS_H_
