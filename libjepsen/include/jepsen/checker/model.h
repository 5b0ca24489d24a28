// Model: the sequential specification a linearizability checker compares a history to.
//
// A model is a state machine over Values: Init() is the state before any operation, and
// Step(state, f, value) is the state after an operation, or nullopt when the operation
// could not have returned that value in that state (a read of 3 from a register holding
// 2). The checker never mutates states; it interns them (through Equal and Hash) and
// caches every transition it computes, so Step is called once per (state, op) pair and
// may be slow-ish without hurting the search.
//
//   std::unique_ptr<Model> m = MakeCasRegisterModel();
//   Value s = m->Init();                                        // nil
//   s = *m->Step(s, Value::Keyword("write"), 3);                // 3
//   m->Step(s, Value::Keyword("cas"), Value::Vector({2, 4}));   // nullopt
//
// Adding a model: derive from Model, implement name, Init and Step; override Equal and
// Hash when two different Values denote the same state; override IsReadOnly for ops that
// never change the state (crashed ones are then dropped from the search); override
// Validate to reject ops the model does not understand with a useful message. Op names
// are matched with Value::IsNamed, so :read and "read" are the same op.
//
// Thread safety: a Model is immutable once built; every method is const and may be
// called from many threads at once (independent keys are checked in parallel).
#ifndef JEPSEN_CHECKER_MODEL_H_
#define JEPSEN_CHECKER_MODEL_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

class Model {
 public:
  Model() = default;
  virtual ~Model() = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // The model's name as the CLI spells it ("cas-register").
  virtual std::string_view name() const = 0;
  // The state before the first operation.
  virtual Value Init() const = 0;
  // The state after operation `f` with `value` (the completion's value for ok ops, the
  // invocation's for crashed ones) in `state`, or nullopt if that is impossible.
  virtual std::optional<Value> Step(const Value& state, const Value& f,
                                    const Value& value) const = 0;
  // Whether two states are the same state; must agree with Hash.
  virtual bool Equal(const Value& a, const Value& b) const { return a == b; }
  virtual size_t Hash(const Value& state) const { return state.Hash(); }
  // True if operations named `f` never change the state. A crashed read-only operation
  // can never matter, so the checker drops it.
  virtual bool IsReadOnly(const Value& f) const {
    (void)f;
    return false;
  }
  // Ok, or kInvalidArgument naming what is wrong with an operation (unknown f, a cas
  // whose value is not [old new]). Called once per operation before the search.
  virtual Status Validate(const Value& f, const Value& value) const {
    (void)f;
    (void)value;
    return OkStatus();
  }
};

// A read/write register: read v (v nil reads the initial, empty register), write v.
std::unique_ptr<Model> MakeRegisterModel(Value initial = Value());
// A register with compare-and-set: read, write, and cas [old new].
std::unique_ptr<Model> MakeCasRegisterModel(Value initial = Value());
// A lock: acquire succeeds only when free, release only when held.
std::unique_ptr<Model> MakeMutexModel();
// A grow-only set: add x; read returns the whole set (any collection, order ignored).
std::unique_ptr<Model> MakeSetModel();
// A bag: enqueue x; dequeue x takes any present x (dequeue nil: the queue was empty).
std::unique_ptr<Model> MakeUnorderedQueueModel();
// A FIFO queue: enqueue x; dequeue x takes the oldest, which must be x (nil: empty).
std::unique_ptr<Model> MakeFifoQueueModel();
// Registers by key, changed by transactions as Knossos writes them: f :txn, value
// [[:read k v] [:write k v] ...]; reads of nil see an unwritten key.
std::unique_ptr<Model> MakeMultiRegisterModel();

// The built-in model called `name` (one of ModelNames()), or kInvalidArgument listing
// the valid names.
Result<std::unique_ptr<Model>> MakeModel(std::string_view name);
// "register", "cas-register", "mutex", "set", "unordered-queue", "fifo-queue",
// "multi-register".
std::span<const std::string_view> ModelNames();

}  // namespace jepsen

#endif  // JEPSEN_CHECKER_MODEL_H_
