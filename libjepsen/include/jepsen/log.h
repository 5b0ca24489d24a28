// Logger: the run's log, to stderr and to jepsen.log in the store, as text lines or
// JSON objects (--logging-json).
//
//   test.log().Info("setting up {} on {}", "etcd", node);
//
// Thread safety: every method may be called from any thread.
#ifndef JEPSEN_LOG_H_
#define JEPSEN_LOG_H_

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "jepsen/status.h"

namespace jepsen {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

class Logger {
 public:
  // Logs to stderr only, at kInfo and above.
  Logger() = default;
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Also write every line to `path` (appending).
  Status OpenFile(const std::string& path);
  void CloseFile();
  void set_json(bool json) { json_ = json; }
  void set_stderr(bool on) { stderr_ = on; }
  void set_level(LogLevel level) { level_ = level; }

  void Log(LogLevel level, std::string_view message);

  template <typename... Args>
  void Info(fmt::format_string<Args...> f, Args&&... args) {
    Log(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void Warn(fmt::format_string<Args...> f, Args&&... args) {
    Log(LogLevel::kWarn, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void Error(fmt::format_string<Args...> f, Args&&... args) {
    Log(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void Debug(fmt::format_string<Args...> f, Args&&... args) {
    Log(LogLevel::kDebug, fmt::format(f, std::forward<Args>(args)...));
  }

 private:
  std::mutex mu_;
  std::FILE* file_ = nullptr;  // guarded by mu_
  bool json_ = false;
  bool stderr_ = true;
  LogLevel level_ = LogLevel::kInfo;
};

}  // namespace jepsen

#endif  // JEPSEN_LOG_H_
