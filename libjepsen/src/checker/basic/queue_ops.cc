#include "checker/basic/queue_ops.h"

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen::basic {

Result<QueueOps> ExpandQueueOps(const History& h) {
  QueueOps out;
  for (size_t pos = 0; pos < h.size(); ++pos) {
    const Op& op = h[pos];
    if (IsClientF(op, "enqueue")) {
      if (op.is_invoke()) {
        const Op* done = h.Completion(pos);
        out.events.push_back({.kind = QueueEvent::Kind::kEnqueueInvoke,
                              .value = op.value,
                              .position = pos,
                              .failed = done != nullptr && done->is_fail()});
      } else if (op.is_ok()) {
        out.events.push_back(
            {.kind = QueueEvent::Kind::kEnqueueOk, .value = InvokedValue(h, pos), .position = pos});
      }
    } else if (IsClientF(op, "dequeue") && op.is_ok()) {
      if (op.value.is_nil()) {
        ++out.empty_dequeues;
      } else {
        out.events.push_back(
            {.kind = QueueEvent::Kind::kDequeueOk, .value = op.value, .position = pos});
      }
    } else if (IsClientF(op, "drain")) {
      if (op.is_info()) {
        return InvalidArgumentError(fmt::format(
            "a :drain crashed, so which elements it took is unknown: {}", op));
      }
      if (!op.is_ok()) continue;
      for (const Value& v : ReadElements(op.value)) {
        out.events.push_back({.kind = QueueEvent::Kind::kDequeueOk, .value = v, .position = pos});
      }
    }
  }
  return out;
}

}  // namespace jepsen::basic
