// TxnHistory: a History's transactions flattened for the Elle checkers.
//
// One Txn per client :txn invocation, in order of invocation, with its micro-ops in one
// shared array and keys interned to dense ids, so the analyses work on integers and
// contiguous memory. Micro-op values point into the History's Values: the History
// must outlive the TxnHistory.
//
// Thread safety: immutable after Build.
#ifndef JEPSEN_SRC_CHECKER_ELLE_TXN_HISTORY_H_
#define JEPSEN_SRC_CHECKER_ELLE_TXN_HISTORY_H_

#include <cstdint>
#include <span>
#include <vector>

#include "checker/elle/big_vector.h"
#include "jepsen/history.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen::elle {

inline constexpr uint32_t kNone = UINT32_MAX;

enum class MopKind : uint8_t { kAppend, kRead, kWrite };
enum class TxnStatus : uint8_t { kOk, kInfo, kFail };

struct Mop {
  uint32_t key;
  MopKind kind;
  // For appends and writes: no later write of this key in the same transaction.
  bool final_write = false;
  // For reads: the first read of this key in the transaction.
  bool first_read = false;
  // The appended or written value, or the value read (nil when unknown).
  const Value* value;
};

struct Txn {
  uint32_t invoke_pos;
  uint32_t complete_pos;  // kNone if the invocation never completed
  TxnStatus status;
  int64_t process;
  uint32_t mop_begin;
  uint32_t mop_end;

  bool committed() const { return status == TxnStatus::kOk; }
  // ok or info: its writes may be visible.
  bool maybe_committed() const { return status != TxnStatus::kFail; }
};

class TxnHistory {
 public:
  // Reads every client :txn op of `history`. Reads of :info, :fail and pending txns
  // are dropped (their values are unknown). Errors (kInvalidArgument) name the op
  // whose value is not a vector of micro-ops.
  static Result<TxnHistory> Build(const History& history);

  const History& history() const { return *history_; }
  size_t size() const { return txns_.size(); }
  const Txn& operator[](uint32_t t) const { return txns_[t]; }
  std::span<const Mop> mops(uint32_t t) const {
    return {mops_.data() + txns_[t].mop_begin, txns_[t].mop_end - txns_[t].mop_begin};
  }
  const Mop& mop(uint32_t m) const { return mops_[m]; }
  size_t mop_count() const { return mops_.size(); }
  size_t key_count() const { return keys_.size(); }
  const Value& key(uint32_t k) const { return keys_[k]; }
  // The op that best shows txn `t`: its completion, or its invocation when pending.
  const Op& op(uint32_t t) const;
  // The transaction invoked at history position `pos`, or kNone.
  uint32_t TxnAtInvocation(uint32_t pos) const;
  size_t MemoryBytes() const;

 private:
  explicit TxnHistory(const History& h) : history_(&h) {}
  Status Add(const History& h, uint32_t invoke_pos);
  uint32_t InternKey(const Value& key);

  const History* history_;
  BigVector<Txn> txns_;
  BigVector<Mop> mops_;
  std::vector<Value> keys_;
  std::vector<uint32_t> small_int_keys_;  // key id by non-negative small int key
  std::vector<std::pair<Value, uint32_t>> other_keys_;  // open addressing, by hash
  size_t other_key_count_ = 0;
};

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_TXN_HISTORY_H_
