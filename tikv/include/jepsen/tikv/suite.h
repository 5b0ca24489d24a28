// The tikv-jepsen command line: the seed's flags on top of the shared suite command
// line (jepsen/cli/suite.h), and the test they describe (the seed's tikv-test).
//
//   int main(int argc, char** argv) { return jepsen::tikv::TikvMain(argc, argv); }
//
// Seed flags: -v/--version, -w/--workload, -r/--rate, --ops-per-key,
// --nemesis-interval, --nemesis, --nemesis-long-recovery, --nemesis-schedule,
// --final-recovery-time; Jepsen's -n/--node and analyze's -t/--test are accepted too.
// Added: --tarball-url, --txn-mode, --db, --pd-endpoints, --rpc-server,
// --client-timeout, --consistency-models.
//
// Thread safety: main thread only.
#ifndef JEPSEN_TIKV_SUITE_H_
#define JEPSEN_TIKV_SUITE_H_

#include <string>
#include <vector>

#include "jepsen/cli/suite.h"

namespace jepsen::tikv {

struct TikvOptions {
  std::string workload = "register";      // --workload
  std::string version;                    // --version
  std::string tarball_url;                // --tarball-url
  double rate = 10;                       // --rate, per thread
  int64_t ops_per_key = 100;              // --ops-per-key
  std::string nemesis = "none";           // --nemesis
  int64_t nemesis_interval = 10;          // --nemesis-interval, seconds
  bool nemesis_long_recovery = false;     // --nemesis-long-recovery
  std::string nemesis_schedule = "random";  // --nemesis-schedule
  int64_t final_recovery_time = 10;       // --final-recovery-time, seconds
  std::string txn_mode = "optimistic";    // --txn-mode
  std::string db = "tikv";                // --db tikv|existing
  std::vector<std::string> pd_endpoints;  // --pd-endpoints
  std::string rpc_server = "./rpc-server";  // --rpc-server
  double client_timeout = 5;              // --client-timeout, seconds
  std::vector<std::string> consistency_models = {"read-committed", "snapshot-isolation"};
};

// Registers the suite's flags, writing into *o.
void RegisterTikvFlags(FlagSet& flags, TikvOptions* o);
// Checks the flags after parsing: an error message or "".
std::string ValidateTikvOptions(const TikvOptions& o);
// Rewrites the seed's (and Jepsen's) short and alternative spellings into the long
// flags SuiteMain knows: -v -w -r -n --node -t --test.
std::vector<std::string> NormalizeSeedArgs(const std::vector<std::string>& args);
// The test the flags describe.
Result<Test> BuildTikvTest(const CommonOptions& common, const TikvOptions& o);
// The suite description for SuiteMain (borrows *o).
Suite MakeTikvSuite(TikvOptions* o);
// main().
int TikvMain(int argc, char** argv);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SUITE_H_
