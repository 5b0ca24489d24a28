// The report of a failed search: a Value for results files, a paragraph for people,
// and an SVG drawing of the ops around the offender.
#ifndef JEPSEN_SRC_CHECKER_LINEAR_COUNTEREXAMPLE_H_
#define JEPSEN_SRC_CHECKER_LINEAR_COUNTEREXAMPLE_H_

#include <span>
#include <string>

#include "checker/linear/lin_op.h"
#include "checker/linear/search.h"
#include "jepsen/history.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen::linear {

// An invalid outcome's parts, resolved against the history that `ops` came from.
struct Counterexample {
  const History& history;
  std::span<const LinOp> ops;
  const SearchOutcome& outcome;  // validity kInvalid
};

// {:op {...} :states-before [...] :linearized-count n :last-linearized [...]
//  :concurrent [...]}; ops as maps with :process :type :f :value :index.
Value CounterexampleValue(const Counterexample& c);
// One paragraph: the offender, the states before it, what preceded it, what overlapped.
std::string CounterexampleText(const Counterexample& c);
// Writes the SVG timeline of the offender and its neighbourhood to `path`.
Status WriteCounterexampleSvg(const std::string& path, const Counterexample& c);

}  // namespace jepsen::linear

#endif  // JEPSEN_SRC_CHECKER_LINEAR_COUNTEREXAMPLE_H_
