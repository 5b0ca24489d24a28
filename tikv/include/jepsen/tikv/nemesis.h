// The TiKV suite's nemeses, with the seed's spec names (--nemesis a,b,c):
//
//   partition             = partition-one + partition-pd-leader + partition-half
//                           + partition-ring
//   partition-one         one random node alone
//   partition-pd-leader   the PD leader (asked over PD's HTTP API) alone
//   partition-half        two halves
//   partition-ring        overlapping majorities on a ring
//   kill = kill-pd + kill-kv, pause = pause-pd + pause-kv   (random nonempty subsets of
//                           nodes; start/resume hit every node)
//   schedules             = shuffle-leader + shuffle-region + random-merge
//   shuffle-leader, shuffle-region, random-merge   PD schedulers added and removed
//                           through PD's HTTP API (/pd/api/v1/schedulers)
//   restart-kv-without-pd kill every TiKV, pause every PD, start TiKV, 70 s later
//                           resume PD (a special schedule on its own)
//   none                  no faults
//   stop                  (the seed's expand-options names it but its CLI rejects it;
//                           here it is kill-pd + kill-kv, never a silent no-op)
//
// Faults come every --nemesis-interval seconds, at random (stagger) or on a fixed
// schedule (--nemesis-schedule fixed); --nemesis-long-recovery alternates 120 s of
// faults with a heal and 60 s of quiet. The final generator heals everything that was
// enabled, including partition-pd-leader (the seed forgot it).
//
//   Result<std::set<std::string>> faults = ParseNemesisSpec("partition,kill");
//   NemesisPackage p = MakeTikvNemesisPackage({.faults = *faults, .seed = 42});
//
// Thread safety: the package's nemesis runs on the nemesis thread only.
#ifndef JEPSEN_TIKV_NEMESIS_H_
#define JEPSEN_TIKV_NEMESIS_H_

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/generator.h"
#include "jepsen/status.h"
#include "jepsen/workload.h"

namespace jepsen::tikv {

// Every spec name the seed accepts, in its order, then "none".
const std::vector<std::string>& NemesisSpecNames();

// "none" -> {}; "a,b" -> {"a", "b"}. Errors (kInvalidArgument) name the unknown spec
// and list the valid ones.
Result<std::set<std::string>> ParseNemesisSpec(std::string_view spec);

// The shorthands (partition, kill, pause, schedules, stop) replaced by what they mean.
std::set<std::string> ExpandNemesisSpec(const std::set<std::string>& specs);

// Whether an expanded spec kills, pauses or restarts PD/TiKV processes (which needs the
// suite's own daemons, hence --db tikv, and the nodes' shells).
bool IsProcessFault(const std::string& expanded_spec);

struct NemesisOptions {
  // Parsed specs (ParseNemesisSpec); expanded here.
  std::set<std::string> faults;
  // --nemesis-interval.
  std::chrono::seconds interval{10};
  // --nemesis-long-recovery.
  bool long_recovery = false;
  // --nemesis-schedule fixed (DelayTil) instead of random (Stagger).
  bool fixed_schedule = false;
  // Seeds the nemeses' node choices.
  uint64_t seed = 0;
};

// The fault ops during the test (the seed's full-generator); empty Gen for no faults.
Gen NemesisGenerator(const NemesisOptions& options);
// The ops that heal every enabled fault (the seed's final-generator, fixed).
Gen NemesisFinalGenerator(const NemesisOptions& options);

// Nemesis (process faults, schedulers, partitions through iptables), generators and
// plot hints.
NemesisPackage MakeTikvNemesisPackage(const NemesisOptions& options);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_NEMESIS_H_
