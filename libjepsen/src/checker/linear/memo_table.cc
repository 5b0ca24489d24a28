#include "checker/linear/memo_table.h"

namespace jepsen::linear {

MemoTable::MemoTable(size_t words, const uint64_t* crashed)
    : words_(words), crashed_(crashed), heads_(1024, 0) {}

// stored ⊆ bits, and everything in bits but not in stored is a crashed op.
bool MemoTable::Dominates(const uint64_t* stored, const uint64_t* bits) const {
  for (size_t w = 0; w < words_; ++w) {
    if ((stored[w] & ~bits[w]) != 0) return false;
    if ((bits[w] & ~stored[w] & ~crashed_[w]) != 0) return false;
  }
  return true;
}

// The crashed ops of `bits` folded into one word (op i to bit i mod 64): if one set
// of crashed ops is a subset of another, so is its fold, which rules most pairs out
// without touching their bitsets.
uint64_t MemoTable::Fold(const uint64_t* bits) const {
  uint64_t fold = 0;
  for (size_t w = 0; w < words_; ++w) fold |= bits[w] & crashed_[w];
  return fold;
}

bool MemoTable::Insert(uint64_t hash, int32_t state, const uint64_t* bits) {
  size_t mask = heads_.size() - 1;
  uint64_t fold = Fold(bits);
  uint32_t& head = heads_[hash & mask];
  // Scan the chain: a stored configuration that dominates this one ends the insert;
  // stored ones this one dominates are unlinked (this one prunes all they would), so a
  // chain keeps only the minimal crashed sets of each class.
  for (uint32_t* link = &head; *link != 0;) {
    uint32_t i = *link - 1;
    Entry& e = entries_[i];
    if (e.hash == hash && e.state == state) {
      const uint64_t* stored = &bits_[i * words_];
      if ((e.fold & ~fold) == 0 && Dominates(stored, bits)) return false;
      if ((fold & ~e.fold) == 0 && Dominates(bits, stored)) {
        *link = e.next;
        --live_;
        continue;
      }
    }
    link = &e.next;
  }
  entries_.push_back({hash, state, head, fold});
  head = static_cast<uint32_t>(entries_.size());
  ++live_;
  bits_.insert(bits_.end(), bits, bits + words_);
  if (live_ > heads_.size()) Grow();
  return true;
}

void MemoTable::Grow() {
  // Rehashes the live entries (those still on a chain) into twice as many buckets.
  std::vector<uint32_t> live;
  live.reserve(live_);
  for (uint32_t head : heads_) {
    for (uint32_t i = head; i != 0; i = entries_[i - 1].next) live.push_back(i - 1);
  }
  heads_.assign(heads_.size() * 2, 0);
  size_t mask = heads_.size() - 1;
  for (uint32_t i : live) {
    uint32_t& head = heads_[entries_[i].hash & mask];
    entries_[i].next = head;
    head = i + 1;
  }
}

}  // namespace jepsen::linear
