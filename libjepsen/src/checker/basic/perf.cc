#include "jepsen/checker/perf.h"

#include <utility>
#include <vector>

#include "jepsen/report.h"
#include "jepsen/report/perf.h"

namespace jepsen {
namespace {

class PerfChecker : public Checker {
 public:
  explicit PerfChecker(PerfCheckerOptions options) : options_(std::move(options)) {}

  CheckResult Check(const CheckContext& context, const History& history) override {
    std::vector<std::string> written;
    Status s;
    if (!context.out_dir.empty()) {
      s = WritePerfPlots(context.out_dir, history, FaultIntervals(history, options_.nemesis_perf),
                         {.test_name = options_.test_name}, &written);
    }
    std::vector<Value> plots;
    for (const std::string& file : written) plots.push_back(Value::String(file));
    std::vector<MapEntry> details{{Value::Keyword("plots"), Value::Vector(std::move(plots))}};
    if (!s.ok()) details.push_back({Value::Keyword("error"), Value::String(s.message())});
    return {.validity = Validity::kValid, .details = Value::Map(std::move(details))};
  }

 private:
  const PerfCheckerOptions options_;
};

}  // namespace

std::unique_ptr<Checker> MakePerfChecker(PerfCheckerOptions options) {
  return std::make_unique<PerfChecker>(std::move(options));
}

}  // namespace jepsen
