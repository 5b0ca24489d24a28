// Private: Jepsen's checker/perf for the TiKV suite's composition {:perf, :workload}:
// always valid; writes latency and rate plots (with the nemesis's faults as bands) into
// the check's output directory when it has one.
#ifndef JEPSEN_TIKV_SRC_PERF_CHECKER_H_
#define JEPSEN_TIKV_SRC_PERF_CHECKER_H_

#include <memory>
#include <string>

#include "jepsen/checker.h"
#include "jepsen/value.h"

namespace jepsen::tikv {

// `nemesis_perf` is the nemesis package's perf map; `test_name` titles the plots.
std::unique_ptr<Checker> MakePerfChecker(std::string test_name, Value nemesis_perf);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_PERF_CHECKER_H_
