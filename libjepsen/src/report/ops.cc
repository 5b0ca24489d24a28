#include "report/ops.h"

namespace jepsen::report {

std::string FName(const Value& f) {
  if (f.is_keyword() || f.is_string() || f.is_symbol()) return std::string(f.AsString());
  return f.ToEdn();
}

bool IsInvocation(const History& history, size_t position) {
  const Op& op = history[position];
  if (op.is_invoke()) return true;
  int64_t partner = history.Partner(position);
  return op.is_nemesis() && (partner == History::kNoPartner ||
                             partner > static_cast<int64_t>(position));
}

double EndSeconds(const History& history) {
  for (size_t i = history.size(); i-- > 0;) {
    if (history[i].time >= 0) return Seconds(history[i].time);
  }
  return 0;
}

const Value* Get(const Value& map, std::string_view key) {
  if (!map.is_map()) return nullptr;
  if (const Value* v = map.Find(Value::Keyword(key))) return v;
  return map.Find(Value::String(key));
}

}  // namespace jepsen::report
