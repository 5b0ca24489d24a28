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

bool MemoTable::Insert(uint64_t hash, int32_t state, const uint64_t* bits) {
  size_t mask = heads_.size() - 1;
  uint32_t& head = heads_[hash & mask];
  for (uint32_t i = head; i != 0; i = entries_[i - 1].next) {
    const Entry& e = entries_[i - 1];
    if (e.hash == hash && e.state == state && Dominates(&bits_[(i - 1) * words_], bits)) {
      return false;
    }
  }
  entries_.push_back({hash, state, head});
  head = static_cast<uint32_t>(entries_.size());
  bits_.insert(bits_.end(), bits, bits + words_);
  if (entries_.size() > heads_.size()) Grow();
  return true;
}

void MemoTable::Grow() {
  heads_.assign(heads_.size() * 2, 0);
  size_t mask = heads_.size() - 1;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    uint32_t& head = heads_[entries_[i].hash & mask];
    entries_[i].next = head;
    head = i + 1;
  }
}

}  // namespace jepsen::linear
