#include "jepsen/checker/unique_ids.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;

constexpr size_t kMaxReported = 48;

class UniqueIdsChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    int64_t attempted = 0, acknowledged = 0;
    std::unordered_map<Value, int64_t, ValueHash> counts;
    Value lowest, highest;
    for (const Op& op : h) {
      if (!basic::IsClientF(op, "generate")) continue;
      if (op.is_invoke()) ++attempted;
      if (!op.is_ok()) continue;
      if (acknowledged == 0 || op.value < lowest) lowest = op.value;
      if (acknowledged == 0 || highest < op.value) highest = op.value;
      ++acknowledged;
      ++counts[op.value];
    }
    std::vector<std::pair<Value, int64_t>> dups;
    for (const auto& [id, n] : counts) {
      if (n > 1) dups.emplace_back(id, n);
    }
    // Most duplicated first; ties by id, so results are deterministic.
    std::sort(dups.begin(), dups.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    size_t dup_count = dups.size();
    if (dups.size() > kMaxReported) dups.resize(kMaxReported);
    std::sort(dups.begin(), dups.end());
    std::vector<MapEntry> reported;
    for (const auto& [id, n] : dups) reported.push_back({id, n});

    CheckResult result;
    result.validity = dup_count == 0 ? Validity::kValid : Validity::kInvalid;
    std::string why;
    if (dup_count > 0) {
      why = fmt::format(
          "{} id(s) were handed out more than once among {} acknowledged :generate ops, "
          "e.g. {} ({} times).",
          dup_count, acknowledged, reported.front().key, reported.front().value);
    }
    std::vector<MapEntry> d = {
        {Kw("attempted-count"), attempted},
        {Kw("acknowledged-count"), acknowledged},
        {Kw("duplicated-count"), static_cast<int64_t>(dup_count)},
        {Kw("duplicated"), Value::Map(std::move(reported))},
        {Kw("range"), acknowledged == 0 ? Value() : Value::Vector({lowest, highest})}};
    if (!why.empty()) d.push_back({Kw("explanation"), Value::String(why)});
    result.details = Value::Map(std::move(d));
    return result;
  }
};

}  // namespace

std::unique_ptr<Checker> MakeUniqueIdsChecker() {
  return std::make_unique<UniqueIdsChecker>();
}

}  // namespace jepsen
