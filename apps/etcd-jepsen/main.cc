// etcd-jepsen: the etcd suite's command line (SuiteMain plus the suite's own flags).
//
//   etcd-jepsen test --local-cluster 5 --workload register --nemesis partition,kill
#include <fmt/format.h>

#include "jepsen/cli/suite.h"
#include "jepsen/etcd/suite.h"

namespace {

using namespace jepsen;

struct Flags {
  etcd::EtcdTestOptions test;
  std::vector<std::string> nemesis = {"none"};
  std::vector<std::string> partition_targets = etcd::PartitionTargetNames();
  int64_t nemesis_interval_s = 10;
  int64_t recovery_s = 10;
  double rate = 100;
  int64_t ops_per_key = 200;
  int64_t threads_per_key = 0;
  int64_t request_timeout_ms = 2000;
  int64_t key_count = 8;
  int64_t max_txn_length = 4;
  int64_t max_writes_per_key = 32;
  int64_t election_timeout_ms = 1000;
  int64_t heartbeat_ms = 100;

  void Register(FlagSet& f) {
    f.String("workload", &test.workload, "NAME",
             "register (linearizable cas registers), set (set-full) or list-append (Elle, "
             "strict-serializable)");
    f.List("nemesis", &nemesis, "F1,F2",
           "faults: partition, kill, pause, packet-loss, bandwidth, all (partition, kill and "
           "pause), none. (No clock faults: etcd is a Go binary and ignores libfaketime, so "
           "they would not reach it. No latency faults: this kernel has no netem.)");
    f.Int("nemesis-interval", &nemesis_interval_s, "SECONDS", "mean time between fault operations");
    f.Double("packet-loss", &test.packet_loss, "P",
             "packet-loss: the probability each packet reaching a faulty member is dropped (0, 1]");
    f.String("bandwidth", &test.bandwidth, "RATE",
             "bandwidth: the faulty members' outgoing rate, as tc takes it (1mbit, 500kbit)");
    f.List("partition-targets", &partition_targets, "K1,K2",
           "partition kinds to draw from: one, majority, majorities-ring, bridge, leader");
    f.Int("recovery-time", &recovery_s, "SECONDS",
          "after healing, how long the cluster gets before the final reads");
    f.Double("rate", &rate, "HZ", "client operations per second, over all threads (0: unlimited)");
    f.Int("ops-per-key", &ops_per_key, "N", "register: operations per key");
    f.Int("threads-per-key", &threads_per_key, "N", "register: client threads per key (0: one per node)");
    f.Bool("serializable-reads", &test.workload_options.serializable_reads,
           "read with etcd's serializable (member-local, possibly stale) Range; not linearizable, "
           "so under partitions the checkers should find violations");
    f.Int("request-timeout", &request_timeout_ms, "MS", "deadline of every etcd request");
    f.Int("key-count", &key_count, "N", "list-append: keys in play at once");
    f.Int("max-txn-length", &max_txn_length, "N", "list-append: micro-ops per transaction");
    f.Int("max-writes-per-key", &max_writes_per_key, "N", "list-append: appends before a key is retired");
    f.String("etcd-dir", &test.db.dir, "DIR",
             "the member's directory on each node (data, log, pidfile); wiped at teardown");
    f.String("etcd-binary", &test.db.binary, "PATH", "etcd on the nodes (installed from Debian's etcd-server if missing)");
    f.Int("election-timeout", &election_timeout_ms, "MS", "etcd's --election-timeout");
    f.Int("heartbeat-interval", &heartbeat_ms, "MS", "etcd's --heartbeat-interval");
  }

  // Copies the raw flags into the options; an error message or "".
  std::string Validate() {
    if (nemesis_interval_s <= 0) return "--nemesis-interval must be positive";
    if (recovery_s < 0) return "--recovery-time must not be negative";
    if (!(test.packet_loss > 0 && test.packet_loss <= 1)) return "--packet-loss must be in (0, 1]";
    if (rate < 0) return "--rate must not be negative";
    if (ops_per_key <= 0) return "--ops-per-key must be positive";
    if (threads_per_key < 0) return "--threads-per-key must not be negative";
    if (request_timeout_ms <= 0) return "--request-timeout must be positive";
    if (key_count <= 0 || max_txn_length <= 0 || max_writes_per_key <= 0) {
      return "--key-count, --max-txn-length and --max-writes-per-key must be positive";
    }
    if (test.db.dir.empty() || test.db.dir[0] != '/' || test.db.dir == "/") {
      return "--etcd-dir must be an absolute directory other than /";
    }
    if (heartbeat_ms <= 0 || election_timeout_ms < 5 * heartbeat_ms) {
      return "--election-timeout must be at least 5 x --heartbeat-interval (etcd's rule)";
    }
    test.nemesis = nemesis;
    test.partition_targets = partition_targets;
    test.nemesis_interval = std::chrono::seconds(nemesis_interval_s);
    test.recovery_time = std::chrono::seconds(recovery_s);
    etcd::WorkloadOptions& w = test.workload_options;
    w.rate = rate;
    w.ops_per_key = ops_per_key;
    w.threads_per_key = static_cast<int>(threads_per_key);
    w.request_timeout = std::chrono::milliseconds(request_timeout_ms);
    w.key_count = static_cast<int>(key_count);
    w.max_txn_length = static_cast<int>(max_txn_length);
    w.max_writes_per_key = static_cast<int>(max_writes_per_key);
    test.db.election_timeout = std::chrono::milliseconds(election_timeout_ms);
    test.db.heartbeat = std::chrono::milliseconds(heartbeat_ms);
    return "";
  }
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  return SuiteMain(
      {.name = "etcd-jepsen",
       .description =
           "Tests etcd (Debian's etcd-server 3.4) through its v3 gRPC API: linearizable "
           "registers, sets and list-append transactions under partitions, kills and pauses.\n"
           "Clock faults are not offered: etcd is a Go binary and ignores libfaketime.",
       .add_flags = [&](FlagSet& f) { flags.Register(f); },
       .validate = [&] { return flags.Validate(); },
       .build = [&](const CommonOptions& o) { return etcd::BuildEtcdTest(o, flags.test); },
       .workloads = etcd::WorkloadNames(),
       .nemeses = {"none", "partition", "kill", "pause", "packet-loss", "bandwidth", "all"},
       .select =
           [&](const std::string& w, const std::string& n) {
             flags.test.workload = w;
             flags.test.nemesis = {n};
           }},
      argc, argv);
}
