#include "jepsen/history.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace jepsen {

const Op& HistoryView::operator[](size_t i) const { return (*history_)[positions_[i]]; }

Status History::Append(Op op) {
  size_t pos = ops_.size();
  JEPSEN_CHECK(pos < std::numeric_limits<uint32_t>::max(), "history exceeds 2^32 ops");
  int64_t previous = ops_.empty() ? -1 : ops_.back().index;
  if (op.index < 0) {
    op.index = previous + 1;
  } else if (op.index <= previous) {
    return InvalidArgumentError(
        fmt::format("op index {} does not increase (the previous op has index {})",
                    op.index, previous));
  }

  auto open = open_.find(op.process);
  bool is_open = open != open_.end();
  // The nemesis may write both halves of an operation as :info.
  bool opens = op.type == OpType::kInvoke ||
               (op.is_nemesis() && op.type == OpType::kInfo && !is_open);
  int64_t partner = kNoPartner;
  if (opens) {
    if (is_open) {
      const Op& prior = ops_[open->second];
      return InvalidArgumentError(fmt::format(
          "process {} invokes {} (index {}) while its {} (index {}) has not completed",
          ProcessValue(op.process), op.f, op.index, prior.f, prior.index));
    }
    open_.emplace(op.process, pos);
  } else {
    if (!is_open) {
      if (op.is_client()) {
        return InvalidArgumentError(fmt::format(
            "process {} completes {} (index {}, {}) but has no open invocation",
            op.process, op.f, op.index, OpTypeName(op.type)));
      }
    } else {
      partner = static_cast<int64_t>(open->second);
      partner_[open->second] = static_cast<int64_t>(pos);
      open_.erase(open);
    }
  }

  if (op.index != static_cast<int64_t>(pos)) dense_ = false;
  if (op.is_client()) client_positions_.push_back(static_cast<uint32_t>(pos));
  ops_.push_back(std::move(op));
  partner_.push_back(partner);
  return OkStatus();
}

const Op* History::Completion(size_t position) const {
  // An invocation's partner comes after it, a completion's before.
  int64_t p = partner_[position];
  if (p == kNoPartner || static_cast<size_t>(p) < position) return nullptr;
  return &ops_[static_cast<size_t>(p)];
}

const Op* History::Invocation(size_t position) const {
  int64_t p = partner_[position];
  if (p == kNoPartner || static_cast<size_t>(p) > position) return nullptr;
  return &ops_[static_cast<size_t>(p)];
}

std::optional<size_t> History::PositionOfIndex(int64_t index) const {
  if (index < 0) return std::nullopt;
  if (dense_) {
    if (static_cast<size_t>(index) < ops_.size()) return static_cast<size_t>(index);
    return std::nullopt;
  }
  auto it = std::lower_bound(ops_.begin(), ops_.end(), index,
                             [](const Op& op, int64_t i) { return op.index < i; });
  if (it == ops_.end() || it->index != index) return std::nullopt;
  return static_cast<size_t>(it - ops_.begin());
}

HistoryView History::Clients() const { return HistoryView(*this, client_positions_); }

HistoryView History::OfProcess(int64_t process) const {
  return Filter([process](const Op& op) { return op.process == process; });
}

HistoryView History::Filter(const std::function<bool(const Op&)>& pred) const {
  std::vector<uint32_t> positions;
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (pred(ops_[i])) positions.push_back(static_cast<uint32_t>(i));
  }
  return HistoryView(*this, std::move(positions));
}

std::vector<int64_t> History::Processes() const {
  std::vector<int64_t> out;
  for (const Op& op : ops_) out.push_back(op.process);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<size_t> History::PendingInvocations() const {
  std::vector<size_t> out;
  for (const auto& [process, pos] : open_) out.push_back(pos);
  std::sort(out.begin(), out.end());
  return out;
}

int64_t History::Duration() const {
  int64_t first = -1, last = -1;
  for (const Op& op : ops_) {
    if (op.time < 0) continue;
    if (first < 0) first = op.time;
    last = std::max(last, op.time);
  }
  return first < 0 ? 0 : last - first;
}

size_t History::MemoryBytes() const {
  return ops_.capacity_bytes() + partner_.capacity_bytes() +
         client_positions_.capacity() * sizeof(uint32_t) +
         open_.bucket_count() * sizeof(void*) + open_.size() * 32;
}

}  // namespace jepsen
