// Test: everything one run of a Jepsen test needs, as Jepsen's test map.
//
// A suite builds a Test from its options (nodes, concurrency, a workload, a nemesis
// package) and hands it to Run (runner.h). Generators, clients, the DB and the nemesis
// receive it as `const Test&` to read options and reach nodes.
//
//   Test test;
//   test.name = "etcd-register";
//   test.nodes = {"n1", "n2", "n3"};
//   test.concurrency = 10;
//   test.client = MakeRegisterClient();
//   test.generator = Clients(TimeLimit(60s, ...));
//
// Thread safety: the runner fills the runtime fields before any worker starts and does
// not change them while workers run; everything else is read-only during a run.
#ifndef JEPSEN_TEST_H_
#define JEPSEN_TEST_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/checker.h"
#include "jepsen/client.h"
#include "jepsen/db.h"
#include "jepsen/generator.h"
#include "jepsen/log.h"
#include "jepsen/nemesis.h"
#include "jepsen/os.h"
#include "jepsen/remote.h"
#include "jepsen/value.h"

namespace jepsen {

// How to reach nodes over SSH (used by the nodes-and-faults layer).
struct SshOptions {
  std::string username = "root";
  std::string password;        // empty: key authentication
  std::string sudo_password;   // empty: passwordless sudo (or root)
  std::string private_key;     // empty: the default keys
  int port = 22;
  bool strict_host_key_checking = false;
  std::string known_hosts;     // empty: ~/.ssh/known_hosts
  bool no_ssh = false;         // run node commands on this machine
  // A node command still running after this long fails with kDeadlineExceeded (see
  // SshRemoteOptions::command_timeout). 0: no limit.
  std::chrono::seconds command_timeout{0};
};

struct Test {
  // ---- Description (set by the suite) ----
  std::string name = "jepsen";
  std::vector<std::string> nodes;
  // Client worker threads.
  int concurrency = 1;
  // The run's length; the suite's generator applies it (TimeLimit).
  std::chrono::seconds time_limit{60};
  // Seeds every random choice; logged and stored in test.json.
  uint64_t seed = 0;
  SshOptions ssh;
  // Node addresses where known (from --nodes-file or the local cluster); faults name
  // nodes by address when they can, so the nodes need not resolve each other's names.
  std::map<std::string, std::string> addresses;
  bool leave_db_running = false;
  // Where runs are stored: <store_dir>/<name>/<start time>/.
  std::string store_dir = "store";
  // Suite options for test.json (a map of keyword keys), e.g. {:workload "register"}.
  Value options;
  // The nemesis package's perf map (NemesisPackage::perf, jepsen/workload.h): which
  // nemesis ops start and stop which fault, with display names and colours. The runner
  // stores it in test.json as :nemesis-perf and the reports draw the faults as bands
  // with it; nil: the reports' naming conventions only (FaultIntervals).
  Value nemesis_perf;
  // The command line that built this test, so `analyze` can rebuild it.
  std::vector<std::string> argv;

  std::unique_ptr<Os> os;
  std::unique_ptr<Db> db;
  std::unique_ptr<Client> client;
  std::unique_ptr<Nemesis> nemesis;
  Gen generator;
  // Runs after `generator`, once the nemesis is healed: e.g. final reads.
  Gen final_generator;
  std::unique_ptr<Checker> checker;

  // ---- Runtime (set by the runner) ----
  // One per node; empty when the test touches no nodes.
  std::map<std::string, std::unique_ptr<Remote>> remotes;
  // The run's log. Never null during a run.
  Logger* logger = nullptr;
  // The run's store directory ("" when not storing).
  std::string run_dir;
  // Waits until every node's Db::Setup reached its barrier (see runner.h).
  std::function<Status()> barrier;

  Logger& log() const;
  // The node that client thread `thread` talks to (thread mod nodes), or "" if none.
  std::string NodeFor(int thread) const;
  // The Remote of `node`, or nullptr.
  Remote* RemoteFor(const std::string& node) const;
  // `node`'s address if known, else its name.
  std::string AddressOf(const std::string& node) const {
    auto it = addresses.find(node);
    return it == addresses.end() ? node : it->second;
  }
  // Whether commands that need root on the nodes (iptables, tc, apt, the clock files)
  // go through sudo: over SSH with a login other than root.
  bool NodeCommandsNeedSudo() const { return !ssh.no_ssh && ssh.username != "root"; }
  // `line` as such a command: under `sudo sh -c` when NodeCommandsNeedSudo(), else as is.
  std::string AsRoot(const std::string& line) const;
};

}  // namespace jepsen

#endif  // JEPSEN_TEST_H_
