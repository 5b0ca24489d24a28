// History: the ordered record of every invocation and completion of a test.
//
// The interpreter appends to a History as operations happen; the readers build one
// from history.edn, history.txt or history.jsonl; checkers read it. It pairs each
// invocation with its completion as ops arrive, so that "the completion of this
// invocation" (and back) is a constant-time lookup, and keeps the positions of client
// ops so checkers can walk them without the nemesis.
//
//   History h;
//   JEPSEN_RETURN_IF_ERROR(h.Append({.type = OpType::kInvoke, .process = 0,
//                                    .f = Value::Keyword("read")}));
//   JEPSEN_RETURN_IF_ERROR(h.Append({.type = OpType::kOk, .process = 0,
//                                    .f = Value::Keyword("read"), .value = 1}));
//   h.Completion(0)->value  // 1
//
// Pairing follows Jepsen: an invocation opens its process; the process's next ok,
// fail or info closes it. The nemesis may record both halves as :info (as Jepsen
// does): an :info with nothing open is then the invocation.
//
// Positions (0 .. size()-1) address ops in this History. An op's `index` is what was
// recorded: equal to its position in dense histories, increasing but sparse in
// filtered ones.
//
// Thread safety: none; the interpreter serialises appends, and readers must not run
// concurrently with an append.
#ifndef JEPSEN_HISTORY_H_
#define JEPSEN_HISTORY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "jepsen/chunked_vector.h"
#include "jepsen/op.h"
#include "jepsen/status.h"

namespace jepsen {

class History;

// A subsequence of a History's ops (clients only, one process, ...), by position.
// Borrows the History, which must outlive the view.
class HistoryView {
 public:
  HistoryView(const History& history, std::vector<uint32_t> positions)
      : history_(&history), positions_(std::move(positions)) {}

  size_t size() const { return positions_.size(); }
  bool empty() const { return positions_.empty(); }
  const Op& operator[](size_t i) const;
  // Position in the underlying History of the view's i-th op.
  size_t position(size_t i) const { return positions_[i]; }
  const History& history() const { return *history_; }

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Op;
    using difference_type = std::ptrdiff_t;
    using pointer = const Op*;
    using reference = const Op&;
    Iterator(const HistoryView* v, size_t i) : v_(v), i_(i) {}
    const Op& operator*() const { return (*v_)[i_]; }
    const Op* operator->() const { return &(*v_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator t = *this;
      ++i_;
      return t;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.i_ == b.i_; }

   private:
    const HistoryView* v_;
    size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, positions_.size()}; }

 private:
  const History* history_;
  std::vector<uint32_t> positions_;
};

class History {
 public:
  static constexpr int64_t kNoPartner = -1;

  History() = default;
  History(History&&) noexcept = default;
  History& operator=(History&&) noexcept = default;
  // Copies share the ops' values (Values are immutable), so copying is cheap-ish.
  History(const History&) = default;
  History& operator=(const History&) = default;

  // Appends `op` and pairs it. If op.index is -1 it gets the previous index + 1 (0 for
  // the first op); otherwise it must be greater than the previous index.
  // Errors (kInvalidArgument, the history unchanged): a decreasing index; a process
  // invoking while its previous invocation is still open; a client completion with
  // no open invocation.
  Status Append(Op op);

  size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  const Op& operator[](size_t position) const { return ops_[position]; }

  // The position of the other half of the op at `position`: the completion of an
  // invocation, the invocation of a completion; kNoPartner if it has none (an
  // invocation still pending at the end of the history).
  int64_t Partner(size_t position) const { return partner_[position]; }
  // The completion of the invocation at `position`, or nullptr if pending.
  const Op* Completion(size_t position) const;
  // The invocation of the completion at `position`, or nullptr.
  const Op* Invocation(size_t position) const;

  // The position of the op whose index is `index` (constant time in dense histories,
  // a binary search otherwise), if there is one.
  std::optional<size_t> PositionOfIndex(int64_t index) const;

  // Client ops only (no nemesis), in order.
  HistoryView Clients() const;
  // Ops of one process, in order.
  HistoryView OfProcess(int64_t process) const;
  // Every process that appears, ascending (the nemesis, -1, first).
  std::vector<int64_t> Processes() const;
  // Ops satisfying `pred`, in order.
  HistoryView Filter(const std::function<bool(const Op&)>& pred) const;
  // Positions of invocations with no completion.
  std::vector<size_t> PendingInvocations() const;
  // Nanoseconds between the first and last op with a known time (0 if none).
  int64_t Duration() const;

  using const_iterator = ChunkedVector<Op>::const_iterator;
  const_iterator begin() const { return ops_.begin(); }
  const_iterator end() const { return ops_.end(); }

  // Approximate bytes held by this History's own structures, not counting Values
  // shared with other owners.
  size_t MemoryBytes() const;

 private:
  ChunkedVector<Op> ops_;
  ChunkedVector<int64_t> partner_;
  std::vector<uint32_t> client_positions_;
  // Open invocation position by process.
  std::unordered_map<int64_t, size_t> open_;
  bool dense_ = true;  // every op's index equals its position
};

}  // namespace jepsen

#endif  // JEPSEN_HISTORY_H_
