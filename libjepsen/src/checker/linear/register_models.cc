// Register-shaped models: register, cas-register, mutex and multi-register. States are
// plain Values (the register's value, a boolean, a sorted vector of [key value]
// pairs), so Value's own equality and hash identify them.
#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "jepsen/checker/model.h"

namespace jepsen {
namespace {

Status UnknownOp(std::string_view model, const Value& f, std::string_view known) {
  return InvalidArgumentError(
      fmt::format("the {} model has no operation {} (it knows {})", model, f, known));
}

class RegisterModel : public Model {
 public:
  RegisterModel(Value initial, bool with_cas) : initial_(std::move(initial)), cas_(with_cas) {}

  std::string_view name() const override { return cas_ ? "cas-register" : "register"; }
  Value Init() const override { return initial_; }

  std::optional<Value> Step(const Value& state, const Value& f,
                            const Value& value) const override {
    if (f.IsNamed("read")) {
      if (value == state) return state;
      return std::nullopt;
    }
    if (f.IsNamed("write")) return value;
    if (cas_ && f.IsNamed("cas")) {
      if (value.is_sequential() && value.size() == 2 && value[0] == state) return value[1];
      return std::nullopt;
    }
    return std::nullopt;
  }

  bool IsReadOnly(const Value& f) const override { return f.IsNamed("read"); }

  Status Validate(const Value& f, const Value& value) const override {
    if (f.IsNamed("read") || f.IsNamed("write")) return OkStatus();
    if (cas_ && f.IsNamed("cas")) {
      if (value.is_sequential() && value.size() == 2) return OkStatus();
      return InvalidArgumentError(fmt::format("a cas value must be [old new], not {}", value));
    }
    return UnknownOp(name(), f, cas_ ? ":read, :write and :cas" : ":read and :write");
  }

 private:
  Value initial_;
  bool cas_;
};

class MutexModel : public Model {
 public:
  std::string_view name() const override { return "mutex"; }
  Value Init() const override { return Value::Bool(false); }

  std::optional<Value> Step(const Value& state, const Value& f,
                            const Value&) const override {
    bool locked = state.AsBool();
    if (f.IsNamed("acquire") && !locked) return Value::Bool(true);
    if (f.IsNamed("release") && locked) return Value::Bool(false);
    return std::nullopt;
  }

  Status Validate(const Value& f, const Value&) const override {
    if (f.IsNamed("acquire") || f.IsNamed("release")) return OkStatus();
    return UnknownOp(name(), f, ":acquire and :release");
  }
};

// State: a vector of [key value] pairs sorted by key, one per written key.
class MultiRegisterModel : public Model {
 public:
  std::string_view name() const override { return "multi-register"; }
  Value Init() const override { return Value::Vector(std::vector<Value>{}); }

  std::optional<Value> Step(const Value& state, const Value& f,
                            const Value& value) const override {
    if (!f.IsNamed("txn") || !value.is_sequential()) return std::nullopt;
    std::vector<std::pair<Value, Value>> regs;
    regs.reserve(state.size() + value.size());
    for (const Value& kv : state.elements()) regs.emplace_back(kv[0], kv[1]);
    auto find = [&](const Value& k) {
      return std::lower_bound(regs.begin(), regs.end(), k,
                              [](const auto& kv, const Value& key) { return kv.first < key; });
    };
    bool changed = false;
    for (const Value& mop : value.elements()) {
      if (!mop.is_sequential() || mop.size() != 3) return std::nullopt;
      auto it = find(mop[1]);
      bool present = it != regs.end() && it->first == mop[1];
      if (mop[0].IsNamed("read")) {
        if (mop[2] != (present ? it->second : Value())) return std::nullopt;
      } else if (mop[0].IsNamed("write")) {
        if (present) {
          it->second = mop[2];
        } else {
          regs.insert(it, {mop[1], mop[2]});
        }
        changed = true;
      } else {
        return std::nullopt;
      }
    }
    if (!changed) return state;
    std::vector<Value> out;
    out.reserve(regs.size());
    for (auto& [k, v] : regs) out.push_back(Value::Vector({k, v}));
    return Value::Vector(std::move(out));
  }

  Status Validate(const Value& f, const Value& value) const override {
    if (!f.IsNamed("txn")) return UnknownOp(name(), f, ":txn");
    if (!value.is_sequential()) {
      return InvalidArgumentError(fmt::format("a txn value must be a vector, not {}", value));
    }
    for (const Value& mop : value.elements()) {
      if (!mop.is_sequential() || mop.size() != 3 ||
          !(mop[0].IsNamed("read") || mop[0].IsNamed("write"))) {
        return InvalidArgumentError(
            fmt::format("a txn micro-op must be [:read k v] or [:write k v], not {}", mop));
      }
    }
    return OkStatus();
  }
};

}  // namespace

std::unique_ptr<Model> MakeRegisterModel(Value initial) {
  return std::make_unique<RegisterModel>(std::move(initial), false);
}
std::unique_ptr<Model> MakeCasRegisterModel(Value initial) {
  return std::make_unique<RegisterModel>(std::move(initial), true);
}
std::unique_ptr<Model> MakeMutexModel() { return std::make_unique<MutexModel>(); }
std::unique_ptr<Model> MakeMultiRegisterModel() {
  return std::make_unique<MultiRegisterModel>();
}

}  // namespace jepsen
