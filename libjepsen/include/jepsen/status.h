// Status and Result<T>: how infrastructure failures travel in libjepsen.
//
// libjepsen has three error channels (see docs/design.md): an operation's outcome is
// data (Op::type); a broken invariant aborts (check.h); and everything that can fail
// for reasons outside the program (SSH, spawning, file I/O, malformed input, bad
// configuration) returns a Status or a Result<T>. Both are [[nodiscard]] so a failure
// cannot be dropped silently.
//
//   Result<History> h = ReadHistoryFile("history.edn");
//   if (!h.ok()) return h.status();          // or JEPSEN_ASSIGN_OR_RETURN
//   Use(*h);
//
// Messages are written for the user: they say what was wrong and where
// ("history.edn:12:5: expected a keyword after ':'").
//
// Thread safety: values; safe to copy between threads.
#ifndef JEPSEN_STATUS_H_
#define JEPSEN_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "jepsen/check.h"

namespace jepsen {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // bad input: flags, files, configuration (exit code 254)
  kNotFound,         // a file, node or key that should exist does not
  kAlreadyExists,
  kFailedPrecondition,  // the system is not in a state where this can run
  kIoError,             // reading or writing a file or a socket failed
  kUnavailable,         // a remote is unreachable or a transport broke; may be retried
  kDeadlineExceeded,
  kCancelled,  // the run was interrupted (SIGINT, SIGTERM)
  kUnimplemented,
  kInternal,  // a bug in jepsen itself (exit code 255)
};

// The name of a code, e.g. "invalid argument".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An ok status.
  Status() = default;
  Status(StatusCode code, std::string message);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: history.edn:3:1: ..." or "ok".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; ok stays ok.
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status FailedPreconditionError(std::string message);
Status IoError(std::string message);
Status UnavailableError(std::string message);
Status DeadlineExceededError(std::string message);
Status CancelledError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);

// Either a T or the Status saying why there is none. Accessing the value of a failed
// Result aborts: check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    JEPSEN_CHECK(!status_.ok(), "Result constructed from an ok Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return Checked(); }
  const T& value() const& { return const_cast<Result*>(this)->Checked(); }
  T&& value() && { return std::move(Checked()); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Checked(); }
  T&& operator*() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Checked(); }

 private:
  T& Checked() {
    JEPSEN_CHECK(value_.has_value(), "value() of a failed Result: {}",
                 status_.ToString());
    return *value_;
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace jepsen

#define JEPSEN_STATUS_CONCAT_INNER_(a, b) a##b
#define JEPSEN_STATUS_CONCAT_(a, b) JEPSEN_STATUS_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not ok.
#define JEPSEN_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::jepsen::Status jepsen_status_ = (expr);        \
    if (!jepsen_status_.ok()) return jepsen_status_; \
  } while (false)

// Evaluates `rexpr` (a Result<T>); on failure returns its Status, else moves the value
// into `lhs` (which may be a declaration: `JEPSEN_ASSIGN_OR_RETURN(auto h, Read(f));`).
#define JEPSEN_ASSIGN_OR_RETURN(lhs, rexpr)                                           \
  JEPSEN_ASSIGN_OR_RETURN_IMPL_(JEPSEN_STATUS_CONCAT_(jepsen_result_, __LINE__), lhs, \
                                rexpr)
#define JEPSEN_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                  \
  if (!result.ok()) return result.status();               \
  lhs = std::move(result).value()

#endif  // JEPSEN_STATUS_H_
