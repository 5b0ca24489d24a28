// serve_bench: how fast the results browser answers its front page (GET /) for a store
// of many runs, over a real loopback socket.
//
//   build/bin/serve_bench [--runs 1000] [--requests 50] [--tests 10]
//
// Builds a temporary store of --runs runs spread over --tests test names, each with a
// results.json of a few KiB whose "valid?" comes first (as the store writes it), an
// incomplete run every 25th. Times the first request (verdicts read from disk), then
// --requests more (verdicts cached; directories listed again each time) and prints the
// median, 99th percentile and worst. The store is removed afterwards.
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "jepsen/web/server.h"
#include "libjepsen/web/http_client.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int64_t Flag(int argc, char** argv, const std::string& name, int64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] == "--" + name) return std::atoll(argv[i + 1]);
  }
  return fallback;
}

void MakeStore(const fs::path& store, int64_t runs, int64_t tests) {
  std::string details = ",\"details\":[";
  for (int i = 0; i < 200; ++i)
    details += fmt::format("{{\"op\":{},\"valid?\":true}},", i);
  details += "0]}\n";
  for (int64_t i = 0; i < runs; ++i) {
    // One run a minute, starting 2026-11-01.
    int64_t minute = i;
    std::string time = fmt::format("202611{:02d}T{:02d}{:02d}00.000Z", 1 + minute / 1440,
                                   minute / 60 % 24, minute % 60);
    fs::path dir = store / fmt::format("bench-test-{}", i % tests) / time;
    fs::create_directories(dir);
    std::ofstream(dir / "history.txt") << "0 :invoke :read nil\n";
    if (i % 25 == 24) continue;
    const char* verdict = i % 7 == 0 ? "false" : i % 11 == 0 ? "\"unknown\"" : "true";
    std::ofstream(dir / "results.json") << "{\"valid?\":" << verdict << details;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t runs = Flag(argc, argv, "runs", 1000);
  int64_t requests = Flag(argc, argv, "requests", 50);
  int64_t tests = std::max<int64_t>(Flag(argc, argv, "tests", 10), 1);
  std::string tmpl = (fs::temp_directory_path() / "serve-bench-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    fmt::print(stderr, "serve_bench: cannot make a temporary directory\n");
    return 1;
  }
  fs::path store = tmpl;
  auto cleanup = [&] {
    std::error_code ec;
    fs::remove_all(store, ec);
  };
  auto t0 = Clock::now();
  MakeStore(store, runs, tests);
  fmt::print("store: {} runs in {} tests, made in {:.0f} ms\n", runs, tests,
             Ms(Clock::now() - t0));

  auto server = jepsen::web::Server::Start({.store_dir = store.string(), .port = 0});
  if (!server.ok()) {
    fmt::print(stderr, "serve_bench: {}\n", server.status().message());
    cleanup();
    return 1;
  }
  int port = (*server)->port();
  auto timed_get = [&](size_t* bytes) {
    auto start = Clock::now();
    jepsen::testing::HttpResponse r = jepsen::testing::HttpGet(port, "/");
    auto took = Clock::now() - start;
    *bytes = r.body.size();
    return r.status == 200 ? Ms(took) : -1.0;
  };
  size_t bytes = 0;
  double cold = timed_get(&bytes);
  std::vector<double> warm;
  for (int64_t i = 0; i < requests && cold >= 0; ++i) {
    double ms = timed_get(&bytes);
    if (ms < 0) {
      cold = -1;
      break;
    }
    warm.push_back(ms);
  }
  (*server)->Stop();
  cleanup();
  if (cold < 0) {
    fmt::print(stderr, "serve_bench: GET / failed\n");
    return 1;
  }
  std::sort(warm.begin(), warm.end());
  auto at = [&](double q) {
    return warm.empty()
               ? 0.0
               : warm[std::min(warm.size() - 1, static_cast<size_t>(q * warm.size()))];
  };
  fmt::print(
      "GET / ({} KiB page): first {:.1f} ms; then over {} requests median {:.1f} ms, "
      "p99 {:.1f} ms, max {:.1f} ms\n",
      bytes / 1024, cold, warm.size(), at(0.5), at(0.99),
      warm.empty() ? 0.0 : warm.back());
  return 0;
}
