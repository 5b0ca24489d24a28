#include "jepsen/generator/simulate.h"

#include <queue>

#include "jepsen/check.h"

namespace jepsen {
namespace {

struct InFlight {
  int64_t time;   // when it completes
  int64_t order;  // FIFO among equal times
  int thread;
  Op completion;
  bool sleep;     // a sleep ends: nothing to record
  bool operator>(const InFlight& o) const {
    return time != o.time ? time > o.time : order > o.order;
  }
};

}  // namespace

SimulateResult Simulate(const Test& test, Gen gen, const SimulateOptions& options) {
  ThreadTable threads(options.concurrency);
  Random rng(options.seed);
  SimulateResult out;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> in_flight;
  int64_t now = 0, order = 0;

  auto record = [&](Op op) -> const Op& {
    op.index = static_cast<int64_t>(out.history.size());
    out.history.push_back(std::move(op));
    return out.history.back();
  };

  while (static_cast<int64_t>(out.history.size()) < options.max_ops) {
    // Completions that are due come first, so the generator is asked in the context
    // the interpreter would see; a later op waits while earlier completions land.
    GenResult r;
    bool due = !in_flight.empty() && in_flight.top().time <= now;
    if (!due) {
      r = gen.Next(test, Context(threads, rng, now));
      due = !in_flight.empty() && (!r.is_op() || in_flight.top().time < r.op.time);
    }
    if (due) {
      InFlight done = in_flight.top();
      in_flight.pop();
      now = std::max(now, done.time);
      threads.SetFree(done.thread, true);
      if (done.sleep) continue;
      const Op& completion = record(std::move(done.completion));
      gen = gen.Update(test, Context(threads, rng, now), completion);
      if (completion.is_info() && done.thread < threads.concurrency()) {
        threads.Retire(done.thread);
      }
      continue;
    }
    if (r.is_exhausted()) break;
    if (r.is_pending()) {
      out.stuck = true;  // nothing in flight can change its mind
      break;
    }
    gen = r.next;
    Op op = std::move(r.op);
    now = std::max(now, op.time);
    int thread = threads.ThreadOf(op.process);
    JEPSEN_CHECK(thread >= 0 && threads.is_free(thread),
                 "generator emitted an op for process {}, which is not free", op.process);
    if (r.action == GenAction::kLog) {
      out.logs.emplace_back(now, std::string(op.value.is_string() ? op.value.AsString() : ""));
      continue;
    }
    threads.SetFree(thread, false);
    if (r.action == GenAction::kSleep) {
      in_flight.push({now + op.value.AsInt(), order++, thread, Op(), true});
      continue;
    }
    op.time = now;
    const Op& invocation = record(op);
    gen = gen.Update(test, Context(threads, rng, now), invocation);
    Op completion = options.complete ? options.complete(invocation)
                                     : Op{.type = OpType::kOk, .value = invocation.value};
    Op done = invocation;
    done.type = completion.type;
    done.value = completion.value;
    done.error = completion.error;
    int64_t latency = options.latency ? options.latency(invocation) : 0;
    done.time = now + latency;
    in_flight.push({done.time, order++, thread, std::move(done), false});
  }
  return out;
}

}  // namespace jepsen
