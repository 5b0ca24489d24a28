// The result of a transactional check, and the report files under out_dir.
//
// Thread safety: pure functions (WriteReports writes only under its directory).
#ifndef JEPSEN_SRC_CHECKER_ELLE_REPORT_H_
#define JEPSEN_SRC_CHECKER_ELLE_REPORT_H_

#include <string>

#include "checker/elle/explain.h"
#include "checker/elle/findings.h"
#include "checker/elle/txn_history.h"
#include "jepsen/checker.h"

namespace jepsen::elle {

struct ReportInput {
  const TxnHistory* th;
  const Findings* findings;
  // The anomalies the check looked for; others found are not reported.
  AnomalySet wanted;
  // Some search was cut short (time limit, cancellation, search budget).
  bool incomplete = false;
  std::string incomplete_reason;
};

// {:anomaly-types [...], :not [...], :also-not [...], :anomalies {...},
//  :anomaly-counts {...}, :txn-count n, :explanation "..."}
CheckResult BuildResult(const ReportInput& in);

// Writes <dir>/elle/<type>.txt with every kept example's explanation, and for each
// cycle <dir>/elle/<type>-<n>.svg and .dot. Returns the first I/O error.
Status WriteReports(const std::string& dir, const ReportInput& in);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_REPORT_H_
