// An in-memory register for harness tests: a Client over one shared value, with read,
// write and cas, and switches for the failures tests need.
#ifndef JEPSEN_TEST_SUPPORT_REGISTER_CLIENT_H_
#define JEPSEN_TEST_SUPPORT_REGISTER_CLIENT_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "jepsen/client.h"
#include "jepsen/random.h"

namespace jepsen::testing {

struct RegisterBehavior {
  // Reads return the value of several writes ago this often (a stale-read bug).
  double stale_read_probability = 0;
  // Invoke throws this often.
  double throw_probability = 0;
  // Invoke never returns for this f (a hung connection); it wakes when `release` is set.
  std::string hang_on_f;
};

class RegisterClient : public Client {
 public:
  struct State {
    std::mutex mu;
    Value value;                // guarded by mu
    std::vector<Value> past;    // guarded by mu: earlier values, oldest first
    Random rng{42};             // guarded by mu
    std::atomic<int> opened{0};
    std::atomic<int> closed{0};
    std::atomic<bool> release{false};
  };

  explicit RegisterClient(RegisterBehavior behavior = {},
                          std::shared_ptr<State> state = std::make_shared<State>())
      : behavior_(std::move(behavior)), state_(std::move(state)) {}

  const std::shared_ptr<State>& state() const { return state_; }

  Result<std::unique_ptr<Client>> Open(const Test&, const std::string&) override {
    ++state_->opened;
    return std::unique_ptr<Client>(std::make_unique<RegisterClient>(behavior_, state_));
  }
  void Close(const Test&) override { ++state_->closed; }

  Op Invoke(const Test&, const Op& op) override {
    if (!behavior_.hang_on_f.empty() && op.f.IsNamed(behavior_.hang_on_f)) {
      while (!state_->release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return CompleteInfo(op, Value::Keyword("released"));
    }
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->rng.Bernoulli(behavior_.throw_probability)) {
      throw std::runtime_error("connection reset by peer");
    }
    if (op.f.IsNamed("read")) {
      if (!state_->past.empty() && state_->rng.Bernoulli(behavior_.stale_read_probability)) {
        size_t back = std::min<size_t>(state_->past.size(), 3);
        return CompleteOk(op, state_->past[state_->past.size() - back]);
      }
      return CompleteOk(op, state_->value);
    }
    if (op.f.IsNamed("write")) {
      state_->past.push_back(state_->value);
      state_->value = op.value;
      return CompleteOk(op);
    }
    if (op.f.IsNamed("cas")) {
      if (!(state_->value == op.value[0])) return CompleteFail(op, Value::Keyword("mismatch"));
      state_->past.push_back(state_->value);
      state_->value = op.value[1];
      return CompleteOk(op);
    }
    return CompleteFail(op, Value::Keyword("unknown-f"));
  }

 private:
  RegisterBehavior behavior_;
  std::shared_ptr<State> state_;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_REGISTER_CLIENT_H_
