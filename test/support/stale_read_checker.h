// A deliberately simple register checker for harness tests: writes carry unique
// values; a read is invalid if it returns a value no write could have produced yet,
// or one that a later write had certainly overwritten before the read began. It is
// sound (it flags only histories that are not linearizable) but not complete.
#ifndef JEPSEN_TEST_SUPPORT_STALE_READ_CHECKER_H_
#define JEPSEN_TEST_SUPPORT_STALE_READ_CHECKER_H_

#include <map>

#include "jepsen/checker.h"

namespace jepsen::testing {

class StaleReadChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    struct Write {
      int64_t invoked;
      int64_t completed;  // -1: not ok
    };
    std::map<Value, Write> writes;  // by value
    for (size_t i = 0; i < h.size(); ++i) {
      const Op& op = h[i];
      if (!op.is_invoke() || !op.f.IsNamed("write")) continue;
      const Op* done = h.Completion(i);
      writes[op.value] = {op.index, done && done->is_ok() ? done->index : -1};
    }
    std::vector<Value> bad;
    for (size_t i = 0; i < h.size(); ++i) {
      const Op& op = h[i];
      if (!op.is_ok() || !op.f.IsNamed("read") || op.value.is_nil()) continue;
      const Op* inv = h.Invocation(i);
      auto w = writes.find(op.value);
      bool ok = w != writes.end() && w->second.invoked < op.index;
      for (const auto& [v, later] : writes) {
        // `later` began after w completed and completed before this read began.
        if (ok && w->second.completed >= 0 && later.invoked > w->second.completed &&
            later.completed >= 0 && later.completed < inv->index) {
          ok = false;
        }
      }
      if (!ok) bad.push_back(op.ToValue());
    }
    CheckResult r;
    r.validity = bad.empty() ? Validity::kValid : Validity::kInvalid;
    r.details = Value::Map({{Value::Keyword("bad-reads"), Value::Vector(bad)},
                            {Value::Keyword("bad-count"), static_cast<int64_t>(bad.size())}});
    return r;
  }
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_STALE_READ_CHECKER_H_
