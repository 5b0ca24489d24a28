// MemoTable: the configurations (linearized ops, model state) the search has explored.
//
// Lowe's memoization skips a configuration seen before. This table also skips one that
// is dominated: same state, same linearized ok ops, and a superset of the linearized
// crashed ops of a stored one. Such a configuration can do nothing the stored one could
// not (a crashed op need never take effect), so its failure is already known; and a
// stored one that the new one dominates leaves its chain. Entries
// whose ok-op sets agree share a hash (crashed ops do not enter it), so the dominance
// test only scans one chain.
//
// Storage is flat: bitsets in one arena of words, entries in one vector, chained
// buckets of 32-bit indices; inserting allocates only when a vector grows.
//
// Thread safety: none; one table per search.
#ifndef JEPSEN_SRC_CHECKER_LINEAR_MEMO_TABLE_H_
#define JEPSEN_SRC_CHECKER_LINEAR_MEMO_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace jepsen::linear {

class MemoTable {
 public:
  // Bitsets of `words` 64-bit words; `crashed` (borrowed, `words` long, outliving the
  // table) marks the crashed ops.
  MemoTable(size_t words, const uint64_t* crashed);

  // Records (bits, state) and returns true, unless a stored configuration equals or
  // dominates it (then returns false). `hash` covers the ok ops of `bits` and `state`.
  bool Insert(uint64_t hash, int32_t state, const uint64_t* bits);

  // Configurations recorded (including those later found dominated).
  size_t size() const { return entries_.size(); }
  size_t MemoryBytes() const {
    return entries_.capacity() * sizeof(Entry) + bits_.capacity() * sizeof(uint64_t) +
           heads_.capacity() * sizeof(uint32_t);
  }

 private:
  struct Entry {
    uint64_t hash;
    int32_t state;
    uint32_t next;  // the next entry of the bucket, plus one; 0 ends the chain
    uint64_t fold;  // Fold() of its bits
  };

  uint64_t Fold(const uint64_t* bits) const;
  bool Dominates(const uint64_t* stored, const uint64_t* bits) const;
  void Grow();

  size_t words_;
  const uint64_t* crashed_;
  std::vector<uint32_t> heads_;  // power-of-two buckets: first entry plus one, or 0
  std::vector<Entry> entries_;
  std::vector<uint64_t> bits_;  // words_ per entry
  size_t live_ = 0;             // entries still on a chain
};

}  // namespace jepsen::linear

#endif  // JEPSEN_SRC_CHECKER_LINEAR_MEMO_TABLE_H_
