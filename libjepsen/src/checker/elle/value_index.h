// ValueIndex: an open-addressing hash index from (key id, Value) to a micro-op id.
//
// The micro-ops themselves hold the key and value, so a slot is one 32-bit id and a
// lookup compares against the micro-op it points to. Used to find the append (or
// write) that produced a value.
//
// Thread safety: none while inserting; concurrent lookups are fine.
#ifndef JEPSEN_SRC_CHECKER_ELLE_VALUE_INDEX_H_
#define JEPSEN_SRC_CHECKER_ELLE_VALUE_INDEX_H_

#include <cstdint>
#include <vector>

#include "checker/elle/big_vector.h"
#include "checker/elle/txn_history.h"

namespace jepsen::elle {

class ValueIndex {
 public:
  // Sized for about `expected` entries. `th` outlives the index.
  ValueIndex(const TxnHistory& th, size_t expected) : th_(&th) {
    size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, kNone);
  }

  // Inserts mop `m` under its key and value unless an equal entry exists; returns
  // the mop id already there, or kNone when inserted.
  uint32_t Insert(uint32_t m) {
    const Mop& mop = th_->mop(m);
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (size_t s = Hash(mop.key, *mop.value) & Mask();; s = (s + 1) & Mask()) {
      if (slots_[s] == kNone) {
        slots_[s] = m;
        ++size_;
        return kNone;
      }
      if (Equal(slots_[s], mop.key, *mop.value)) return slots_[s];
    }
  }

  // The mop stored under (key, value), or kNone.
  uint32_t Find(uint32_t key, const Value& value) const {
    for (size_t s = Hash(key, value) & Mask();; s = (s + 1) & Mask()) {
      if (slots_[s] == kNone) return kNone;
      if (Equal(slots_[s], key, value)) return slots_[s];
    }
  }

  size_t MemoryBytes() const { return slots_.capacity() * sizeof(uint32_t); }

 private:
  static size_t Hash(uint32_t key, const Value& v) {
    size_t h = v.is_int() ? static_cast<size_t>(v.AsInt()) * 0x9E3779B97F4A7C15ull : v.Hash();
    h ^= (static_cast<size_t>(key) + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    return h ^ (h >> 29);
  }
  bool Equal(uint32_t m, uint32_t key, const Value& v) const {
    const Mop& mop = th_->mop(m);
    return mop.key == key && *mop.value == v;
  }
  size_t Mask() const { return slots_.size() - 1; }
  void Grow() {
    BigVector<uint32_t> old = std::move(slots_);
    slots_.assign(old.size() * 2, kNone);
    for (uint32_t m : old) {
      if (m == kNone) continue;
      const Mop& mop = th_->mop(m);
      size_t s = Hash(mop.key, *mop.value) & Mask();
      while (slots_[s] != kNone) s = (s + 1) & Mask();
      slots_[s] = m;
    }
  }

  const TxnHistory* th_;
  BigVector<uint32_t> slots_;
  size_t size_ = 0;
};

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_VALUE_INDEX_H_
