// etcd_bench: does the harness get in the way? Against the same 3-node etcd cluster
// and concurrency, compares the operations per second of
//   harness  a full etcd-jepsen register run without faults (generator, interpreter,
//            history streamed to a store), and
//   bare     plain threads doing the same requests (linearizable Range, Put, and a
//            value-compare Txn, one third each) through the same KvClient in a loop.
// The target is harness >= 90% of bare. Needs root: it brings up (or reuses) the local
// cluster `jepsen` with 3 nodes, so it is run by hand, not by ctest:
//
//   sudo build/bin/etcd_bench [--seconds 20] [--concurrency 9]
// (The register workload gives each key 3 threads; with a concurrency that is not a
// multiple of 3 the leftover threads idle, as in Jepsen, and the comparison is unfair.)
//   (then: build/bin/jepsen cluster down)
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bench_args.h"
#include "jepsen/control/local_remote.h"
#include "jepsen/etcd/kv_client.h"
#include "jepsen/etcd/suite.h"
#include "jepsen/local_cluster.h"
#include "jepsen/random.h"
#include "jepsen/runner.h"

namespace {

using namespace jepsen;
using namespace std::chrono_literals;

// Bare client loop: `concurrency` threads, thread i on node i mod n, each with its own
// connection, doing the register workload's requests back to back for `seconds`.
double BareOpsPerSecond(const etcd::Topology& topology, const std::vector<std::string>& nodes,
                        int concurrency, int64_t seconds) {
  std::atomic<int64_t> done{0};
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<etcd::KvClient> kv =
          etcd::ConnectEtcd(topology.ClientEndpoint(nodes[static_cast<size_t>(t) % nodes.size()]),
                            {.timeout = 2s});
      Random rng(static_cast<uint64_t>(t) + 1);
      int64_t n = 0;
      while (std::chrono::steady_clock::now() < until) {
        // Same key layout as the harness: groups of threads share a key, 200 ops each.
        std::string key = fmt::format("bare/{}/{}", t / static_cast<int>(nodes.size()), n / 200);
        std::vector<etcd::KeyValue> found;
        etcd::TxnResult r;
        switch (rng.Uniform(3)) {
          case 0:
            (void)kv->Range({.key = key}, &found);
            break;
          case 1:
            (void)kv->Put(key, std::to_string(rng.Uniform(5)));
            break;
          default:
            (void)kv->Commit({.compare = {{.key = key, .value = std::to_string(rng.Uniform(5))}},
                              .success = {{.range = {.key = key}, .put = true,
                                           .value = std::to_string(rng.Uniform(5))}}},
                             &r);
        }
        ++n;
      }
      done += n;
    });
  }
  for (auto& th : threads) th.join();
  return static_cast<double>(done.load()) / static_cast<double>(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t seconds = 20, concurrency = 9;  // 3 keys x 3 threads (one per node): no idle thread
  if (!jepsen::bench::ParseSecondsAndConcurrency(argc, argv, "etcd_bench", &seconds, &concurrency)) {
    return 254;
  }
  if (geteuid() != 0) {
    fmt::print(stderr, "etcd_bench: needs root (it runs etcd on a local cluster)\n");
    return 254;
  }
  Result<LocalCluster> cluster = LocalClusterUp({.nodes = 3});
  if (!cluster.ok()) {
    fmt::print(stderr, "etcd_bench: {}\n", cluster.status().message());
    return 255;
  }
  CommonOptions common;
  common.nodes.clear();
  for (const LocalNode& n : cluster->nodes) {
    common.nodes.push_back(n.name);
    common.addresses[n.name] = n.address;
  }
  common.concurrency = static_cast<int>(concurrency);
  common.time_limit = std::chrono::seconds(seconds);
  common.seed = 42;
  etcd::EtcdTestOptions options;
  options.workload = "register";
  options.workload_options.rate = 0;  // as fast as the cluster answers
  Result<Test> test = etcd::BuildEtcdTest(common, options);
  if (!test.ok()) {
    fmt::print(stderr, "etcd_bench: {}\n", test.status().message());
    return 255;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "etcd-bench-XXXXXX").string();
  std::string store = ::mkdtemp(tmpl.data());
  test->store_dir = store;
  test->leave_db_running = true;  // the bare loop runs against the same cluster next
  auto open_remotes = [&](Test& t) {
    for (const LocalNode& n : cluster->nodes) t.remotes[n.name] = MakeNamespaceRemote(n.pid);
    return OkStatus();
  };
  Result<RunResult> run = Run(*test, {.progress = false, .open_remotes = open_remotes,
                                      .handle_signals = false});
  if (!run.ok()) {
    fmt::print(stderr, "etcd_bench: harness run failed: {}\n", run.status().message());
    return 255;
  }
  int64_t completions = 0;
  for (size_t i = 0; i < run->history.size(); ++i) {
    const Op& op = run->history[i];
    if (op.is_client() && !op.is_invoke()) ++completions;
  }
  double harness = static_cast<double>(completions) / static_cast<double>(seconds);
  etcd::Topology topology{.addresses = common.addresses};
  double bare = BareOpsPerSecond(topology, common.nodes, static_cast<int>(concurrency), seconds);

  // Tear etcd down (the harness left it running for the bare loop).
  (void)open_remotes(*test);
  for (const std::string& node : test->nodes) (void)test->db->Teardown(*test, node);
  std::filesystem::remove_all(store);

  fmt::print("etcd register, 3 nodes, concurrency {}, {} s each, no faults\n", concurrency, seconds);
  fmt::print("  harness (etcd-jepsen, history to a store): {:8.1f} ops/s ({} ops, verdict {})\n",
             harness, completions, ValidityName(run->result.validity));
  fmt::print("  bare client loop, same requests:           {:8.1f} ops/s\n", bare);
  fmt::print("  ratio harness/bare:                        {:8.1f}%\n", 100.0 * harness / bare);
  return 0;
}
