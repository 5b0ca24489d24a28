// Deadline: when a check must give up (time limit or cancellation).
//
// Thread safety: Expired may be called from any thread.
#ifndef JEPSEN_SRC_CHECKER_ELLE_DEADLINE_H_
#define JEPSEN_SRC_CHECKER_ELLE_DEADLINE_H_

#include <atomic>
#include <chrono>

#include "jepsen/checker.h"

namespace jepsen::elle {

class Deadline {
 public:
  Deadline() = default;
  explicit Deadline(const CheckContext& context)
      : cancel_(context.cancel),
        limited_(context.time_limit.count() > 0),
        end_(std::chrono::steady_clock::now() + context.time_limit) {}

  bool Expired() const {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) return true;
    return limited_ && std::chrono::steady_clock::now() >= end_;
  }

 private:
  const std::atomic<bool>* cancel_ = nullptr;
  bool limited_ = false;
  std::chrono::steady_clock::time_point end_{};
};

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_DEADLINE_H_
