// Checker: turns a history into a verdict.
//
// As in Jepsen, validity is three-valued: valid, invalid, or unknown (the checker could
// not decide, e.g. it ran out of its time or memory budget). Composition lets invalid
// beat unknown beat valid. A result also carries details as a Value map, shaped like
// Jepsen's results ({:valid? false, :anomaly-types [...], ...}), so it prints as
// results.edn and results.json.
//
//   std::unique_ptr<Checker> c = Compose({{"stats", MakeStatsChecker()},
//                                         {"linear", MakeLinearizableChecker(...)}});
//   CheckResult r = c->Check(context, history);
//   if (r.validity == Validity::kInvalid) ...
//
// Thread safety: Check may be called from any thread; a checker keeps no state between
// calls unless its comment says otherwise.
#ifndef JEPSEN_CHECKER_H_
#define JEPSEN_CHECKER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/value.h"

namespace jepsen {

enum class Validity { kValid, kInvalid, kUnknown };

// "valid", "invalid", "unknown".
std::string_view ValidityName(Validity v);
// Jepsen's :valid? value: true, false or :unknown.
Value ValidityValue(Validity v);
// The worse of two verdicts: invalid beats unknown beats valid.
Validity Worse(Validity a, Validity b);

struct CheckResult {
  Validity validity = Validity::kValid;
  // Everything else the checker found, as a map of keyword keys (or nil). By
  // convention :explanation holds a one-paragraph summary for people when the result
  // is not valid (the CLI prints it under the verdict).
  Value details;

  // The result as Jepsen prints it: {:valid? <validity>, ...details}.
  Value ToValue() const;
};

// What a checker may use besides the history. Fields have defaults that suit a
// standalone check of a file.
struct CheckContext {
  // Where reports go (timeline.html, cycle graphs, ...); empty: write no files.
  std::string out_dir;
  // The test's nodes, when known.
  std::vector<std::string> nodes;
  // Give up with Validity::kUnknown after this long (0: no limit).
  std::chrono::milliseconds time_limit{0};
  // Give up with Validity::kUnknown rather than use more memory than this (0: none).
  uint64_t memory_limit_bytes = 0;
  // Threads a checker may use for independent work (keys, components).
  int threads = 2;
  // Set by the caller to ask a running check to stop early (returns kUnknown).
  // Borrowed; may be null.
  const std::atomic<bool>* cancel = nullptr;
};

class Checker {
 public:
  virtual ~Checker() = default;
  Checker() = default;
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  virtual CheckResult Check(const CheckContext& context, const History& history) = 0;
};

// Always valid, looks at nothing (Jepsen's unbridled-optimism): for tests and as a
// placeholder in compositions.
std::unique_ptr<Checker> MakeNoopChecker();

// Runs every named checker on the same history. The result's validity is the worst
// of theirs; its details map each name to that checker's result map.
std::unique_ptr<Checker> Compose(
    std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers);

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_H_
