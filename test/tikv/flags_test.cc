// Every flag of the seed (its cli-opts and Jepsen 0.2.3's test-opt-spec, which its
// single-test-cmd merges in) is accepted by tikv-jepsen with the same meaning, the
// same defaults and the same validation.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "jepsen/tikv/suite.h"
#include "support/temp_dir.h"

namespace jepsen::tikv {
namespace {

struct Parsed {
  int exit_code = 0;
  bool built = false;
  CommonOptions common;
  TikvOptions tikv;
};

// Runs tikv-jepsen's command line up to building the test, and captures the options.
Parsed Parse(std::vector<std::string> args, bool add_version = true) {
  TikvOptions o;
  Suite suite = MakeTikvSuite(&o);
  Parsed p;
  suite.build = [&](const CommonOptions& c) -> Result<Test> {
    p.built = true;
    p.common = c;
    p.tikv = o;
    return InvalidArgumentError("captured (not running)");
  };
  std::vector<std::string> argv = {"tikv-jepsen", "test"};
  if (add_version) argv.insert(argv.end(), {"--version", "v4.0.9"});
  argv.insert(argv.end(), args.begin(), args.end());
  // Keep the captured run's messages out of the test output.
  std::fflush(stderr);
  int saved = ::dup(2);
  int null = ::open("/dev/null", O_WRONLY);
  ::dup2(null, 2);
  p.exit_code = SuiteMain(suite, NormalizeSeedArgs(argv));
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(null);
  ::close(saved);
  return p;
}

TEST_CASE("tikv-jepsen accepts the seed's own flags with their meaning", "[tikv][flags]") {
  Parsed d = Parse({}, false);
  CHECK(d.exit_code == 254);  // --db tikv without --version: the seed would build nil URLs
  Parsed p = Parse({});
  REQUIRE(p.built);
  // Seed defaults.
  CHECK(p.tikv.rate == 10);
  CHECK(p.tikv.ops_per_key == 100);
  CHECK(p.tikv.nemesis == "none");
  CHECK(p.tikv.nemesis_interval == 10);
  CHECK_FALSE(p.tikv.nemesis_long_recovery);
  CHECK(p.tikv.nemesis_schedule == "random");
  CHECK(p.tikv.final_recovery_time == 10);

  CHECK(Parse({"-v", "v5.0.1"}).tikv.version == "v5.0.1");
  CHECK(Parse({"-w", "set"}).tikv.workload == "set");
  CHECK(Parse({"--workload", "list-append"}).tikv.workload == "list-append");
  CHECK(Parse({"-r", "20"}).tikv.rate == 20);
  CHECK(Parse({"--rate", "1/4"}).tikv.rate == 0.25);  // read-string reads ratios
  CHECK(Parse({"--rate", "0.5"}).tikv.rate == 0.5);
  CHECK(Parse({"--ops-per-key", "7"}).tikv.ops_per_key == 7);
  CHECK(Parse({"--nemesis-interval", "3"}).tikv.nemesis_interval == 3);
  CHECK(Parse({"--nemesis-interval", "0"}).built);
  CHECK(Parse({"--nemesis", "partition,kill-pd,schedules"}).tikv.nemesis == "partition,kill-pd,schedules");
  CHECK(Parse({"--nemesis-long-recovery"}).tikv.nemesis_long_recovery);
  CHECK(Parse({"--nemesis-schedule", "fixed"}).tikv.nemesis_schedule == "fixed");
  CHECK(Parse({"--final-recovery-time", "4"}).tikv.final_recovery_time == 4);
  CHECK(Parse({"--final-recovery-time", "0"}).built);
}

TEST_CASE("tikv-jepsen rejects what the seed's flags reject", "[tikv][flags]") {
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {"--workload", "bank"},
           {"--rate", "0"},
           {"--rate", "-1"},
           {"--rate", "fast"},
           {"--ops-per-key", "0"},
           {"--nemesis-interval", "-1"},
           {"--nemesis", "partition,clock"},
           {"--nemesis-schedule", "sometimes"},
           {"--final-recovery-time", "-1"},
           {"--concurrency", "3x"},
           {"--test-count", "0"},
           {"--time-limit", "0"}}) {
    INFO(bad[0] << " " << bad[1]);
    Parsed p = Parse(bad);
    CHECK_FALSE(p.built);
    CHECK(p.exit_code == 254);
  }
}

TEST_CASE("tikv-jepsen accepts Jepsen's common test flags with their meaning", "[tikv][flags]") {
  Parsed d = Parse({});
  CHECK(d.common.nodes == std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"});
  CHECK(d.common.concurrency == 5);  // "1n"
  CHECK(d.common.time_limit == std::chrono::seconds(60));
  CHECK(d.common.test_count == 1);
  CHECK(d.common.ssh.username == "root");

  CHECK(Parse({"-n", "a", "-n", "b"}).common.nodes == std::vector<std::string>{"a", "b"});
  CHECK(Parse({"--node", "a", "--node=b"}).common.nodes == std::vector<std::string>{"a", "b"});
  CHECK(Parse({"--nodes", "a,b,c"}).common.nodes == std::vector<std::string>{"a", "b", "c"});
  testing::TempDir dir;
  std::string file = (dir.path() / "nodes").string();
  std::ofstream(file) << "x1\nx2\n";
  CHECK(Parse({"--nodes-file", file}).common.nodes == std::vector<std::string>{"x1", "x2"});
  CHECK(Parse({"--username", "admin"}).common.ssh.username == "admin");
  CHECK(Parse({"--password", "secret"}).common.ssh.password == "secret");
  CHECK(Parse({"--strict-host-key-checking"}).common.ssh.strict_host_key_checking);
  CHECK(Parse({"--no-ssh"}).common.ssh.no_ssh);
  CHECK(Parse({"--ssh-private-key", "/k"}).common.ssh.private_key == "/k");
  CHECK(Parse({"--nodes", "a,b", "--concurrency", "3n"}).common.concurrency == 6);
  CHECK(Parse({"--concurrency", "7"}).common.concurrency == 7);
  CHECK(Parse({"--leave-db-running"}).common.leave_db_running);
  CHECK(Parse({"--logging-json"}).common.logging_json);
  CHECK(Parse({"--test-count", "3"}).common.test_count == 3);
  CHECK(Parse({"--time-limit", "9"}).common.time_limit == std::chrono::seconds(9));
}

TEST_CASE("tikv-jepsen's own flags describe the test", "[tikv][flags]") {
  Parsed p = Parse({"--db", "existing", "--pd-endpoints", "10.0.0.1:2379,10.0.0.2:2379",
                    "--rpc-server", "/bin/rpc", "--txn-mode", "pessimistic", "--client-timeout",
                    "0.5", "--consistency-models", "serializable", "--tarball-url",
                    "file:///tmp/t.tgz"});
  REQUIRE(p.built);
  CHECK(p.tikv.pd_endpoints == std::vector<std::string>{"10.0.0.1:2379", "10.0.0.2:2379"});
  CHECK(p.tikv.rpc_server == "/bin/rpc");
  CHECK(p.tikv.txn_mode == "pessimistic");
  CHECK(p.tikv.client_timeout == 0.5);
  CHECK(p.tikv.consistency_models == std::vector<std::string>{"serializable"});
  CHECK(Parse({"--pd-endpoints", "x:2379"}).exit_code == 254);  // needs --db existing
  CHECK(Parse({"--txn-mode", "lazy"}).exit_code == 254);
}

TEST_CASE("tikv-jepsen rewrites the seed's short flags and analyze's -t", "[tikv][flags]") {
  CHECK(NormalizeSeedArgs({"x", "test", "-w", "set", "-r", "5", "-v", "v4", "-n", "a"}) ==
        std::vector<std::string>{"x", "test", "--workload", "set", "--rate", "5", "--version", "v4",
                                 "--nodes", "a"});
  CHECK(NormalizeSeedArgs({"x", "analyze", "-t", "-1"}) == std::vector<std::string>{"x", "analyze"});
  CHECK(NormalizeSeedArgs({"x", "analyze", "--test", "store/run"}) ==
        std::vector<std::string>{"x", "analyze", "store/run"});
  CHECK(NormalizeSeedArgs({"x", "test", "--", "-w"}) == std::vector<std::string>{"x", "test", "--", "-w"});
}

}  // namespace
}  // namespace jepsen::tikv
