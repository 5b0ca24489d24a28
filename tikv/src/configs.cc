// The seed's configuration files (its resources/pd.conf and tikv.conf, themselves from
// Jepsen's TiDB test): fast ticks and elections so faults heal quickly, synchronous
// raft logs, and tiny regions so that splits and merges happen during the test.
#include "jepsen/tikv/db.h"

namespace jepsen::tikv {

std::string PdConfig() {
  return R"(# Written by tikv-jepsen (the seed's pd.conf).
tick-interval = "50ms"
election-interval = "300ms"
lease = 1
tso-save-interval = "1s"

[log]
level = "info"

[schedule]
split-merge-interval = "5s"
max-snapshot-count = 3
max-pending-peer-count = 64
max-store-down-time = "100h"
leader-schedule-limit = 8
region-schedule-limit = 8
replica-schedule-limit = 16
merge-schedule-limit = 16
tolerant-size-ratio = 5.0

[[schedule.schedulers]]
type = "balance-region"
args = []

[[schedule.schedulers]]
type = "balance-leader"
args = []

[[schedule.schedulers]]
type = "hot-region"
args = []

[replication]
max-replicas = 3
)";
}

std::string TikvConfig() {
  return R"(# Written by tikv-jepsen (the seed's tikv.conf).
[server]
status-addr = "0.0.0.0:20180"

[raftstore]
pd-heartbeat-tick-interval = "5s"
raft_store_max_leader_lease = "50ms"
raft_base_tick_interval = "100ms"
raft_heartbeat_ticks = 3
raft_election_timeout_ticks = 10
# Every raft log write is fsynced.
sync-log = true

[coprocessor]
# Regions split at 400 keys and are at most 500: many regions, many splits and merges.
region-max-keys = 500
region-split-keys = 400
)";
}

}  // namespace jepsen::tikv
