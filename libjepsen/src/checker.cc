#include "jepsen/checker.h"

namespace jepsen {

std::string_view ValidityName(Validity v) {
  switch (v) {
    case Validity::kValid: return "valid";
    case Validity::kInvalid: return "invalid";
    case Validity::kUnknown: return "unknown";
  }
  return "unknown";
}

Value ValidityValue(Validity v) {
  switch (v) {
    case Validity::kValid: return Value::Bool(true);
    case Validity::kInvalid: return Value::Bool(false);
    case Validity::kUnknown: return Value::Keyword("unknown");
  }
  return Value::Keyword("unknown");
}

Validity Worse(Validity a, Validity b) {
  if (a == Validity::kInvalid || b == Validity::kInvalid) return Validity::kInvalid;
  if (a == Validity::kUnknown || b == Validity::kUnknown) return Validity::kUnknown;
  return Validity::kValid;
}

Value CheckResult::ToValue() const {
  std::vector<MapEntry> entries = {{Value::Keyword("valid?"), ValidityValue(validity)}};
  for (const MapEntry& e : details.entries()) {
    if (!e.key.IsKeyword("valid?")) entries.push_back(e);
  }
  return Value::Map(std::move(entries));
}

namespace {

class NoopChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History&) override { return {}; }
};

class ComposedChecker : public Checker {
 public:
  explicit ComposedChecker(std::vector<std::pair<std::string, std::unique_ptr<Checker>>> c)
      : checkers_(std::move(c)) {}

  CheckResult Check(const CheckContext& context, const History& history) override {
    CheckResult out;
    std::vector<MapEntry> entries;
    for (auto& [name, checker] : checkers_) {
      CheckResult r = checker->Check(context, history);
      out.validity = Worse(out.validity, r.validity);
      entries.push_back({Value::Keyword(name), r.ToValue()});
    }
    out.details = Value::Map(std::move(entries));
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers_;
};

}  // namespace

std::unique_ptr<Checker> MakeNoopChecker() { return std::make_unique<NoopChecker>(); }

std::unique_ptr<Checker> Compose(
    std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers) {
  return std::make_unique<ComposedChecker>(std::move(checkers));
}

}  // namespace jepsen
