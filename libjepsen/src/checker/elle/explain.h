// Explanations: why one transaction precedes another, and why a cycle is impossible.
//
// Each workload knows why its ww, wr and rw edges exist (which key, which values);
// it says so through EdgeExplainer. Process and real-time edges are explained here.
// A cycle's explanation follows Elle's shape: name the transactions, show each step
// with its reason, and point out the contradiction.
//
// Thread safety: reads its inputs only.
#ifndef JEPSEN_SRC_CHECKER_ELLE_EXPLAIN_H_
#define JEPSEN_SRC_CHECKER_ELLE_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "checker/elle/findings.h"
#include "checker/elle/txn_history.h"

namespace jepsen::elle {

class EdgeExplainer {
 public:
  virtual ~EdgeExplainer() = default;
  // Why `from` precedes `to` by data relation `rel` (kWw, kWr or kRw), as a clause
  // ("T1 appended 3 to key 5 just before T2 appended 4"). `a` and `b` name them.
  virtual std::string ExplainData(uint32_t from, uint32_t to, uint8_t rel,
                                  std::string_view a, std::string_view b) const = 0;
};

// Why `from` precedes `to` by any relation.
std::string ExplainEdge(const TxnHistory& th, const EdgeExplainer& data, uint32_t from,
                        uint32_t to, uint8_t rel, std::string_view a, std::string_view b);

// The multi-line explanation of a cycle finding (Let: ... Then: ... contradiction).
std::string ExplainCycle(const TxnHistory& th, const EdgeExplainer& data,
                         const Finding& cycle);

// A short description of txn `t` for explanations: "{:index 4, :type :ok, ...}".
std::string DescribeTxn(const TxnHistory& th, uint32_t t);

// A Value printed as EDN, cut to about `limit` characters with "..." when longer.
std::string Abbreviate(const Value& v, size_t limit = 80);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_EXPLAIN_H_
