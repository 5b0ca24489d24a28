// Jepsen's queue checker stepped through an unordered-queue model: a multiset that
// enqueue invocations fill and ok dequeues drain, in history order.
#include "jepsen/checker/queue.h"

#include <fmt/format.h>

#include "checker/basic/basic_util.h"
#include "checker/basic/queue_ops.h"

namespace jepsen {
namespace {

using basic::Kw;
using basic::QueueEvent;

class QueueChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    Result<basic::QueueOps> ops = basic::ExpandQueueOps(h);
    if (!ops.ok()) return basic::UnknownResult(ops.status());
    basic::Multiset queue;
    int64_t enqueue_count = 0, dequeue_count = 0;
    for (const QueueEvent& e : ops->events) {
      if (e.kind == QueueEvent::Kind::kEnqueueInvoke && !e.failed) {
        ++enqueue_count;
        ++queue[e.value];
      } else if (e.kind == QueueEvent::Kind::kDequeueOk) {
        ++dequeue_count;
        auto it = queue.find(e.value);
        if (it == queue.end()) return Impossible(h, e, enqueue_count, dequeue_count);
        if (--it->second == 0) queue.erase(it);
      }
    }
    return {.validity = Validity::kValid,
            .details = Value::Map({{Kw("enqueue-count"), enqueue_count},
                                   {Kw("dequeue-count"), dequeue_count},
                                   {Kw("empty-dequeue-count"), ops->empty_dequeues},
                                   {Kw("final-queue"), basic::MultisetValue(queue)}})};
  }

 private:
  static CheckResult Impossible(const History& h, const QueueEvent& e, int64_t enqueues,
                                int64_t dequeues) {
    const Op& op = h[e.position];
    std::string error = fmt::format("can't dequeue {}", e.value);
    std::string why = fmt::format(
        "Process {} dequeued {} (index {}), but no enqueue of {} that did not fail was "
        "invoked before then and left in the queue: the value came from nowhere or was "
        "dequeued twice.",
        op.process, e.value, op.index, e.value);
    return {.validity = Validity::kInvalid,
            .details = Value::Map({{Kw("error"), Value::String(error)},
                                   {Kw("op"), op.ToValue()},
                                   {Kw("enqueue-count"), enqueues},
                                   {Kw("dequeue-count"), dequeues},
                                   {Kw("explanation"), Value::String(why)}})};
  }
};

}  // namespace

std::unique_ptr<Checker> MakeQueueChecker() { return std::make_unique<QueueChecker>(); }

}  // namespace jepsen
