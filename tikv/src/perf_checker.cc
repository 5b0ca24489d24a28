#include "perf_checker.h"

#include <fstream>

#include "jepsen/report/perf.h"

namespace jepsen::tikv {
namespace {

class PerfChecker : public Checker {
 public:
  PerfChecker(std::string name, Value perf) : name_(std::move(name)), perf_(std::move(perf)) {}

  CheckResult Check(const CheckContext& context, const History& history) override {
    std::vector<Value> written;
    if (!context.out_dir.empty()) {
      std::vector<FaultInterval> faults = FaultIntervals(history, perf_);
      PlotOptions plot{.test_name = name_};
      for (auto& [file, svg] : std::vector<std::pair<std::string, std::string>>{
               {"latency-raw.svg", LatencyRawSvg(history, faults, plot)},
               {"latency-quantiles.svg", LatencyQuantilesSvg(history, faults, plot)},
               {"rate.svg", RateSvg(history, faults, plot)}}) {
        std::ofstream out(context.out_dir + "/" + file);
        out << svg;
        if (out) written.push_back(Value::String(file));
      }
    }
    // As Jepsen's perf checker: the plots are for people; the verdict is always valid.
    return {.validity = Validity::kValid,
            .details = Value::Map({{Value::Keyword("plots"), Value::Vector(std::move(written))}})};
  }

 private:
  std::string name_;
  Value perf_;
};

}  // namespace

std::unique_ptr<Checker> MakePerfChecker(std::string test_name, Value nemesis_perf) {
  return std::make_unique<PerfChecker>(std::move(test_name), std::move(nemesis_perf));
}

}  // namespace jepsen::tikv
