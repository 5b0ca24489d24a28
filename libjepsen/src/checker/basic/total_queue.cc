// Jepsen's total-queue: multiset arithmetic over attempted, acknowledged and dequeued
// values.
#include "jepsen/checker/total_queue.h"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"
#include "checker/basic/queue_ops.h"

namespace jepsen {
namespace {

using basic::Kw;
using basic::Multiset;
using basic::MultisetSize;
using basic::MultisetValue;
using basic::QueueEvent;

int64_t CountOf(const Multiset& m, const Value& v) {
  auto it = m.find(v);
  return it == m.end() ? 0 : it->second;
}

void AddPositive(Multiset& m, const Value& v, int64_t n) {
  if (n > 0) m[v] += n;
}

class TotalQueueChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    Result<basic::QueueOps> ops = basic::ExpandQueueOps(h);
    if (!ops.ok()) return basic::UnknownResult(ops.status());
    Multiset attempts, enqueues, dequeues;
    for (const QueueEvent& e : ops->events) {
      switch (e.kind) {
        case QueueEvent::Kind::kEnqueueInvoke: ++attempts[e.value]; break;
        case QueueEvent::Kind::kEnqueueOk: ++enqueues[e.value]; break;
        case QueueEvent::Kind::kDequeueOk: ++dequeues[e.value]; break;
      }
    }
    Multiset ok, unexpected, duplicated, lost, recovered;
    for (const auto& [v, d] : dequeues) {
      int64_t a = CountOf(attempts, v);
      if (a == 0) {
        unexpected[v] = d;
        continue;
      }
      AddPositive(ok, v, std::min(a, d));
      AddPositive(duplicated, v, d - a);
      AddPositive(recovered, v, std::min(a, d) - CountOf(enqueues, v));
    }
    for (const auto& [v, n] : enqueues) AddPositive(lost, v, n - CountOf(dequeues, v));

    CheckResult result;
    result.validity =
        lost.empty() && unexpected.empty() ? Validity::kValid : Validity::kInvalid;
    Value lost_v = MultisetValue(lost), unexpected_v = MultisetValue(unexpected);
    std::vector<MapEntry> d = {
        {Kw("attempt-count"), MultisetSize(attempts)},
        {Kw("acknowledged-count"), MultisetSize(enqueues)},
        {Kw("ok-count"), MultisetSize(ok)},
        {Kw("unexpected-count"), MultisetSize(unexpected)},
        {Kw("duplicated-count"), MultisetSize(duplicated)},
        {Kw("lost-count"), MultisetSize(lost)},
        {Kw("recovered-count"), MultisetSize(recovered)},
        {Kw("empty-dequeue-count"), ops->empty_dequeues},
        {Kw("lost"), lost_v},
        {Kw("unexpected"), unexpected_v},
        {Kw("duplicated"), MultisetValue(duplicated)},
        {Kw("recovered"), MultisetValue(recovered)}};
    if (result.validity == Validity::kInvalid) {
      std::vector<std::string> parts;
      if (!lost.empty()) {
        parts.push_back(fmt::format(
            "{} acknowledged enqueue(s) never came out of the queue (lost: {})",
            lost_v.size(), basic::Preview(lost_v)));
      }
      if (!unexpected.empty()) {
        parts.push_back(
            fmt::format("{} dequeue(s) returned values nobody tried to enqueue (unexpected: {})",
                        unexpected_v.size(), basic::Preview(unexpected_v)));
      }
      d.push_back({Kw("explanation"), Value::String(fmt::format("{}.", fmt::join(parts, "; ")))});
    }
    result.details = Value::Map(std::move(d));
    return result;
  }
};

}  // namespace

std::unique_ptr<Checker> MakeTotalQueueChecker() {
  return std::make_unique<TotalQueueChecker>();
}

}  // namespace jepsen
