// history_bench: how fast libjepsen reads and writes history files, and how much
// memory a History takes per op.
//
//   build/bin/history_bench [--ops N] [--shape list-append|register] [--dir DIR]
//
// A child process generates a Jepsen-shaped history and writes it in every format, so
// the parent reads it into a fresh heap; memory is the heap in use (mallinfo2) and the
// resident set grown by the read, per op.
#include <fmt/format.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "jepsen/history_io.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

long ResidentKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

size_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

jepsen::Value Kw(const char* name) { return jepsen::Value::Keyword(name); }

// Ten client processes; list-append transactions of one to three micro-ops over
// rotating keys (reads see up to five elements), or register reads, writes and cas;
// a nemesis op every 1000 ops; 1% timeouts.
jepsen::History Generate(size_t n, const std::string& shape) {
  jepsen::History h;
  std::mt19937_64 rng(42);
  std::vector<std::vector<int64_t>> lists(100);
  int64_t next_value = 0, time = 0;
  std::vector<jepsen::Value> open(10);
  while (h.size() < n) {
    time += 1000 + static_cast<int64_t>(rng() % 50000);
    if (h.size() % 1000 == 999) {
      jepsen::Op op{.time = time,
                    .type = jepsen::OpType::kInfo,
                    .process = jepsen::kNemesisProcess,
                    .f = Kw("start-partition"),
                    .value = Kw("majority")};
      (void)h.Append(op);
      continue;
    }
    int64_t p = static_cast<int64_t>(rng() % 10);
    jepsen::Op op{.time = time, .process = p};
    if (open[p].is_nil()) {
      op.type = jepsen::OpType::kInvoke;
      if (shape == "register") {
        int r = static_cast<int>(rng() % 3);
        op.f = Kw(r == 0 ? "read" : r == 1 ? "write" : "cas");
        op.value = r == 0   ? jepsen::Value()
                   : r == 1 ? jepsen::Value(static_cast<int64_t>(rng() % 5))
                            : jepsen::Value::Vector({static_cast<int64_t>(rng() % 5),
                                                     static_cast<int64_t>(rng() % 5)});
      } else {
        op.f = Kw("txn");
        std::vector<jepsen::Value> txn;
        for (size_t i = 0, m = 1 + rng() % 3; i < m; ++i) {
          int64_t k = static_cast<int64_t>(rng() % lists.size());
          if (rng() % 2) {
            txn.push_back(jepsen::Value::Vector({Kw("append"), k, next_value++}));
          } else {
            txn.push_back(jepsen::Value::Vector({Kw("r"), k, jepsen::Value()}));
          }
        }
        op.value = jepsen::Value::Vector(std::move(txn));
      }
      open[p] = op.value;
    } else {
      bool timeout = rng() % 100 == 0;
      op.type = timeout ? jepsen::OpType::kInfo : jepsen::OpType::kOk;
      jepsen::Value invoked = open[p];
      open[p] = jepsen::Value();
      if (shape == "register") {
        op.f = Kw(invoked.is_nil() ? "read" : invoked.is_int() ? "write" : "cas");
        op.value =
            invoked.is_nil() ? jepsen::Value(static_cast<int64_t>(rng() % 5)) : invoked;
      } else {
        op.f = Kw("txn");
        std::vector<jepsen::Value> txn;
        for (const jepsen::Value& mop : invoked.elements()) {
          int64_t k = mop[1].AsInt();
          auto& list = lists[static_cast<size_t>(k)];
          if (mop[0].IsKeyword("append")) {
            if (!timeout) list.push_back(mop[2].AsInt());
            if (list.size() > 5) list.erase(list.begin());
            txn.push_back(mop);
          } else {
            std::vector<jepsen::Value> seen(list.begin(), list.end());
            txn.push_back(jepsen::Value::Vector(
                {Kw("r"), k, timeout ? jepsen::Value() : jepsen::Value::Vector(seen)}));
          }
        }
        op.value = jepsen::Value::Vector(std::move(txn));
      }
      if (timeout) op.error = Kw("timeout");
    }
    (void)h.Append(op);
  }
  return h;
}

int WriteFiles(size_t n, const std::string& shape, const std::string& dir) {
  auto t = Clock::now();
  jepsen::History h = Generate(n, shape);
  fmt::print("generated {} ops ({} shape) in {:.2f} s\n", h.size(), shape, Seconds(t));
  for (auto format : {jepsen::HistoryFormat::kEdn, jepsen::HistoryFormat::kJsonl,
                      jepsen::HistoryFormat::kTxt}) {
    std::string path = dir + "/history." + std::string(jepsen::HistoryFormatName(format));
    t = Clock::now();
    jepsen::Status s = jepsen::WriteHistoryFile(h, path, format);
    if (!s.ok()) {
      fmt::print(stderr, "{}\n", s.ToString());
      return 1;
    }
    double secs = Seconds(t);
    auto bytes = std::filesystem::file_size(path);
    fmt::print("write {:5}  {:6.2f} s  {:8.0f} ops/s  {:6.1f} MB  {:5.1f} bytes/op\n",
               jepsen::HistoryFormatName(format), secs, static_cast<double>(n) / secs,
               static_cast<double>(bytes) / 1e6,
               static_cast<double>(bytes) / static_cast<double>(n));
  }
  // The interpreter's way: every line handed to the kernel as it happens.
  t = Clock::now();
  auto writer =
      jepsen::HistoryWriter::Open(dir + "/streamed.edn", jepsen::HistoryFormat::kEdn);
  if (!writer.ok()) return 1;
  for (const jepsen::Op& op : h) (void)(*writer)->Write(op);
  (void)(*writer)->Close();
  double secs = Seconds(t);
  fmt::print("write edn, flushed per op  {:6.2f} s  {:8.0f} ops/s\n", secs,
             static_cast<double>(n) / secs);
  return 0;
}

// Runs `body` in a child process (a fresh heap for each measurement); its exit code.
template <typename Body>
int InChild(Body body) {
  std::fflush(stdout);
  pid_t child = fork();
  if (child == 0) {
    int rc = body();
    std::fflush(stdout);
    _exit(rc);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

int ReadFile(size_t n, const std::string& dir, jepsen::HistoryFormat format) {
  std::string path = dir + "/history." + std::string(jepsen::HistoryFormatName(format));
  size_t heap_before = HeapInUse();
  long rss_before = ResidentKiB();
  auto t = Clock::now();
  jepsen::Result<jepsen::History> h = jepsen::ReadHistoryFile(path);
  double secs = Seconds(t);
  if (!h.ok()) {
    fmt::print(stderr, "{}\n", h.status().ToString());
    return 1;
  }
  double heap = static_cast<double>(HeapInUse() - heap_before) / static_cast<double>(n);
  double rss =
      static_cast<double>(ResidentKiB() - rss_before) * 1024 / static_cast<double>(n);
  fmt::print(
      "read  {:5}  {:6.2f} s  {:8.0f} ops/s  heap {:5.1f} bytes/op  "
      "rss {:5.1f} bytes/op\n",
      jepsen::HistoryFormatName(format), secs, static_cast<double>(n) / secs, heap, rss);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 1000000;
  std::string shape = "list-append";
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--ops" && i + 1 < argc) {
      n = std::stoul(argv[++i]);
    } else if (a == "--shape" && i + 1 < argc) {
      shape = argv[++i];
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      fmt::print(stderr,
                 "usage: history_bench [--ops N] [--shape list-append|register] "
                 "[--dir DIR]\n");
      return 254;
    }
  }
  bool own_dir = dir.empty();
  if (own_dir) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "history-bench-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
  }
  fmt::print("history_bench: {} ops, {} cores\n", n, sysconf(_SC_NPROCESSORS_ONLN));
  int rc = InChild([&] { return WriteFiles(n, shape, dir); });
  for (auto format : {jepsen::HistoryFormat::kEdn, jepsen::HistoryFormat::kJsonl,
                      jepsen::HistoryFormat::kTxt}) {
    if (rc == 0) rc = InChild([&] { return ReadFile(n, dir, format); });
  }
  if (own_dir) std::filesystem::remove_all(dir);
  return rc;
}
