#include "jepsen/interpreter.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "jepsen/client.h"

namespace jepsen {

// What workers post back to the coordinator.
struct Interpreter::Completion {
  int thread = 0;
  uint64_t epoch = 0;
  bool sleep_done = false;
  Op op;
};

// The completion queue shared by the coordinator and every worker (also by workers
// abandoned after a timeout, which is why it is shared: they may outlive the run).
struct Interpreter::Shared {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Completion> completions;  // guarded by mu
  bool waiting = false;                // guarded by mu: the coordinator sleeps on cv
  std::atomic<uint64_t> posted{0};     // completions ever posted (for spinning)

  void Post(Completion c) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mu);
      completions.push_back(std::move(c));
      wake = waiting;
    }
    posted.fetch_add(1, std::memory_order_release);
    // Waking a sleeping thread costs a system call and a context switch; skip it when
    // the coordinator is awake (it drains the queue before sleeping).
    if (wake) cv.notify_one();
  }
};

// One worker thread and its mailbox.
struct Interpreter::Worker {
  struct Task {
    Op op;
    uint64_t epoch = 0;
    bool sleep = false;
  };
  struct Mailbox {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Task> task;  // guarded by mu
    bool quit = false;         // guarded by mu
    bool waiting = false;      // guarded by mu: the worker sleeps on cv
    std::atomic<bool> ready{false};  // a task or quit is there (for spinning)
  };

  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::thread thread;

  void Send(Task t) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mailbox->mu);
      mailbox->task = std::move(t);
      mailbox->ready.store(true, std::memory_order_release);
      wake = mailbox->waiting;
    }
    if (wake) mailbox->cv.notify_one();
  }
  void Quit() {
    std::lock_guard<std::mutex> lock(mailbox->mu);
    mailbox->quit = true;
    mailbox->ready.store(true, std::memory_order_release);
    mailbox->cv.notify_one();
  }
};

namespace {

Op ErrorCompletion(const Op& invocation, OpType type, std::string_view kind,
                   std::string message) {
  return Complete(invocation, type, invocation.value,
                  Value::Vector({Value::Keyword(kind), Value::String(message)}));
}

// Runs one op on a client (opening it first if needed) or on the nemesis; never throws.
Op Perform(const Test& test, int thread, bool nemesis, std::unique_ptr<Client>& client,
           const Op& op) {
  try {
    if (nemesis) {
      if (!test.nemesis) return ErrorCompletion(op, OpType::kFail, "no-nemesis", "test has no nemesis");
      return test.nemesis->Invoke(test, op);
    }
    if (!client) {
      if (!test.client) return ErrorCompletion(op, OpType::kFail, "no-client", "test has no client");
      Result<std::unique_ptr<Client>> opened = test.client->Open(test, test.NodeFor(thread));
      if (!opened.ok()) {
        // Nothing was sent: the op definitely did not happen. Retried at the next op.
        return ErrorCompletion(op, OpType::kFail, "no-client", opened.status().message());
      }
      client = std::move(*opened);
    }
    return client->Invoke(test, op);
  } catch (const std::exception& e) {
    return ErrorCompletion(op, OpType::kInfo, "exception", e.what());
  } catch (...) {
    return ErrorCompletion(op, OpType::kInfo, "exception", "unknown exception");
  }
}

}  // namespace

Interpreter::Interpreter(const Test& test, History& history, InterpreterOptions options)
    : test_(test),
      history_(history),
      options_(std::move(options)),
      rng_(options_.seed),
      threads_(test.concurrency),
      shared_(std::make_shared<Shared>()),
      running_(static_cast<size_t>(threads_.size())),
      deadline_(static_cast<size_t>(threads_.size()), -1),
      epoch_(static_cast<size_t>(threads_.size()), 0) {
  workers_.resize(static_cast<size_t>(threads_.size()));
  for (int t = 0; t < threads_.size(); ++t) StartWorker(t);
}

Interpreter::~Interpreter() {
  for (int t = 0; t < static_cast<int>(workers_.size()); ++t) {
    auto& w = workers_[static_cast<size_t>(t)];
    if (!w) continue;
    w->Quit();
    if (!w->thread.joinable()) continue;
    // A worker still inside an op (left behind by an abort) may never return: leave it.
    if (threads_.is_free(t)) {
      w->thread.join();
    } else {
      w->thread.detach();
    }
  }
}

void Interpreter::StartWorker(int thread) {
  auto worker = std::make_unique<Worker>();
  bool nemesis = thread == threads_.nemesis_thread();
  worker->thread = std::thread([mailbox = worker->mailbox, shared = shared_, &test = test_,
                                thread, nemesis] {
    std::unique_ptr<Client> client;
    for (;;) {
      Worker::Task task;
      // The next op often follows within microseconds: yield a little before sleeping.
      for (int spin = 0; spin < 32 && !mailbox->ready.load(std::memory_order_acquire); ++spin) {
        std::this_thread::yield();
      }
      {
        std::unique_lock<std::mutex> lock(mailbox->mu);
        mailbox->waiting = true;
        mailbox->cv.wait(lock, [&] { return mailbox->task.has_value() || mailbox->quit; });
        mailbox->waiting = false;
        if (mailbox->quit) break;
        task = std::move(*mailbox->task);
        mailbox->task.reset();
        mailbox->ready.store(false, std::memory_order_relaxed);
      }
      Completion c{.thread = thread, .epoch = task.epoch};
      if (task.sleep) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(task.op.value.AsInt()));
        c.sleep_done = true;
      } else {
        c.op = Perform(test, thread, nemesis, client, task.op);
        // A crashed op leaves the connection in doubt: the next process gets a new one.
        if (c.op.is_info() && client) {
          client->Close(test);
          client.reset();
        }
      }
      shared->Post(std::move(c));
    }
    if (client) client->Close(test);
  });
  workers_[static_cast<size_t>(thread)] = std::move(worker);
}

int64_t Interpreter::Now() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now() - options_.origin)
      .count();
}

int64_t Interpreter::NearestTimeout() const {
  int64_t nearest = INT64_MAX;
  for (int64_t d : deadline_) {
    if (d >= 0) nearest = std::min(nearest, d);
  }
  return nearest;
}

void Interpreter::Dispatch(GenResult r, Gen& gen) {
  Op op = std::move(r.op);
  int thread = threads_.ThreadOf(op.process);
  auto t = static_cast<size_t>(thread);
  if (r.action == GenAction::kLog) {
    test_.log().Info("{}", op.value.is_string() ? op.value.AsString() : op.value.ToEdn());
    return;
  }
  threads_.SetFree(thread, false);
  ++outstanding_;
  Worker::Task task{.op = op, .epoch = ++epoch_[t], .sleep = r.action == GenAction::kSleep};
  if (!task.sleep) {
    op.time = Now();
    op.index = -1;
    Status s = history_.Append(op);
    JEPSEN_CHECK(s.ok(), "recording an invocation: {}", s.message());
    const Op& recorded = history_[history_.size() - 1];
    running_[t] = recorded;
    deadline_[t] = options_.op_timeout.count() > 0
                       ? recorded.time + std::chrono::nanoseconds(options_.op_timeout).count()
                       : -1;
    ++stats_.invocations;
    if (options_.on_op) options_.on_op(recorded);
    gen = gen.Update(test_, Context(threads_, rng_, recorded.time), recorded);
    task.op = recorded;
  }
  workers_[t]->Send(std::move(task));
}

void Interpreter::Complete(Completion c, Gen& gen) {
  auto t = static_cast<size_t>(c.thread);
  if (c.epoch != epoch_[t]) return;  // from a worker abandoned after a timeout
  --outstanding_;
  threads_.SetFree(c.thread, true);
  deadline_[t] = -1;
  if (c.sleep_done) return;
  const Op& invocation = running_[t];
  Op op = std::move(c.op);
  if (op.is_invoke()) {
    op = ErrorCompletion(invocation, OpType::kInfo, "bad-completion",
                         "the client returned an invocation instead of a completion");
  }
  op.index = -1;
  op.time = Now();
  op.process = invocation.process;
  if (op.f.is_nil()) op.f = invocation.f;
  Status s = history_.Append(op);
  JEPSEN_CHECK(s.ok(), "recording a completion: {}", s.message());
  const Op& recorded = history_[history_.size() - 1];
  if (recorded.is_nemesis()) {
    ++stats_.nemesis_ops;
    std::string fault = recorded.f.ToEdn() + " " + recorded.value.ToEdn();
    if (fault.size() > 60) fault = fault.substr(0, 57) + "...";
    stats_.set_last_fault(std::move(fault));
  } else if (recorded.is_ok()) {
    ++stats_.ok;
  } else if (recorded.is_fail()) {
    ++stats_.fail;
  } else {
    ++stats_.info;
  }
  if (options_.on_op) options_.on_op(recorded);
  gen = gen.Update(test_, Context(threads_, rng_, recorded.time), recorded);
  if (recorded.is_info() && recorded.is_client()) threads_.Retire(c.thread);
}

void Interpreter::ExpireTimeouts(Gen& gen) {
  int64_t now = Now();
  for (int thread = 0; thread < threads_.size(); ++thread) {
    auto t = static_cast<size_t>(thread);
    if (deadline_[t] < 0 || deadline_[t] > now) continue;
    // Abandon the stuck worker (its thread is detached; whatever it posts later is
    // ignored) and record the op as indeterminate.
    test_.log().Warn("{} on process {} did not complete within {} ms; recording it as info",
                     running_[t].f, running_[t].process, options_.op_timeout.count());
    workers_[t]->Quit();
    workers_[t]->thread.detach();
    ++epoch_[t];  // the old worker's late completion will not match
    Completion c{.thread = thread,
                 .epoch = epoch_[t],
                 .op = ErrorCompletion(running_[t], OpType::kInfo, "interpreter-timeout",
                                       fmt::format("no completion within {} ms",
                                                   options_.op_timeout.count()))};
    StartWorker(thread);
    Complete(std::move(c), gen);
  }
}

bool Interpreter::Await(int64_t deadline, Gen& gen) {
  std::deque<Completion> batch;
  // With ops in flight a completion is usually microseconds away: yield the CPU to the
  // workers for a moment rather than pay for sleeping and being woken.
  if (outstanding_ > 0 && deadline > Now()) {
    uint64_t seen = consumed_;
    for (int spin = 0; spin < 64 && shared_->posted.load(std::memory_order_acquire) == seen;
         ++spin) {
      std::this_thread::yield();
    }
  }
  {
    std::unique_lock<std::mutex> lock(shared_->mu);
    if (shared_->completions.empty() && deadline > Now()) {
      auto until = options_.origin + std::chrono::nanoseconds(deadline);
      shared_->waiting = true;
      shared_->cv.wait_until(lock, until, [&] { return !shared_->completions.empty(); });
      shared_->waiting = false;
    }
    batch.swap(shared_->completions);
  }
  consumed_ += batch.size();
  for (Completion& c : batch) Complete(std::move(c), gen);
  return !batch.empty();
}

Status Interpreter::Run(Gen gen) {
  constexpr int64_t kPendingPoll = 10'000'000;  // re-ask a pending generator every 10 ms
  auto stop = [&] {
    return options_.stop ? options_.stop->load(std::memory_order_relaxed) : 0;
  };
  int64_t drain_deadline = -1;
  for (;;) {
    Await(Now(), gen);  // take whatever has completed, without waiting
    if (options_.op_timeout.count() > 0) ExpireTimeouts(gen);
    int s = stop();
    if (s == static_cast<int>(StopRequest::kAbort)) break;
    if (s == static_cast<int>(StopRequest::kStop)) {
      if (outstanding_ == 0) break;
      if (drain_deadline < 0) {
        drain_deadline = Now() + std::chrono::nanoseconds(options_.drain_timeout).count();
      }
      if (Now() >= drain_deadline) break;
      Await(std::min({drain_deadline, NearestTimeout(), Now() + kPendingPoll}), gen);
      continue;
    }
    int64_t now = Now();
    GenResult r = gen.Next(test_, Context(threads_, rng_, now));
    if (r.is_exhausted()) {
      if (outstanding_ == 0) break;
      Await(std::min(NearestTimeout(), now + kPendingPoll), gen);
      continue;
    }
    if (r.is_pending()) {
      Await(std::min(NearestTimeout(), now + kPendingPoll), gen);
      continue;
    }
    if (r.op.time > now) {
      Await(std::min(NearestTimeout(), r.op.time), gen);
      continue;
    }
    int thread = threads_.ThreadOf(r.op.process);
    if (thread < 0 || !threads_.is_free(thread)) {
      return InternalError(fmt::format(
          "the generator emitted {} for process {}, which is {}", r.op.f, r.op.process,
          thread < 0 ? "not a current process" : "busy"));
    }
    Gen next = r.next;
    Dispatch(std::move(r), next);
    gen = std::move(next);
  }
  abandoned_ += outstanding_;
  return OkStatus();
}

bool Interpreter::FinishNemesis(std::chrono::nanoseconds timeout) {
  int64_t deadline = Now() + timeout.count();
  int64_t before = outstanding_;
  Gen done;  // the run is over: completions are recorded, no generator is updated
  while (nemesis_running() && Now() < deadline) Await(deadline, done);
  abandoned_ -= std::min(abandoned_, before - outstanding_);
  return !nemesis_running();
}

}  // namespace jepsen
