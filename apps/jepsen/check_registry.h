// The checkers `jepsen check --checker NAME` knows: an explicit table.
#ifndef JEPSEN_APPS_JEPSEN_CHECK_REGISTRY_H_
#define JEPSEN_APPS_JEPSEN_CHECK_REGISTRY_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/checker.h"
#include "jepsen/status.h"

namespace jepsen::app {

// Checker options from the command line; each checker reads what it needs and
// rejects what it cannot use.
struct CheckerFlags {
  std::string model;                            // --model
  bool independent = false;                     // --independent
  std::vector<std::string> consistency_models;  // --consistency-models a,b
  std::vector<std::string> anomalies;           // --anomalies a,b
  bool linearizable = false;                    // --linearizable (set-full)
  std::string pattern;                          // --pattern REGEX (log-file-pattern)
  std::string log_file;                         // --log-file PATH (log-file-pattern)
  std::string logs_dir;                         // --logs DIR (log-file-pattern)
};

using CheckerFactory = Result<std::unique_ptr<Checker>> (*)(const CheckerFlags& flags);

// Which of the CheckerFlags a checker takes (a bit set).
enum TakesFlags : unsigned {
  kTakesNothing = 0,
  kTakesModel = 1,        // --model
  kTakesIndependent = 2,  // --independent
  kTakesElle = 4,         // --consistency-models, --anomalies
  kTakesLinearizable = 8, // --linearizable
  kTakesLogs = 16,        // --pattern, --log-file, --logs
};

struct CheckerEntry {
  std::string_view name;
  std::string_view help;  // one line for --help
  CheckerFactory make;
  unsigned takes = kTakesNothing;
};

// Every checker, in the order --help lists them.
std::span<const CheckerEntry> Checkers();

// `flags` with everything a checker taking `takes` does not take cleared: in a
// composition each checker gets only its own options.
CheckerFlags OnlyWhatItTakes(const CheckerFlags& flags, unsigned takes);
// The first flag set in `flags` that nothing taking `takes` uses ("--model"), or "".
std::string UnusedFlag(const CheckerFlags& flags, unsigned takes);

}  // namespace jepsen::app

#endif  // JEPSEN_APPS_JEPSEN_CHECK_REGISTRY_H_
