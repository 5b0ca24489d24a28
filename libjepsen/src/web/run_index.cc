#include "jepsen/web/run_index.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

namespace jepsen::web {
namespace {

// Reads a file a buffer at a time, so finding "valid?" costs one read however large
// the results are.
class ByteReader {
 public:
  explicit ByteReader(int fd) : fd_(fd) {}
  // The next byte, or -1 at the end or on an error.
  int Next() {
    if (pos_ == len_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_++]);
  }
  int Peek() {
    if (pos_ == len_ && !Fill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  void SkipSpace() {
    for (int c = Peek(); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = Peek())
      ++pos_;
  }

 private:
  bool Fill() {
    ssize_t n;
    do n = ::read(fd_, buf_, sizeof(buf_));
    while (n < 0 && errno == EINTR);
    if (n <= 0) return false;
    pos_ = 0;
    len_ = static_cast<size_t>(n);
    return true;
  }

  int fd_;
  char buf_[4096];
  size_t pos_ = 0;
  size_t len_ = 0;
};

// Reads a JSON string after its opening quote; keeps at most 64 bytes of it (escapes
// kept raw: only short ASCII keys and values are ever compared).
bool ReadString(ByteReader& in, std::string* out) {
  for (;;) {
    int c = in.Next();
    if (c < 0) return false;
    if (c == '"') return true;
    if (c == '\\') {
      c = in.Next();
      if (c < 0) return false;
      if (out->size() < 64) out->push_back('\\');
    }
    if (out->size() < 64) out->push_back(static_cast<char>(c));
  }
}

// Skips one JSON value (the reader is at its first byte).
bool SkipValue(ByteReader& in) {
  int depth = 0;
  for (;;) {
    in.SkipSpace();
    int c = in.Next();
    if (c < 0) return false;
    if (c == '"') {
      std::string ignored;
      if (!ReadString(in, &ignored)) return false;
    } else if (c == '{' || c == '[') {
      ++depth;
      continue;
    } else if (c == '}' || c == ']') {
      if (--depth < 0) return false;
    } else if (c == ',' || c == ':') {
      if (depth == 0) return false;
      continue;
    } else {  // a number, true, false or null: up to the next delimiter
      for (int p = in.Peek(); p >= 0 && p != ',' && p != '}' && p != ']' && p != ' ' &&
                              p != '\n' && p != '\r' && p != '\t';
           p = in.Peek()) {
        in.Next();
      }
    }
    if (depth == 0) return true;
  }
}

RunVerdict VerdictOfValue(ByteReader& in) {
  in.SkipSpace();
  int c = in.Next();
  if (c == '"') return RunVerdict::kUnknown;  // "unknown", or any other string
  std::string word(1, static_cast<char>(c));
  for (int p = in.Peek(); p >= 'a' && p <= 'z' && word.size() < 8; p = in.Peek()) {
    word.push_back(static_cast<char>(in.Next()));
  }
  if (word == "true") return RunVerdict::kValid;
  if (word == "false") return RunVerdict::kInvalid;
  return RunVerdict::kUnknown;
}

RunVerdict VerdictOfStream(ByteReader& in) {
  in.SkipSpace();
  if (in.Next() != '{') return RunVerdict::kUnknown;
  for (;;) {
    in.SkipSpace();
    int c = in.Next();
    if (c != '"') return RunVerdict::kUnknown;  // '}' (no "valid?") or malformed
    std::string key;
    if (!ReadString(in, &key)) return RunVerdict::kUnknown;
    in.SkipSpace();
    if (in.Next() != ':') return RunVerdict::kUnknown;
    if (key == "valid?") return VerdictOfValue(in);
    if (!SkipValue(in)) return RunVerdict::kUnknown;
    in.SkipSpace();
    if (in.Next() != ',') return RunVerdict::kUnknown;
  }
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// The names of the subdirectories of `dir_fd` (not symlinks, not dot-names). Trusts
// d_type where the file system fills it in (one stat per entry saved). Takes ownership
// of dir_fd.
std::vector<std::string> Subdirectories(int dir_fd) {
  std::vector<std::string> out;
  DIR* d = ::fdopendir(dir_fd);
  if (d == nullptr) {
    ::close(dir_fd);
    return out;
  }
  while (struct dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    if (e->d_type == DT_UNKNOWN) {
      struct stat st;
      if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (!S_ISDIR(st.st_mode)) continue;
    } else if (e->d_type != DT_DIR) {
      continue;  // files, and symlinks such as `latest`
    }
    out.emplace_back(e->d_name);
  }
  ::closedir(d);
  return out;
}

// The mtime of `name` in `dir_fd` in milliseconds, 0 if it cannot be read.
int64_t MtimeMs(int dir_fd, const std::string& name) {
  struct stat st;
  if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return 0;
  return MtimeNs(st) / 1'000'000;
}

}  // namespace

std::string_view RunVerdictName(RunVerdict v) {
  switch (v) {
    case RunVerdict::kValid:
      return "valid";
    case RunVerdict::kInvalid:
      return "invalid";
    case RunVerdict::kUnknown:
      return "unknown";
    case RunVerdict::kIncomplete:
      return "incomplete";
  }
  return "unknown";
}

RunVerdict ReadResultsVerdict(const std::string& results_json) {
  int fd = ::open(results_json.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? RunVerdict::kIncomplete : RunVerdict::kUnknown;
  ByteReader in(fd);
  RunVerdict v = VerdictOfStream(in);
  ::close(fd);
  return v;
}

std::optional<int64_t> ParseRunTime(std::string_view name) {
  // 20261125T010203.456Z
  if (name.size() != 20 || name[8] != 'T' || name[15] != '.' || name[19] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](size_t at, size_t len) -> int {
    int v = 0;
    for (size_t i = at; i < at + len; ++i) {
      if (name[i] < '0' || name[i] > '9') return -1;
      v = v * 10 + (name[i] - '0');
    }
    return v;
  };
  int year = num(0, 4), month = num(4, 2), day = num(6, 2);
  int hour = num(9, 2), minute = num(11, 2), second = num(13, 2), ms = num(16, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || ms < 0) {
    return std::nullopt;
  }
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return static_cast<int64_t>(::timegm(&parts)) * 1000 + ms;
}

std::string DisplayRunTime(std::string_view name) {
  if (!ParseRunTime(name)) return std::string(name);
  return fmt::format("{}-{}-{} {}:{}:{}.{} UTC", name.substr(0, 4), name.substr(4, 2),
                     name.substr(6, 2), name.substr(9, 2), name.substr(11, 2),
                     name.substr(13, 2), name.substr(16, 3));
}

RunIndex::RunIndex(std::string canonical_root) : root_(std::move(canonical_root)) {}

std::vector<RunInfo> RunIndex::Runs() {
  std::vector<RunInfo> runs;
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, CachedVerdict> seen;
  int root_fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return runs;
  for (const std::string& test : Subdirectories(::dup(root_fd))) {
    int test_fd =
        ::openat(root_fd, test.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (test_fd < 0) continue;
    for (const std::string& run : Subdirectories(::dup(test_fd))) {
      std::string key = test + "/" + run;
      std::string results = run + "/results.json";
      struct stat st;
      CachedVerdict now;
      if (::fstatat(test_fd, results.c_str(), &st, 0) == 0) {
        now.mtime_ns = MtimeNs(st);
        now.size = st.st_size;
        now.inode = st.st_ino;
      }
      auto cached = verdicts_.find(key);
      if (cached != verdicts_.end() && cached->second.mtime_ns == now.mtime_ns &&
          cached->second.size == now.size && cached->second.inode == now.inode) {
        now.verdict = cached->second.verdict;
      } else if (now.size >= 0) {
        now.verdict = ReadResultsVerdict(root_ + "/" + key + "/results.json");
      }
      std::optional<int64_t> start = ParseRunTime(run);
      runs.push_back({.test = test,
                      .time = run,
                      .start_ms = start ? *start : MtimeMs(test_fd, run),
                      .verdict = now.verdict});
      seen.emplace(std::move(key), now);
    }
    ::close(test_fd);
  }
  ::close(root_fd);
  verdicts_.swap(seen);  // forget deleted runs
  std::sort(runs.begin(), runs.end(), [](const RunInfo& a, const RunInfo& b) {
    if (a.start_ms != b.start_ms) return a.start_ms > b.start_ms;
    if (a.test != b.test) return a.test < b.test;
    return a.time > b.time;
  });
  return runs;
}

}  // namespace jepsen::web
