// Run: the whole life of a test, as Jepsen's core/run!.
//
//   1. create the store directory; log to jepsen.log and stderr; write test.json
//   2. open remotes (RunOptions::open_remotes), OS setup on every node in parallel
//   3. DB teardown then setup on every node in parallel, with a cluster-wide barrier
//      (test.barrier()) and up to `db_setup_tries` attempts
//   4. client setup, nemesis setup
//   5. the generator, then the final generator, streaming the history to the store
//   6. nemesis teardown (heal everything), client teardown, DB log files downloaded
//      into store/<node>/, DB teardown unless leave_db_running, OS teardown
//   7. the checker on the history; results.json and results.edn; latest links
//
// Step 6 runs however steps 2-5 end: normally, with an error, with an exception
// from suite code (a generator, a setup: the run then fails), or on SIGINT/SIGTERM
// (the first signal stops the generator and waits for ops in flight; a second SIGINT
// stops waiting). The log says what was healed.
//
// Thread safety: one Run at a time per process (it owns SIGINT and SIGTERM meanwhile).
#ifndef JEPSEN_RUNNER_H_
#define JEPSEN_RUNNER_H_

#include <chrono>
#include <functional>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/history.h"
#include "jepsen/status.h"
#include "jepsen/test.h"

namespace jepsen {

struct RunOptions {
  // Write store/<name>/<time>/ (off for quick tests that only want the history).
  bool store = true;
  // Ops running longer than this are recorded as info (0: no limit).
  std::chrono::milliseconds op_timeout{0};
  // Attempts at DB setup before giving up.
  int db_setup_tries = 3;
  // Live progress on stderr when it is a terminal, a log line every 10 s otherwise.
  bool progress = true;
  // Log lines as JSON objects.
  bool logging_json = false;
  // Fills test.remotes before OS setup (SSH, local nodes); the run closes them when it
  // ends. Null: no remotes opened (those already in test.remotes are used and kept).
  std::function<Status(Test&)> open_remotes;
  // Handle SIGINT and SIGTERM during the run. A signal while the history is being
  // checked cancels the check instead (verdict unknown; history and results kept).
  bool handle_signals = true;
  // The checker gives up with verdict unknown after this long or rather than use more
  // memory than this (CheckContext's limits); 0: no limit.
  std::chrono::milliseconds check_time_limit{0};
  uint64_t check_memory_limit_bytes = 0;
};

struct RunResult {
  CheckResult result;
  std::string run_dir;  // "" without a store
  History history;
  bool interrupted = false;  // a signal stopped the run early
};

// Runs `test`. Errors are infrastructure failures (setup, I/O); a run that completes
// returns its verdict in RunResult::result.
Result<RunResult> Run(Test& test, const RunOptions& options = {});

// Runs `fn` for every node of the test in parallel; the first failure, prefixed with
// its node.
Status OnNodes(const Test& test, const std::function<Status(const std::string& node)>& fn);

}  // namespace jepsen

#endif  // JEPSEN_RUNNER_H_
