// JEPSEN_CHECK: the third error channel. A broken invariant is a bug in the program,
// not a condition to handle: it prints where and why, then aborts.
//
//   JEPSEN_CHECK(i < size(), "op position {} out of range (size {})", i, size());
//
// Use Status/Result (status.h) for anything the environment or the user can cause.
#ifndef JEPSEN_CHECK_H_
#define JEPSEN_CHECK_H_

#include <fmt/format.h>

#include <string>

namespace jepsen::internal {

// Prints "file:line: check failed: cond: message" to stderr and aborts.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition,
                              const std::string& message);

}  // namespace jepsen::internal

#define JEPSEN_CHECK(cond, ...)                                    \
  do {                                                             \
    if (!(cond)) [[unlikely]] {                                    \
      ::jepsen::internal::CheckFailed(__FILE__, __LINE__, #cond,   \
                                      ::fmt::format(__VA_ARGS__)); \
    }                                                              \
  } while (false)

#endif  // JEPSEN_CHECK_H_
