// ElleOptions: what the transactional checkers look for.
//
// The checkers search for the anomalies forbidden by the requested consistency models
// plus any anomalies named explicitly; the verdict is invalid when they find one.
//
//   Result<ElleOptions> o = ParseElleOptions({"snapshot-isolation"}, {});
//   std::unique_ptr<Checker> c = MakeListAppendChecker(*o);
//
// Thread safety: a plain value.
#ifndef JEPSEN_CHECKER_ELLE_OPTIONS_H_
#define JEPSEN_CHECKER_ELLE_OPTIONS_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "jepsen/checker/elle_consistency.h"
#include "jepsen/status.h"

namespace jepsen::elle {

struct ElleOptions {
  // Models the history must satisfy. When both this and `anomalies` are empty the
  // checker uses strict-serializable (Elle's default).
  std::vector<ConsistencyModel> consistency_models;
  // Anomalies to look for in addition to those the models forbid.
  AnomalySet anomalies;
  // Examples kept (with explanations and graphs) per anomaly type; all are counted.
  size_t max_examples = 8;
  // rw-register only: assume every key is linearizable, so writes to a key that do
  // not overlap in real time are ordered by time.
  bool linearizable_keys = false;
  // rw-register only: assume every key is sequentially consistent, so each process's
  // writes to a key are ordered as the process issued them.
  bool sequential_keys = false;
};

// Options from model and anomaly names (as --consistency-models and --anomalies give
// them). Errors (kInvalidArgument) name the unknown name and list the valid ones.
Result<ElleOptions> ParseElleOptions(std::span<const std::string> models,
                                     std::span<const std::string> anomalies);

// The anomalies a check with these options searches for.
AnomalySet AnomaliesToFind(const ElleOptions& options);

}  // namespace jepsen::elle

#endif  // JEPSEN_CHECKER_ELLE_OPTIONS_H_
