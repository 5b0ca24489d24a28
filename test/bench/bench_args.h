// The command line shared by the benchmarks that run the harness for a while:
// `[--seconds N] [--concurrency N]`.
#ifndef JEPSEN_TEST_BENCH_BENCH_ARGS_H_
#define JEPSEN_TEST_BENCH_BENCH_ARGS_H_

#include <charconv>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

namespace jepsen::bench {

// Reads --seconds and --concurrency (positive integers) into *seconds and *concurrency,
// which hold the defaults. On anything else prints `program`'s usage (and the bad
// argument) to stderr and returns false.
inline bool ParseSecondsAndConcurrency(int argc, char** argv, std::string_view program,
                                       int64_t* seconds, int64_t* concurrency) {
  for (int i = 1; i < argc; i += 2) {
    std::string_view flag = argv[i];
    int64_t* out = flag == "--seconds" ? seconds : flag == "--concurrency" ? concurrency : nullptr;
    std::string_view value = i + 1 < argc ? std::string_view(argv[i + 1]) : std::string_view();
    int64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (out == nullptr || value.empty() || ec != std::errc() ||
        end != value.data() + value.size() || n <= 0) {
      fmt::print(stderr, "{}: bad argument '{}{}{}'\nusage: {} [--seconds N] [--concurrency N]\n",
                 program, flag, value.empty() ? "" : " ", value, program);
      return false;
    }
    *out = n;
  }
  return true;
}

}  // namespace jepsen::bench

#endif  // JEPSEN_TEST_BENCH_BENCH_ARGS_H_
