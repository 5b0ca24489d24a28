#include "checker/basic/basic_util.h"

#include <algorithm>

#include <fmt/format.h>

namespace jepsen::basic {

Value SortedVector(std::vector<Value> values) {
  std::sort(values.begin(), values.end());
  return Value::Vector(std::move(values));
}

Value SortedSet(std::vector<Value> values) {
  std::sort(values.begin(), values.end());
  return Value::Set(std::move(values));
}

std::span<const Value> ReadElements(const Value& value) {
  if (value.is_sequential() || value.is_set()) return value.elements();
  return {};
}

std::string Preview(const Value& values, size_t max) {
  if (values.size() <= max) return values.ToEdn();
  std::vector<std::string> parts;
  for (size_t i = 0; i < max; ++i) parts.push_back(values.elements()[i].ToEdn());
  return fmt::format("[{} ...] ({} in all)", fmt::join(parts, " "), values.size());
}

const Value& InvokedValue(const History& h, size_t position) {
  const Op& op = h[position];
  if (op.is_invoke()) return op.value;
  const Op* inv = h.Invocation(position);
  return inv != nullptr ? inv->value : op.value;
}

int64_t MultisetSize(const Multiset& m) {
  int64_t n = 0;
  for (const auto& [v, count] : m) n += count;
  return n;
}

Value MultisetValue(const Multiset& m) {
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(MultisetSize(m)));
  for (const auto& [v, count] : m) {
    for (int64_t i = 0; i < count; ++i) out.push_back(v);
  }
  return SortedVector(std::move(out));
}

}  // namespace jepsen::basic
