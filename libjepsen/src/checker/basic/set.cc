// Jepsen's set checker: one pass collects attempts, acknowledgements and the last
// successful read; the categories are then plain set differences.
#include "jepsen/checker/set.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;
using ValueSet = std::unordered_set<Value, ValueHash>;

class SetChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& history) override {
    ValueSet attempts, acknowledged;
    const Op* final_read = nullptr;
    for (size_t pos = 0; pos < history.size(); ++pos) {
      const Op& op = history[pos];
      if (basic::IsClientF(op, "add")) {
        if (op.is_invoke()) attempts.insert(op.value);
        if (op.is_ok()) acknowledged.insert(basic::InvokedValue(history, pos));
      } else if (basic::IsClientF(op, "read") && op.is_ok()) {
        final_read = &op;
      }
    }
    CheckResult result;
    if (final_read == nullptr) {
      result.validity = Validity::kUnknown;
      result.details = Value::Map(
          {{Kw("error"), Value::String("Set was never read")},
           {Kw("attempt-count"), static_cast<int64_t>(attempts.size())},
           {Kw("acknowledged-count"), static_cast<int64_t>(acknowledged.size())},
           {Kw("explanation"),
            Value::String("No :read completed :ok, so nothing can be said about which "
                          "added elements survived.")}});
      return result;
    }
    ValueSet read;
    for (const Value& v : basic::ReadElements(final_read->value)) read.insert(v);

    std::vector<Value> ok, unexpected, lost, recovered;
    for (const Value& v : read) {
      if (attempts.contains(v)) {
        ok.push_back(v);
        if (!acknowledged.contains(v)) recovered.push_back(v);
      } else {
        unexpected.push_back(v);
      }
    }
    for (const Value& v : acknowledged) {
      if (!read.contains(v)) lost.push_back(v);
    }
    result.validity =
        lost.empty() && unexpected.empty() ? Validity::kValid : Validity::kInvalid;
    std::vector<MapEntry> d = {
        {Kw("attempt-count"), static_cast<int64_t>(attempts.size())},
        {Kw("acknowledged-count"), static_cast<int64_t>(acknowledged.size())},
        {Kw("ok-count"), static_cast<int64_t>(ok.size())},
        {Kw("lost-count"), static_cast<int64_t>(lost.size())},
        {Kw("recovered-count"), static_cast<int64_t>(recovered.size())},
        {Kw("unexpected-count"), static_cast<int64_t>(unexpected.size())},
        {Kw("ok"), basic::SortedSet(ok)},
        {Kw("lost"), basic::SortedSet(lost)},
        {Kw("unexpected"), basic::SortedSet(unexpected)},
        {Kw("recovered"), basic::SortedSet(recovered)},
        {Kw("final-read-index"), final_read->index}};
    if (result.validity == Validity::kInvalid) {
      std::vector<std::string> parts;
      if (!lost.empty()) {
        parts.push_back(fmt::format("lacks {} element(s) whose :add was acknowledged (lost: {})",
                                    lost.size(), basic::Preview(basic::SortedSet(lost))));
      }
      if (!unexpected.empty()) {
        parts.push_back(
            fmt::format("holds {} element(s) that no :add ever attempted (unexpected: {})",
                        unexpected.size(), basic::Preview(basic::SortedSet(unexpected))));
      }
      d.push_back({Kw("explanation"),
                   Value::String(fmt::format("The final read (index {}) {}.", final_read->index,
                                             fmt::join(parts, " and ")))});
    }
    result.details = Value::Map(std::move(d));
    return result;
  }
};

}  // namespace

std::unique_ptr<Checker> MakeSetChecker() { return std::make_unique<SetChecker>(); }

}  // namespace jepsen
