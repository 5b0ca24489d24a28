// A multi-version key-value store in one file, shared by every process of the TiKV
// protocol test server (tikv_test_server.cc). The harness starts one client server per
// node, each its own process; they must see one database, as the real rpc-servers see
// one TiKV cluster. So every operation takes an exclusive flock on the file, reads the
// store (or reuses its cache when the file's generation did not change), applies the
// operation and, if it wrote, writes the file back. Under the lock operations are
// atomic and totally ordered: raw operations are linearizable, and transactions with
// snapshot reads at their start timestamp and first-committer-wins conflict checks at
// commit get snapshot isolation.
//
// Format: "jepsen-tikv-test-store <generation> <timestamp>\n" then one line per version,
// "<key>\t<commit ts>\t<value>" with \\, \t and \n escaped. The newest kVersionsKept
// versions of each key are kept; a snapshot older than all of them reads as aborted
// ("snapshot too old"), which is a correct refusal.
//
// Thread safety: one Store per process; its methods lock a mutex, then the file.
#ifndef JEPSEN_TEST_SUPPORT_TIKV_TEST_STORE_H_
#define JEPSEN_TEST_SUPPORT_TIKV_TEST_STORE_H_

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jepsen::testing {

struct Version {
  int64_t ts = 0;
  std::string value;
};

// The store's content: versions per key, newest last, and the last timestamp issued.
struct StoreData {
  int64_t generation = 0;
  int64_t ts = 0;
  std::map<std::string, std::vector<Version>> keys;

  static constexpr size_t kVersionsKept = 6;

  // The newest version, or null.
  const Version* Latest(const std::string& key) const {
    auto it = keys.find(key);
    return it == keys.end() || it->second.empty() ? nullptr : &it->second.back();
  }
  // The newest version at or before `ts`, `skip` versions further back (a stale read
  // with skip > 0). *too_old when the key has versions but none old enough was kept.
  const Version* AtOrBefore(const std::string& key, int64_t at, size_t skip, bool* too_old) const {
    *too_old = false;
    auto it = keys.find(key);
    if (it == keys.end()) return nullptr;
    const auto& vs = it->second;
    for (size_t i = vs.size(); i > 0; --i) {
      if (vs[i - 1].ts <= at) {
        size_t idx = i - 1;
        return idx >= skip ? &vs[idx - skip] : &vs[0];
      }
    }
    // Every kept version is newer than the snapshot: older ones may have been pruned.
    *too_old = vs.size() >= kVersionsKept;
    return nullptr;
  }
  void Write(const std::string& key, std::string value, int64_t at) {
    auto& vs = keys[key];
    vs.push_back({at, std::move(value)});
    if (vs.size() > kVersionsKept) vs.erase(vs.begin());
  }
};

class FileStore {
 public:
  explicit FileStore(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot open the store file " + path_);
  }
  ~FileStore() { ::close(fd_); }
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  // Runs `fn` on the store under the lock; `fn` returns true if it changed the store,
  // which is then written back.
  template <typename Fn>
  auto Apply(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mu_);
    ::flock(fd_, LOCK_EX);
    Load();
    bool changed = false;
    auto result = fn(cache_, changed);
    if (changed) Save();
    ::flock(fd_, LOCK_UN);
    return result;
  }

 private:
  std::string ReadAll() {
    std::string content;
    char buf[65536];
    ::lseek(fd_, 0, SEEK_SET);
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      content.append(buf, static_cast<size_t>(n));
    }
    return content;
  }
  static std::string Escape(const std::string& s) {
    std::string out;
    for (char c : s) {
      if (c == '\\') out += "\\\\";
      else if (c == '\t') out += "\\t";
      else if (c == '\n') out += "\\n";
      else out += c;
    }
    return out;
  }
  static std::string Unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char n = s[++i];
        out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
      } else {
        out += s[i];
      }
    }
    return out;
  }
  // Reads the generation from the header; re-parses only when another process wrote.
  void Load() {
    char header[128] = {0};
    ssize_t n = ::pread(fd_, header, sizeof header - 1, 0);
    long long generation = 0;
    if (n > 0) std::sscanf(header, "jepsen-tikv-test-store %lld", &generation);
    if (n <= 0 || generation == cache_.generation) return;
    StoreData d;
    std::string content = ReadAll();
    size_t pos = content.find('\n');
    long long gen = 0;
    long long ts = 0;
    std::sscanf(content.c_str(), "jepsen-tikv-test-store %lld %lld", &gen, &ts);
    d.generation = gen;
    d.ts = ts;
    while (pos != std::string::npos && pos + 1 < content.size()) {
      size_t end = content.find('\n', pos + 1);
      std::string_view line(content.data() + pos + 1,
                            (end == std::string::npos ? content.size() : end) - pos - 1);
      size_t t1 = line.find('\t');
      size_t t2 = line.find('\t', t1 + 1);
      if (t1 != std::string_view::npos && t2 != std::string_view::npos) {
        d.keys[Unescape(line.substr(0, t1))].push_back(
            {std::stoll(std::string(line.substr(t1 + 1, t2 - t1 - 1))), Unescape(line.substr(t2 + 1))});
      }
      pos = end;
    }
    cache_ = std::move(d);
  }
  void Save() {
    ++cache_.generation;
    std::string out = "jepsen-tikv-test-store " + std::to_string(cache_.generation) + " " +
                      std::to_string(cache_.ts) + "\n";
    for (const auto& [key, versions] : cache_.keys) {
      for (const auto& v : versions) {
        out += Escape(key) + "\t" + std::to_string(v.ts) + "\t" + Escape(v.value) + "\n";
      }
    }
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, out.data(), out.size(), 0) != static_cast<ssize_t>(out.size())) {
      throw std::runtime_error("cannot write the store file " + path_);
    }
  }

  std::string path_;
  int fd_ = -1;
  std::mutex mu_;
  StoreData cache_;  // guarded by mu_ (and the file lock)
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_TIKV_TEST_STORE_H_
