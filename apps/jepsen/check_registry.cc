#include "check_registry.h"

#include <fmt/format.h>

namespace jepsen::app {
namespace {

// Checks that a checker which takes no options was given none.
Status NoOptions(std::string_view name, const CheckerFlags& flags) {
  if (!flags.model.empty() || flags.independent || !flags.consistency_models.empty() ||
      !flags.anomalies.empty()) {
    return InvalidArgumentError(fmt::format("--checker {} takes no model or anomaly options", name));
  }
  return OkStatus();
}

Result<std::unique_ptr<Checker>> MakeNoop(const CheckerFlags& flags) {
  if (Status s = NoOptions("noop", flags); !s.ok()) return s;
  return MakeNoopChecker();
}

const CheckerEntry kCheckers[] = {
    {"noop", "reads the history and declares it valid (tests the plumbing)", MakeNoop},
};

}  // namespace

std::span<const CheckerEntry> Checkers() { return kCheckers; }

}  // namespace jepsen::app
