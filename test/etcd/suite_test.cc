// The etcd suite's pure parts: topology, nemesis and workload tables, the test it
// builds, and the list-append generator.
#include <catch2/catch.hpp>

#include <set>

#include "jepsen/etcd/nemesis.h"
#include "jepsen/etcd/suite.h"
#include "jepsen/etcd/topology.h"
#include "jepsen/etcd/workloads.h"
#include "jepsen/generator/simulate.h"
#include "jepsen/test.h"

namespace jepsen::etcd {
namespace {

TEST_CASE("Topology names members by address, or by name when none is listed", "[etcd]") {
  Topology t{.addresses = {{"n1", "10.77.0.1"}, {"n2", "10.77.0.2"}}};
  CHECK(t.ClientEndpoint("n1") == "10.77.0.1:2379");
  CHECK(t.ClientUrl("n2") == "http://10.77.0.2:2379");
  CHECK(t.PeerUrl("n3") == "http://n3:2380");
  CHECK(t.InitialCluster({"n1", "n2", "n3"}) ==
        "n1=http://10.77.0.1:2380,n2=http://10.77.0.2:2380,n3=http://n3:2380");
}

TEST_CASE("MakeEtcdNemesis refuses clock faults and says why", "[etcd]") {
  Result<NemesisPackage> p = MakeEtcdNemesis({.faults = {"clock"}});
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(p.status().message()), Catch::Contains("ignores libfaketime"));
}

TEST_CASE("MakeEtcdNemesis names unknown faults and partition kinds", "[etcd]") {
  Result<NemesisPackage> bad = MakeEtcdNemesis({.faults = {"partition", "frob"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()) ==
        "unknown nemesis 'frob' (partition, kill, pause, packet-loss, bandwidth, all, none)");
  Result<NemesisPackage> kind = MakeEtcdNemesis({.faults = {"partition"}, .partition_targets = {"half"}});
  REQUIRE_FALSE(kind.ok());
  CHECK_THAT(std::string(kind.status().message()), Catch::Contains("unknown partition kind 'half'"));
}

TEST_CASE("MakeEtcdNemesis builds every fault, and nothing for none", "[etcd]") {
  Result<NemesisPackage> all = MakeEtcdNemesis({.faults = {"all"}});
  REQUIRE(all.ok());
  std::vector<std::string> fs = all->nemesis->Fs();
  std::set<std::string> got(fs.begin(), fs.end());
  CHECK(got == std::set<std::string>{"start-partition", "stop-partition", "kill", "start", "pause", "resume"});
  CHECK_FALSE(all->generator.empty());
  CHECK_FALSE(all->final_generator.empty());
  Result<NemesisPackage> packets = MakeEtcdNemesis({.faults = {"packet-loss", "bandwidth"}});
  REQUIRE(packets.ok());
  CHECK(packets->nemesis->Fs() == std::vector<std::string>{"start-bandwidth", "stop-bandwidth",
                                                           "start-packet-loss", "stop-packet-loss"});
  Result<NemesisPackage> none = MakeEtcdNemesis({.faults = {"none"}});
  REQUIRE(none.ok());
  CHECK(none->generator.empty());
  CHECK(none->nemesis->Fs().empty());
}

TEST_CASE("MakeWorkload knows the three workloads", "[etcd]") {
  CHECK(WorkloadNames() == std::vector<std::string>{"register", "set", "list-append"});
  for (const std::string& name : WorkloadNames()) {
    Result<Workload> w = MakeWorkload(name, {});
    REQUIRE(w.ok());
    CHECK(w->client != nullptr);
    CHECK(w->checker != nullptr);
  }
  Result<Workload> bad = MakeWorkload("queue", {});
  REQUIRE_FALSE(bad.ok());
  CHECK(std::string(bad.status().message()) == "unknown workload 'queue' (register, set, list-append)");
}

TEST_CASE("BuildEtcdTest names the test and points it at the nodes' addresses", "[etcd]") {
  CommonOptions common{.nodes = {"n1", "n2", "n3"}, .concurrency = 6};
  common.addresses = {{"n1", "10.0.0.1"}};
  EtcdTestOptions o;
  o.workload = "register";
  o.nemesis = {"partition", "kill"};
  o.workload_options.serializable_reads = true;
  Result<Test> t = BuildEtcdTest(common, o);
  REQUIRE(t.ok());
  CHECK(t->name == "etcd-register-partition+kill-serializable");
  CHECK(t->db != nullptr);
  CHECK(Capability<Killable>(t->db.get()) != nullptr);
  CHECK(Capability<Pausable>(t->db.get()) != nullptr);
  CHECK(Capability<HasPrimaries>(t->db.get()) != nullptr);
  CHECK(Capability<HasLogFiles>(t->db.get())->LogFiles(*t, "n1") ==
        std::vector<std::string>{"/var/jepsen/etcd/etcd.log"});
  CHECK_FALSE(t->final_generator.empty());
}

TEST_CASE("The register generator spreads each key over one thread per node", "[etcd]") {
  Result<Workload> w = MakeWorkload("register", {.rate = 0, .ops_per_key = 10, .threads_per_key = 3});
  REQUIRE(w.ok());
  Test test;
  SimulateResult r = Simulate(test, gen::Clients(gen::Limit(60, w->generator)), {.concurrency = 6});
  std::map<int64_t, std::set<int64_t>> processes_by_key;
  for (const Op& op : r.history) {
    if (!op.is_invoke()) continue;
    REQUIRE(op.value.is_vector());
    processes_by_key[op.value.elements()[0].AsInt()].insert(op.process);
  }
  CHECK(processes_by_key.size() >= 2);
  for (const auto& [key, processes] : processes_by_key) {
    // Threads 0-2 share a key, 3-5 another: each group has threads on n1, n2 and n3.
    std::set<int64_t> nodes;
    for (int64_t p : processes) nodes.insert(p % 3);
    CHECK(nodes.size() == 3);
  }
}

TEST_CASE("The list-append generator appends unique values and retires busy keys", "[etcd]") {
  Result<Workload> w = MakeWorkload(
      "list-append", {.rate = 0, .key_count = 2, .max_txn_length = 3, .max_writes_per_key = 4});
  REQUIRE(w.ok());
  Test test;
  SimulateResult r = Simulate(test, gen::Clients(gen::Limit(200, w->generator)), {.concurrency = 2});
  std::set<int64_t> values;
  std::map<int64_t, int> appends_per_key;
  int txns = 0;
  for (const Op& op : r.history) {
    if (!op.is_invoke()) continue;
    ++txns;
    REQUIRE(op.f.IsNamed("txn"));
    CHECK(op.value.elements().size() >= 1);
    CHECK(op.value.elements().size() <= 3);
    for (const Value& mop : op.value.elements()) {
      if (!mop.elements()[0].IsNamed("append")) continue;
      CHECK(values.insert(mop.elements()[2].AsInt()).second);
      ++appends_per_key[mop.elements()[1].AsInt()];
    }
  }
  CHECK(txns == 200);
  CHECK(appends_per_key.size() > 2);
  for (const auto& [key, n] : appends_per_key) CHECK(n <= 4);
}

}  // namespace
}  // namespace jepsen::etcd
