// interpreter_bench: how many ops per second the harness records with a client that
// does nothing, streaming the history to a store, and what each op costs.
//
//   build/bin/interpreter_bench [--seconds 30] [--concurrency 10]
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include <fmt/format.h>

#include "bench_args.h"
#include "jepsen/runner.h"

namespace {

size_t HeapInUse() {
  struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t seconds = 30, concurrency = 10;
  if (!jepsen::bench::ParseSecondsAndConcurrency(argc, argv, "interpreter_bench", &seconds, &concurrency)) {
    return 254;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "interp-bench-XXXXXX").string();
  std::string dir = ::mkdtemp(tmpl.data());

  jepsen::Test test;
  test.name = "noop";
  test.nodes = {"n1", "n2", "n3", "n4", "n5"};
  test.concurrency = static_cast<int>(concurrency);
  test.time_limit = std::chrono::seconds(seconds);
  test.store_dir = dir;
  test.client = jepsen::MakeNoopClient();
  test.generator = jepsen::gen::Clients(jepsen::gen::TimeLimit(
      std::chrono::seconds(seconds), jepsen::gen::Repeat(jepsen::gen::Invoke("write", 1))));
  test.checker = jepsen::MakeNoopChecker();

  size_t heap_before = HeapInUse();
  auto start = std::chrono::steady_clock::now();
  jepsen::Result<jepsen::RunResult> r = jepsen::Run(test, {.progress = false, .handle_signals = false});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!r.ok()) {
    fmt::print(stderr, "{}\n", r.status().ToString());
    return 1;
  }
  size_t heap_after = HeapInUse();
  auto ops = static_cast<double>(r->history.size());
  double run_secs = static_cast<double>(r->history[r->history.size() - 1].time) / 1e9;
  auto bytes = std::filesystem::file_size(r->run_dir + "/history.jsonl");
  fmt::print("interpreter_bench: no-op client, concurrency {}, {} s, {} cores\n", concurrency,
             seconds, sysconf(_SC_NPROCESSORS_ONLN));
  fmt::print("recorded ops:        {:.0f} ({:.0f} invocations)\n", ops, ops / 2);
  fmt::print("recorded ops/s:      {:.0f}\n", ops / run_secs);
  fmt::print("per-op overhead:     {:.2f} us per invocation+completion pair\n",
             run_secs * 1e6 / (ops / 2));
  fmt::print("memory per op:       {:.1f} bytes (History in memory)\n",
             static_cast<double>(heap_after - heap_before) / ops);
  fmt::print("history.jsonl:       {:.1f} MB, streamed during the run\n",
             static_cast<double>(bytes) / 1e6);
  fmt::print("wall time incl. setup and check: {:.1f} s\n", secs);
  std::filesystem::remove_all(dir);
  return 0;
}
