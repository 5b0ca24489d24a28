#include "jepsen/checker/unhandled_exceptions.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

using basic::Kw;

// The type an :info op's error is grouped by; nil if the op carries no error.
Value ErrorClass(const Op& op) {
  if (const Value* e = op.Extra("exception"); e != nullptr && e->is_map()) {
    if (const Value* via = e->Find("via");
        via != nullptr && via->is_sequential() && !via->empty()) {
      if (const Value* type = (*via)[0].Find("type"); type != nullptr) return *type;
    }
  }
  const Value& error = op.error;
  if (error.is_sequential() && !error.empty()) return error[0];
  if (error.is_map()) {
    if (const Value* type = error.Find("type"); type != nullptr) return *type;
  }
  return error;
}

struct Group {
  Value cls;
  int64_t count = 0;
  size_t example;  // position of the first op of the group
};

class UnhandledExceptionsChecker : public Checker {
 public:
  CheckResult Check(const CheckContext&, const History& h) override {
    std::vector<Group> groups;
    std::unordered_map<Value, size_t, ValueHash> slot;
    int64_t total = 0;
    for (size_t pos = 0; pos < h.size(); ++pos) {
      const Op& op = h[pos];
      if (!op.is_client() || !op.is_info()) continue;
      Value cls = ErrorClass(op);
      if (cls.is_nil()) continue;
      auto [it, fresh] = slot.try_emplace(cls, groups.size());
      if (fresh) groups.push_back({.cls = cls, .example = pos});
      ++groups[it->second].count;
      ++total;
    }
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
      return a.count != b.count ? a.count > b.count : a.cls < b.cls;
    });
    std::vector<MapEntry> d = {{Kw("count"), total}};
    if (!groups.empty()) {
      std::vector<Value> out;
      for (const Group& g : groups) {
        out.push_back(Value::Map({{Kw("class"), g.cls},
                                  {Kw("count"), g.count},
                                  {Kw("example"), h[g.example].ToValue()}}));
      }
      d.push_back({Kw("exceptions"), Value::Vector(std::move(out))});
    }
    return {.validity = Validity::kValid, .details = Value::Map(std::move(d))};
  }
};

}  // namespace

std::unique_ptr<Checker> MakeUnhandledExceptionsChecker() {
  return std::make_unique<UnhandledExceptionsChecker>();
}

}  // namespace jepsen
