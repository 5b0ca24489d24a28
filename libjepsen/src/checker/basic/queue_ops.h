// The queue checkers' view of a history: enqueue invocations and completions and
// successful dequeues, with Jepsen's :drain ops (an :ok drain's value lists every
// element it took) expanded into one dequeue per element. Private to libjepsen.
#ifndef JEPSEN_SRC_CHECKER_BASIC_QUEUE_OPS_H_
#define JEPSEN_SRC_CHECKER_BASIC_QUEUE_OPS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen::basic {

struct QueueEvent {
  enum class Kind {
    kEnqueueInvoke,  // an :enqueue was invoked (`failed`: its completion is :fail)
    kEnqueueOk,      // an :enqueue completed :ok
    kDequeueOk,      // a :dequeue (or one element of a :drain) completed :ok
  };
  Kind kind;
  Value value;
  size_t position;  // of the op in the history
  bool failed = false;
};

struct QueueOps {
  std::vector<QueueEvent> events;  // in history order
  // :ok dequeues whose value was nil: the queue was empty. Jepsen records these as
  // :fail; they are counted, not checked.
  int64_t empty_dequeues = 0;
};

// The queue events of `h`'s client ops. Errors (kInvalidArgument): a :drain that
// crashed (:info), whose elements cannot be known, as in Jepsen.
Result<QueueOps> ExpandQueueOps(const History& h);

}  // namespace jepsen::basic

#endif  // JEPSEN_SRC_CHECKER_BASIC_QUEUE_OPS_H_
