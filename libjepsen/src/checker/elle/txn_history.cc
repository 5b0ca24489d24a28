#include "checker/elle/txn_history.h"

#include <algorithm>

#include <fmt/format.h>

namespace jepsen::elle {
namespace {

constexpr int64_t kSmallKeyLimit = int64_t{1} << 22;

std::optional<MopKind> KindOf(const Value& f) {
  // Interned keywords compare by their word; strings and symbols take the slow path.
  static const Value kAppend = Value::Keyword("append"), kR = Value::Keyword("r"),
                     kW = Value::Keyword("w");
  if (f.raw_bits() == kAppend.raw_bits()) return MopKind::kAppend;
  if (f.raw_bits() == kR.raw_bits()) return MopKind::kRead;
  if (f.raw_bits() == kW.raw_bits()) return MopKind::kWrite;
  if (f.IsNamed("append")) return MopKind::kAppend;
  if (f.IsNamed("r") || f.IsNamed("read")) return MopKind::kRead;
  if (f.IsNamed("w") || f.IsNamed("write")) return MopKind::kWrite;
  return std::nullopt;
}

}  // namespace

Result<TxnHistory> TxnHistory::Build(const History& history) {
  TxnHistory th(history);
  static const Value kTxn = Value::Keyword("txn");
  auto is_txn = [](const Op& op) {
    return op.is_invoke() && op.is_client() &&
           (op.f.raw_bits() == kTxn.raw_bits() || op.f.IsNamed("txn"));
  };
  // Generous reservations instead of a counting pass (which would cost a cache miss
  // per op): large blocks are mapped lazily, so capacity never touched costs nothing.
  th.txns_.reserve(history.size() / 2 + 1);
  th.mops_.reserve(history.size() * 2 + 16);
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const Op& op = history[pos];
    if (!is_txn(op)) continue;
    if (Status s = th.Add(history, static_cast<uint32_t>(pos)); !s.ok()) return s;
  }
  return th;
}

Status TxnHistory::Add(const History& h, uint32_t invoke_pos) {
  int64_t partner = h.Partner(invoke_pos);
  Txn txn{.invoke_pos = invoke_pos,
          .complete_pos = partner == History::kNoPartner ? kNone
                                                         : static_cast<uint32_t>(partner),
          .status = TxnStatus::kInfo,
          .process = h[invoke_pos].process,
          .mop_begin = static_cast<uint32_t>(mops_.size()),
          .mop_end = 0};
  const Op* completion = txn.complete_pos == kNone ? nullptr : &h[txn.complete_pos];
  if (completion && completion->is_ok()) txn.status = TxnStatus::kOk;
  if (completion && completion->is_fail()) txn.status = TxnStatus::kFail;
  // An ok completion says what was read; otherwise the invocation says what was meant.
  const Op& source =
      (completion && completion->value.is_sequential()) ? *completion : h[invoke_pos];
  if (!source.value.is_sequential()) {
    return InvalidArgumentError(fmt::format(
        "op {}: a :txn value must be a vector of micro-ops, not {}", source.index,
        source.value.ToEdn()));
  }
  for (const Value& m : source.value.elements()) {
    std::optional<MopKind> kind;
    if (m.is_sequential() && m.size() == 3) kind = KindOf(m[0]);
    if (!kind) {
      return InvalidArgumentError(fmt::format(
          "op {}: micro-op {} is not [:append k v], [:r k v] or [:w k v]", source.index,
          m.ToEdn()));
    }
    static const Value kNil;
    const Value* value = &m[2];
    if (*kind == MopKind::kRead && !txn.committed()) value = &kNil;
    mops_.push_back({.key = InternKey(m[1]), .kind = *kind, .value = value});
  }
  txn.mop_end = static_cast<uint32_t>(mops_.size());
  // Mark final writes and first reads. Quadratic in the transaction's length, which
  // is a handful of micro-ops in every workload we know.
  for (uint32_t i = txn.mop_begin; i < txn.mop_end; ++i) {
    Mop& mop = mops_[i];
    bool later_write = false, earlier_read = false;
    for (uint32_t j = txn.mop_begin; j < txn.mop_end; ++j) {
      if (mops_[j].key != mop.key) continue;
      if (j > i && mops_[j].kind != MopKind::kRead) later_write = true;
      if (j < i && mops_[j].kind == MopKind::kRead) earlier_read = true;
    }
    mop.final_write = mop.kind != MopKind::kRead && !later_write;
    mop.first_read = mop.kind == MopKind::kRead && !earlier_read;
  }
  txns_.push_back(txn);
  return OkStatus();
}

uint32_t TxnHistory::InternKey(const Value& key) {
  if (key.is_int() && key.AsInt() >= 0 && key.AsInt() < kSmallKeyLimit) {
    size_t k = static_cast<size_t>(key.AsInt());
    if (k >= small_int_keys_.size()) {
      small_int_keys_.resize(std::max(k + 1, small_int_keys_.size() * 2), kNone);
    }
    if (small_int_keys_[k] == kNone) {
      small_int_keys_[k] = static_cast<uint32_t>(keys_.size());
      keys_.push_back(key);
    }
    return small_int_keys_[k];
  }
  if ((other_key_count_ + 1) * 2 > other_keys_.size()) {
    std::vector<std::pair<Value, uint32_t>> old = std::move(other_keys_);
    other_keys_.assign(std::max<size_t>(16, old.size() * 2), {Value(), kNone});
    for (auto& [k, id] : old) {
      if (id == kNone) continue;
      size_t mask = other_keys_.size() - 1;
      size_t s = k.Hash() & mask;
      while (other_keys_[s].second != kNone) s = (s + 1) & mask;
      other_keys_[s] = {std::move(k), id};
    }
  }
  size_t mask = other_keys_.size() - 1;
  for (size_t s = key.Hash() & mask;; s = (s + 1) & mask) {
    if (other_keys_[s].second == kNone) {
      other_keys_[s] = {key, static_cast<uint32_t>(keys_.size())};
      ++other_key_count_;
      keys_.push_back(key);
      return other_keys_[s].second;
    }
    if (other_keys_[s].first == key) return other_keys_[s].second;
  }
}

const Op& TxnHistory::op(uint32_t t) const {
  const Txn& txn = txns_[t];
  return (*history_)[txn.complete_pos == kNone ? txn.invoke_pos : txn.complete_pos];
}

uint32_t TxnHistory::TxnAtInvocation(uint32_t pos) const {
  auto it = std::lower_bound(txns_.begin(), txns_.end(), pos,
                             [](const Txn& t, uint32_t p) { return t.invoke_pos < p; });
  if (it == txns_.end() || it->invoke_pos != pos) return kNone;
  return static_cast<uint32_t>(it - txns_.begin());
}

size_t TxnHistory::MemoryBytes() const {
  return txns_.size() * sizeof(Txn) + mops_.size() * sizeof(Mop) +
         keys_.capacity() * sizeof(Value) + small_int_keys_.capacity() * sizeof(uint32_t) +
         other_keys_.capacity() * sizeof(other_keys_[0]);
}

}  // namespace jepsen::elle
