// RunIndex: the runs of a store directory (store/<test-name>/<start-time>/), newest
// first, each with its verdict, for the results browser's front page.
//
//   RunIndex index("/abs/store");
//   for (const RunInfo& run : index.Runs()) ... run.test, run.time, run.verdict
//
// Listing 1,000 runs must stay well under 100 ms, so the index keeps what it learnt:
// a run's verdict is read once (the top-level "valid?" of results.json, without parsing
// the rest of the file) and read again only when results.json changes (mtime, size or
// inode). Each call still lists the directories, so new and deleted runs show at once.
//
// Thread safety: Runs() may be called from many threads at once.
#ifndef JEPSEN_WEB_RUN_INDEX_H_
#define JEPSEN_WEB_RUN_INDEX_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jepsen::web {

enum class RunVerdict {
  kValid,
  kInvalid,
  kUnknown,     // the checker could not decide, or results.json is unreadable
  kIncomplete,  // no results.json: the run crashed or is still running
};

// "valid", "invalid", "unknown", "incomplete".
std::string_view RunVerdictName(RunVerdict v);

// The verdict of a results.json: its top-level "valid?" (true, false, "unknown"). Reads
// only up to that key (the store writes it first). kIncomplete if the file is missing,
// kUnknown if it is malformed or has no "valid?".
RunVerdict ReadResultsVerdict(const std::string& results_json);

// The start time of a run directory named as the store names them
// ("20261125T010203.456Z"), in milliseconds since the epoch; nullopt for other names.
std::optional<int64_t> ParseRunTime(std::string_view name);

// "2026-11-25 01:02:03.456 UTC" for a store-made name; other names unchanged.
std::string DisplayRunTime(std::string_view name);

struct RunInfo {
  std::string test;  // the test's directory name
  std::string time;  // the run's directory name
  int64_t start_ms;  // from the name, else the directory's mtime
  RunVerdict verdict;
};

class RunIndex {
 public:
  // `canonical_root`: the store directory, absolute and without symlinks.
  explicit RunIndex(std::string canonical_root);

  // Every run directory (store/<test>/<run>/; symlinks such as `latest` and names
  // starting with '.' are skipped), newest first; ties by test name, then run name.
  std::vector<RunInfo> Runs();

 private:
  struct CachedVerdict {
    int64_t mtime_ns = 0;
    int64_t size = -1;
    uint64_t inode = 0;
    RunVerdict verdict = RunVerdict::kIncomplete;
  };

  std::string root_;
  std::mutex mu_;
  std::map<std::string, CachedVerdict> verdicts_;  // by "<test>/<run>"; guarded by mu_
};

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_RUN_INDEX_H_
