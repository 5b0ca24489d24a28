// PD + TiKV on the nodes, as the seed's db.clj: install a release, write pd.conf and
// tikv.conf, start PD on every node (pdN, client 2379, peer 2380), wait for all of
// them, start TiKV (addr 20160, status 20180), each under a restart loop that polls its
// health page and restarts it if it died, giving up after 300 s. Teardown stops both by
// pidfile and deletes everything in /opt/tidb but bin/.
//
//   std::unique_ptr<Db> db = MakeTikvDb({.version = "v4.0.9"});
//   std::unique_ptr<Db> db = MakeExistingDb({"10.0.0.1:2379"});   // --db existing
//
// Both also implement the capabilities nemeses use: PdControl (leader, schedulers),
// HasPrimaries (the PD leader's node), and, for the managed cluster, TikvProcesses
// (kill/start/pause/resume of PD or TiKV) and HasLogFiles.
//
// Thread safety: Setup/Teardown run concurrently for different nodes; the capability
// methods may be called from the nemesis thread meanwhile.
#ifndef JEPSEN_TIKV_DB_H_
#define JEPSEN_TIKV_DB_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/db.h"
#include "jepsen/test.h"

namespace jepsen::tikv {

// Where everything lives on a node (the seed's paths).
inline constexpr char kTidbDir[] = "/opt/tidb";
inline constexpr char kPdLog[] = "/opt/tidb/pd.log";
inline constexpr char kPdStdout[] = "/opt/tidb/pd.stdout";
inline constexpr char kPdPidfile[] = "/opt/tidb/pd.pid";
inline constexpr char kKvLog[] = "/opt/tidb/kv.log";
inline constexpr char kKvStdout[] = "/opt/tidb/kv.stdout";
inline constexpr char kKvPidfile[] = "/opt/tidb/kv.pid";

struct DbOptions {
  // --version, e.g. "v4.0.9" (ignored when tarball_url is set).
  std::string version;
  // --tarball-url: an all-in-one archive (bin/pd-server, bin/tikv-server, bin/pd-ctl),
  // http(s):// or file://.
  std::string tarball_url;
  // Restart loop: give up after this long; poll this often.
  std::chrono::milliseconds start_timeout{300000};
  std::chrono::milliseconds poll_interval{1000};
  // Pause after each cluster-wide barrier (the seed's 5 s).
  std::chrono::milliseconds settle{5000};
};

// The archives to install for `options`, each with the directory (under /opt/tidb) it
// unpacks into. --tarball-url: that archive into /opt/tidb. A version before v5: the
// all-in-one http://download.pingcap.org/tidb-<version>-linux-amd64.tar.gz into
// /opt/tidb. v5 and later (no all-in-one tarball): the per-component
// https://tiup-mirrors.pingcap.com/{pd,tikv}-<version>-linux-amd64.tar.gz (the binaries
// at their root) into /opt/tidb/bin; pd-ctl is not needed, PD is driven over HTTP.
// Errors: neither a version nor a URL.
struct Archive {
  std::string url;
  std::string dir;
};
Result<std::vector<Archive>> ArchivesFor(const DbOptions& options);

// The configuration files (the seed's: 50 ms PD ticks, 300 ms elections, sync-log,
// regions of at most 500 keys so that splits and merges happen all the time).
std::string PdConfig();
std::string TikvConfig();

// Operations on PD through its HTTP API (run with curl on a node).
class PdControl {
 public:
  virtual ~PdControl() = default;
  // The node whose PD is the leader now.
  virtual Result<std::string> PdLeaderNode(const Test& test) = 0;
  // Adds / removes a scheduler by its full name ("shuffle-leader-scheduler").
  virtual Status AddScheduler(const Test& test, const std::string& name) = 0;
  virtual Status RemoveScheduler(const Test& test, const std::string& name) = 0;
};

// PD and TiKV processes of the managed cluster, per node.
class TikvProcesses {
 public:
  virtual ~TikvProcesses() = default;
  virtual Status StartPd(const Test& test, const std::string& node) = 0;
  virtual Status StartKv(const Test& test, const std::string& node) = 0;
  virtual Status KillPd(const Test& test, const std::string& node) = 0;
  virtual Status KillKv(const Test& test, const std::string& node) = 0;
  // "STOP" or "CONT".
  virtual Status SignalPd(const Test& test, const std::string& node, const std::string& sig) = 0;
  virtual Status SignalKv(const Test& test, const std::string& node, const std::string& sig) = 0;
};

std::unique_ptr<Db> MakeTikvDb(DbOptions options);

// A cluster someone else deployed: Setup and Teardown touch nothing; PD is reached at
// `pd_endpoints` (empty: every node's :2379) with curl on the first node's remote.
std::unique_ptr<Db> MakeExistingDb(std::vector<std::string> pd_endpoints);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_DB_H_
