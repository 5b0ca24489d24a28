// The command line every suite app shares (Jepsen's cli/single-test-cmd and
// test-all-cmd), so that a suite's main is a few lines:
//
//   int main(int argc, char** argv) {
//     MySuiteFlags flags;
//     return jepsen::SuiteMain({.name = "etcd",
//                               .add_flags = [&](FlagSet& f) { flags.Register(f); },
//                               .build = [&](const CommonOptions& o) { return Build(o, flags); },
//                               ...},
//                              argc, argv);
//   }
//
// Subcommands:
//   test       build the test from the flags and run it (--test-count times)
//   test-all   run every workload x nemesis combination the suite lists
//   analyze    re-run the checker of a stored run (default store/latest) on its history
// Common flags: --nodes, --nodes-file, --username, --password, --sudo-password,
// --ssh-private-key, --ssh-port, --strict-host-key-checking, --no-ssh, --concurrency
// (a number, or "3n" for 3 x nodes), --time-limit, --test-count, --leave-db-running,
// --seed, --store, --logging-json, --op-timeout, --os (none|debian|centos: OS setup
// before the DB; it replaces the suite's own Os, see jepsen/os/by_name.h).
// Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crash.
//
// Thread safety: SuiteMain runs on the main thread.
#ifndef JEPSEN_CLI_SUITE_H_
#define JEPSEN_CLI_SUITE_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "jepsen/cli/exit_codes.h"
#include "jepsen/cli/flags.h"
#include "jepsen/local_cluster.h"
#include "jepsen/runner.h"
#include "jepsen/test.h"

namespace jepsen {

// The options every suite shares, parsed and resolved.
struct CommonOptions {
  std::vector<std::string> nodes;  // never empty after parsing
  SshOptions ssh;
  int concurrency = 1;  // resolved: "2n" with 5 nodes is 10
  std::chrono::seconds time_limit{60};
  int64_t test_count = 1;
  bool leave_db_running = false;
  uint64_t seed = 0;  // random unless --seed
  std::string store = "store";
  bool logging_json = false;
  std::chrono::milliseconds op_timeout{0};
  // --check-time-limit and --check-memory-limit: the checker gives up (verdict unknown)
  // past these; 0 is no limit.
  std::chrono::seconds check_time_limit{3600};
  uint64_t check_memory_limit_bytes = uint64_t{4096} << 20;
  // --os: "none", "debian" or "centos" (jepsen/os/by_name.h).
  std::string os = "none";
  // --local-cluster N: test a local cluster of N nodes (brought up or reused), placed
  // by --local-cluster-dir, -name, -subnet and -data-path (as `jepsen cluster up`).
  int local_cluster = 0;
  LocalClusterOptions local_cluster_options;
  // Node addresses (from --nodes-file or the local cluster); nodes not listed are
  // reached by name.
  std::map<std::string, std::string> addresses;
  // The command line, for test.json and analyze.
  std::vector<std::string> argv;
};

struct Suite {
  // Names tests "<name>-<...>" and titles --help.
  std::string name;
  std::string description;
  // Registers the suite's own flags (they write into the suite's own variables).
  std::function<void(FlagSet&)> add_flags;
  // Checks the suite's flags after parsing; an error message or "".
  std::function<std::string()> validate;
  // Builds a test from the common options and the suite's flags.
  std::function<Result<Test>(const CommonOptions&)> build;
  // test-all: every workload and nemesis name, and how to choose one pair.
  std::vector<std::string> workloads;
  std::vector<std::string> nemeses;
  std::function<void(const std::string& workload, const std::string& nemesis)> select;
  // Adjusts how tests run (e.g. open SSH remotes, bring up a local cluster).
  std::function<Status(RunOptions&, const CommonOptions&)> prepare_run;
};

// Runs the suite's command line; returns the process exit code.
int SuiteMain(const Suite& suite, int argc, char** argv);
int SuiteMain(const Suite& suite, const std::vector<std::string>& args);

}  // namespace jepsen

#endif  // JEPSEN_CLI_SUITE_H_
