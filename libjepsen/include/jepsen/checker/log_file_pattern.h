// The log-file-pattern checker (Jepsen's checker/log-file-pattern): searches the
// database logs downloaded into a run's store directory for a regular expression,
// e.g. panics or assertion failures, and reports every matching line.
//
// The logs live under <dir>/<node>/... (the store's run directory, see
// ARCHITECTURE.md). The nodes searched are CheckContext::nodes, or, when that is
// empty, every subdirectory of <dir>. In each node's directory it reads `file`, or every
// regular file below it when `file` is empty.
//
//   Result<std::unique_ptr<Checker>> c =
//       MakeLogFilePatternChecker({.pattern = R"(panic|fatal error)", .file = "db.log"});
//   CheckResult r = (*c)->Check({.out_dir = run_dir, .nodes = {"n1", "n2"}}, history);
//   // {:count 1 :files-searched 2
//   //  :matches [{:node "n1" :file "db.log" :line-number 812 :line "panic: ..."}]}
//
// The pattern is an ECMAScript regular expression (std::regex) searched in each line,
// so "panic: \\w+$" and "ERROR|FATAL" work as with grep -P; a pattern without regex
// metacharacters is searched as a plain string, which is much faster. Only the first
// 16 KiB of a line are searched (std::regex recurses per character), and a reported
// line is cut to 1,000 bytes.
//
// Validity: invalid if any line matched; unknown (with :error) if the directory does not
// exist or the regex engine gave up; valid otherwise, also when no log was downloaded
// (:files-searched 0). The history is not looked at.
//
// Thread safety: Check may run on several threads at once.
#ifndef JEPSEN_CHECKER_LOG_FILE_PATTERN_H_
#define JEPSEN_CHECKER_LOG_FILE_PATTERN_H_

#include <cstddef>
#include <memory>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/status.h"

namespace jepsen {

struct LogFilePatternOptions {
  // The regular expression (ECMAScript syntax); required.
  std::string pattern;
  // The log's path relative to each node's directory ("db.log", "tikv/tikv.log");
  // empty: every regular file below the node's directory.
  std::string file;
  // The run directory holding <node>/...; empty: CheckContext::out_dir.
  std::string dir;
  // At most this many matches are listed in :matches (:count counts all).
  size_t max_matches = 1000;
};

// A log-file-pattern checker. Errors (kInvalidArgument): an empty or malformed pattern.
Result<std::unique_ptr<Checker>> MakeLogFilePatternChecker(LogFilePatternOptions options);

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_LOG_FILE_PATTERN_H_
