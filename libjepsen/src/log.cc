#include "jepsen/log.h"

#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "jepsen/json.h"

namespace jepsen {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
  }
  return "INFO";
}

std::string Timestamp() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  tm parts;
  gmtime_r(&tv.tv_sec, &parts);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &parts);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(tv.tv_usec / 1000));
}

}  // namespace

Logger::~Logger() { CloseFile(); }

Status Logger::OpenFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return IoError(fmt::format("cannot open log {}: {}", path, std::strerror(errno)));
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) std::fclose(file_);
  file_ = f;
  return OkStatus();
}

void Logger::CloseFile() {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void Logger::Log(LogLevel level, std::string_view message) {
  if (level < level_) return;
  std::string line;
  if (json_) {
    AppendPlainJson(line, Value::Map({{Value::Keyword("time"), Value::String(Timestamp())},
                                      {Value::Keyword("level"), Value::String(LevelName(level))},
                                      {Value::Keyword("message"), Value::String(message)}}));
  } else {
    line = fmt::format("{} {:<5} {}", Timestamp(), LevelName(level), message);
  }
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  if (stderr_) std::fwrite(line.data(), 1, line.size(), stderr);
  if (file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
}

}  // namespace jepsen
