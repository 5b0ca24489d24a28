// Store: where a run keeps everything, as Jepsen's store/ directory.
//
//   store/<test-name>/<start-time>/
//     history.jsonl history.edn history.txt   streamed as ops happen
//     results.json results.edn                verdicts
//     test.json                               the test's description, seed, argv
//     jepsen.log                              the run's log
//     <node>/...                              files downloaded from each node
//   store/latest -> the newest run; store/<test-name>/latest likewise
//
// Thread safety: Record may be called from one thread while the writer thread runs;
// everything else from one thread.
#ifndef JEPSEN_STORE_H_
#define JEPSEN_STORE_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jepsen/checker.h"
#include "jepsen/history.h"
#include "jepsen/history_io.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

class Store {
 public:
  // Creates <base>/<test_name>/<start as 20261125T010203.456Z>/.
  static Result<std::unique_ptr<Store>> Create(const std::string& base,
                                               const std::string& test_name,
                                               std::chrono::system_clock::time_point start);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& dir() const { return dir_; }

  // Opens the three history files and starts the writer thread, which writes recorded
  // ops in batches (every line complete, at most a few milliseconds behind).
  Status OpenHistory();
  // Queues an op for the history files. Never blocks on I/O.
  void Record(const Op& op);
  // Writes everything queued and closes the files. The first write error, if any.
  Status CloseHistory();

  // <dir>/<name> as EDN or plain JSON.
  Status WriteEdn(const std::string& name, const Value& v) const;
  Status WriteJson(const std::string& name, const Value& v) const;
  Status WriteResults(const CheckResult& result) const;
  // A directory for files from `node` (created).
  Result<std::string> NodeDir(const std::string& node) const;
  // Points store/latest and store/<test-name>/latest at this run.
  Status UpdateLatest() const;

 private:
  Store(std::string base, std::string test_name, std::string dir);
  void WriterLoop();

  std::string base_;
  std::string test_name_;
  std::string dir_;
  std::vector<std::unique_ptr<HistoryWriter>> writers_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Op> queue_;  // guarded by mu_
  bool closing_ = false;   // guarded by mu_
  Status write_status_;    // guarded by mu_
  std::thread writer_;
};

// A stored run read back: its history and test.json.
struct StoredRun {
  std::string dir;
  History history;
  Value test;  // test.json as a Value (string keys)
};

// Reads <dir>/history.jsonl (or history.edn) and test.json. `dir` may be a run
// directory or a `latest` link.
Result<StoredRun> LoadRun(const std::string& dir);

}  // namespace jepsen

#endif  // JEPSEN_STORE_H_
