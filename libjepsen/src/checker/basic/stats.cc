#include "jepsen/checker/stats.h"

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;

struct Counts {
  int64_t ok = 0, fail = 0, info = 0;

  void Count(const Op& op) {
    if (op.is_ok()) ++ok;
    if (op.is_fail()) ++fail;
    if (op.is_info()) ++info;
  }
  Value ToValue() const {
    return Value::Map({{Kw("valid?"), Value::Bool(ok > 0)},
                       {Kw("count"), ok + fail + info},
                       {Kw("ok-count"), ok},
                       {Kw("fail-count"), fail},
                       {Kw("info-count"), info}});
  }
};

class StatsChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    Counts all;
    std::map<Value, Counts> by_f;
    for (const Op& op : h) {
      if (!op.is_client() || op.is_invoke()) continue;
      all.Count(op);
      by_f[op.f].Count(op);
    }
    CheckResult result;
    std::vector<MapEntry> per_f;
    std::vector<std::string> never;
    for (const auto& [f, counts] : by_f) {
      per_f.push_back({f, counts.ToValue()});
      if (counts.ok == 0) {
        result.validity = Validity::kInvalid;
        never.push_back(fmt::format("{} ({} fail, {} info)", f, counts.fail, counts.info));
      }
    }
    std::vector<MapEntry> d = {{Kw("count"), all.ok + all.fail + all.info},
                               {Kw("ok-count"), all.ok},
                               {Kw("fail-count"), all.fail},
                               {Kw("info-count"), all.info},
                               {Kw("by-f"), Value::Map(std::move(per_f))}};
    if (!never.empty()) {
      d.push_back({Kw("explanation"),
                   Value::String(fmt::format(
                       "Some operations never succeeded: {}. The client or the cluster is "
                       "probably broken for them, so the other checkers saw nothing of them.",
                       fmt::join(never, ", ")))});
    }
    result.details = Value::Map(std::move(d));
    return result;
  }
};

}  // namespace

std::unique_ptr<Checker> MakeStatsChecker() { return std::make_unique<StatsChecker>(); }

}  // namespace jepsen
