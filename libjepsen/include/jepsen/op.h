// Op: one entry of a history, an invocation or a completion of an operation.
//
// As in Jepsen, a client process invokes an operation (type kInvoke) and later
// completes it with kOk (it happened), kFail (it definitely did not happen) or kInfo
// (it may or may not have happened: a timeout, a crash). The nemesis records its fault
// operations the same way, as process kNemesisProcess.
//
//   Op op{.type = OpType::kInvoke, .process = 3, .f = Value::Keyword("read")};
//   op.ToValue().ToEdn()  // "{:type :invoke, :process 3, :f :read, :value nil}"
//
// Thread safety: a plain value.
#ifndef JEPSEN_OP_H_
#define JEPSEN_OP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

enum class OpType : uint8_t { kInvoke, kOk, kFail, kInfo };

// "invoke", "ok", "fail", "info".
std::string_view OpTypeName(OpType type);
// The type named `name` ("ok", without a colon), if any.
std::optional<OpType> ParseOpType(std::string_view name);

// The process number of nemesis operations (:nemesis in Jepsen's files).
inline constexpr int64_t kNemesisProcess = -1;

struct Op {
  // Position in the history, dense from 0 in recorded histories; -1 until appended.
  int64_t index = -1;
  // Nanoseconds since the start of the test (monotonic); -1 when unknown (hand-written
  // histories and history.txt carry no times).
  int64_t time = -1;
  OpType type = OpType::kInvoke;
  // The logical process: 0, 1, ... for clients; kNemesisProcess for the nemesis.
  int64_t process = 0;
  // What the operation does, usually a keyword (:read, :write, :cas, :txn).
  Value f;
  // Its argument or result.
  Value value;
  // Why it failed or is indeterminate; nil when there is no error.
  Value error;
  // Every other key of the op (:node, :debug, ...) as a map, or nil when none.
  Value extra;

  bool is_invoke() const { return type == OpType::kInvoke; }
  bool is_ok() const { return type == OpType::kOk; }
  bool is_fail() const { return type == OpType::kFail; }
  bool is_info() const { return type == OpType::kInfo; }
  bool is_client() const { return process >= 0; }
  bool is_nemesis() const { return process == kNemesisProcess; }

  // The extra key `key` (a keyword name), or nullptr.
  const Value* Extra(std::string_view key) const { return extra.Find(key); }

  // The op as Jepsen's map, keys in Jepsen's order: :index :time :type :process :f
  // :value, then :error and the extra keys. Unknown index and time are left out.
  Value ToValue() const;
  // The op from a map (or a #jepsen.history.Op{...} record). Errors name the bad key.
  static Result<Op> FromValue(const Value& map);

  friend bool operator==(const Op&, const Op&) = default;
};

// The value of a process as Jepsen writes it: an integer, or :nemesis.
Value ProcessValue(int64_t process);
// The process named by `v`: an integer, or :nemesis (also the string "nemesis").
Result<int64_t> ProcessFromValue(const Value& v);

}  // namespace jepsen

template <>
struct fmt::formatter<jepsen::Op> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const jepsen::Op& op, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(op.ToValue().ToEdn(), ctx);
  }
};

#endif  // JEPSEN_OP_H_
