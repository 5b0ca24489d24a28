// Internal consistency: each committed transaction must agree with itself.
//
// List-append: a read of a key must equal the txn's previous read of it followed by
// the txn's appends since, or (with no previous read) end with the txn's appends so
// far. Registers: a read must return the txn's last write or read of that key. A read
// that shows a value the txn only writes later is a future-read.
//
// Thread safety: reads its inputs only.
#ifndef JEPSEN_SRC_CHECKER_ELLE_INTERNAL_CHECK_H_
#define JEPSEN_SRC_CHECKER_ELLE_INTERNAL_CHECK_H_

#include "checker/elle/findings.h"
#include "checker/elle/txn_history.h"

namespace jepsen::elle {

void CheckInternal(const TxnHistory& th, const AnomalySet& wanted, Findings* findings);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_INTERNAL_CHECK_H_
