// Collection models: set, unordered queue and FIFO queue, plus the table of built-in
// models by name. States are vectors kept canonical (sorted for the set and the bag,
// in arrival order for the FIFO), so Value's equality and hash identify them.
#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "jepsen/checker/model.h"

namespace jepsen {
namespace {

std::vector<Value> Elements(const Value& v) {
  std::span<const Value> e = v.elements();
  return {e.begin(), e.end()};
}

Status UnknownOp(std::string_view model, const Value& f, std::string_view known) {
  return InvalidArgumentError(
      fmt::format("the {} model has no operation {} (it knows {})", model, f, known));
}

class SetModel : public Model {
 public:
  std::string_view name() const override { return "set"; }
  Value Init() const override { return Value::Vector(std::vector<Value>{}); }

  std::optional<Value> Step(const Value& state, const Value& f,
                            const Value& value) const override {
    if (f.IsNamed("add")) {
      std::vector<Value> s = Elements(state);
      auto it = std::lower_bound(s.begin(), s.end(), value);
      if (it != s.end() && *it == value) return state;
      s.insert(it, value);
      return Value::Vector(std::move(s));
    }
    if (f.IsNamed("read")) {
      std::vector<Value> seen = Elements(value);
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      if (Value::Vector(std::move(seen)) == state) return state;
    }
    return std::nullopt;
  }

  bool IsReadOnly(const Value& f) const override { return f.IsNamed("read"); }

  Status Validate(const Value& f, const Value& value) const override {
    if (f.IsNamed("add")) return OkStatus();
    if (f.IsNamed("read")) {
      if (value.is_nil() || value.is_sequential() || value.is_set()) return OkStatus();
      return InvalidArgumentError(fmt::format("a set read must return a collection, not {}", value));
    }
    return UnknownOp(name(), f, ":add and :read");
  }
};

// Both queues: enqueue x; dequeue x (nil: the queue was empty).
class QueueModel : public Model {
 public:
  explicit QueueModel(bool fifo) : fifo_(fifo) {}

  std::string_view name() const override { return fifo_ ? "fifo-queue" : "unordered-queue"; }
  Value Init() const override { return Value::Vector(std::vector<Value>{}); }

  std::optional<Value> Step(const Value& state, const Value& f,
                            const Value& value) const override {
    std::vector<Value> q = Elements(state);
    if (f.IsNamed("enqueue")) {
      if (fifo_) {
        q.push_back(value);
      } else {
        q.insert(std::upper_bound(q.begin(), q.end(), value), value);
      }
      return Value::Vector(std::move(q));
    }
    if (!f.IsNamed("dequeue")) return std::nullopt;
    if (value.is_nil()) {
      if (q.empty()) return state;
      return std::nullopt;
    }
    auto it = fifo_ ? q.begin() : std::lower_bound(q.begin(), q.end(), value);
    if (it == q.end() || *it != value) return std::nullopt;
    q.erase(it);
    return Value::Vector(std::move(q));
  }

  Status Validate(const Value& f, const Value&) const override {
    if (f.IsNamed("enqueue") || f.IsNamed("dequeue")) return OkStatus();
    return UnknownOp(name(), f, ":enqueue and :dequeue");
  }

 private:
  bool fifo_;
};

constexpr std::array<std::string_view, 7> kModelNames = {
    "register", "cas-register", "mutex", "set", "unordered-queue", "fifo-queue",
    "multi-register"};

}  // namespace

std::unique_ptr<Model> MakeSetModel() { return std::make_unique<SetModel>(); }
std::unique_ptr<Model> MakeUnorderedQueueModel() { return std::make_unique<QueueModel>(false); }
std::unique_ptr<Model> MakeFifoQueueModel() { return std::make_unique<QueueModel>(true); }

std::span<const std::string_view> ModelNames() { return kModelNames; }

Result<std::unique_ptr<Model>> MakeModel(std::string_view name) {
  if (name == "register") return MakeRegisterModel();
  if (name == "cas-register") return MakeCasRegisterModel();
  if (name == "mutex") return MakeMutexModel();
  if (name == "set") return MakeSetModel();
  if (name == "unordered-queue") return MakeUnorderedQueueModel();
  if (name == "fifo-queue") return MakeFifoQueueModel();
  if (name == "multi-register") return MakeMultiRegisterModel();
  return InvalidArgumentError(fmt::format("unknown model '{}' (valid models: {})", name,
                                          fmt::join(kModelNames, ", ")));
}

}  // namespace jepsen
