// Integration: whatever ends a run -- its normal end, an exception from the client,
// the generator or the checker, SIGTERM or SIGINT -- the partition is healed and the
// paused process resumed before the process exits, and jepsen.log says so.
//
// Each case starts safety-suite (safety_suite.cc) as a child process against a local
// cluster of its own. The child partitions the nodes (:majority) and pauses n1's
// daemon, then its run ends the way the case asks; the test then looks at the nodes.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "jepsen/local_cluster.h"
#include "support/scoped_cluster.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr const char* kPidfile = "/var/jepsen-test-node/sleep.pid";

int OurRules(const Test& test, const std::string& node) {
  Result<CommandResult> r = test.RemoteFor(node)->Exec(
      "iptables -w -S JEPSEN 2>/dev/null | grep -c '^-A' || true");
  return r.ok() ? std::stoi(r->out) : -1;
}

// The first letter of the ps state of the node's sleep daemon (S, T), or "gone".
std::string DaemonState(const Test& test, const std::string& node) {
  Result<CommandResult> r =
      test.RemoteFor(node)->Exec(std::string("p=$(cat ") + kPidfile +
                                 " 2>/dev/null) && ps -o stat= -p \"$p\" | cut -c1");
  return r.ok() && r->exit_code == 0 ? r->out.substr(0, 1) : "gone";
}

bool Connects(const Test& test, const std::string& from, const std::string& to) {
  Result<CommandResult> r = test.RemoteFor(from)->Exec(
      "timeout 1 bash -c 'exec 3<>/dev/tcp/" + to + "/22' 2>/dev/null");
  return r.ok() && r->exit_code == 0;
}

// Every file named `name` under `dir`, concatenated.
std::string FindAndRead(const std::string& dir, const std::string& name) {
  std::string out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().filename() == name) out += testing::ReadFile(it->path().string());
  }
  return out;
}

struct Ending {
  int exit_code = -1;
  std::string output;  // the child's stdout and stderr
  std::string log;     // its jepsen.log
  std::string history;
};

// Runs safety-suite against `cluster` with `--fail fail`; with a `signal`, sends it
// once the partition and the pause are in place. Never waits more than 30 s.
Ending RunSafetySuite(const LocalCluster& cluster, const Test& test,
                      const testing::TempDir& tmp, const std::string& fail,
                      int signal = 0) {
  std::string pids;
  for (const LocalNode& n : cluster.nodes)
    pids += (pids.empty() ? "" : ",") + std::to_string(n.pid);
  const std::string store = tmp.File("store-" + fail + std::to_string(signal));
  const std::string out = store + ".out";
  std::vector<std::string> args = {JEPSEN_SAFETY_SUITE,
                                   "test",
                                   "--nodes",
                                   "n1,n2,n3",
                                   "--no-ssh",
                                   "--node-pids",
                                   pids,
                                   "--fail",
                                   fail,
                                   "--concurrency",
                                   "3",
                                   "--time-limit",
                                   signal != 0 ? "60" : "1",
                                   "--seed",
                                   "7",
                                   "--store",
                                   store,
                                   "--leave-db-running"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    // Only async-signal-safe calls between fork and exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  REQUIRE(child > 0);
  if (signal != 0) {
    // Interrupt only once the faults are in place.
    bool in_place = false;
    for (int i = 0; i < 400 && !in_place; ++i) {
      in_place = OurRules(test, "n2") + OurRules(test, "n3") > 0 &&
                 DaemonState(test, "n1") == "T";
      if (!in_place) std::this_thread::sleep_for(25ms);
    }
    CHECK(in_place);
    ::kill(child, signal);
  }
  Ending e;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (::waitpid(child, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      FAIL_CHECK("safety-suite did not exit within 30 s");
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  e.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  e.output = testing::ReadFile(out);
  e.log = FindAndRead(store, "jepsen.log");
  e.history = FindAndRead(store, "history.jsonl");
  return e;
}

// What every ending must leave: no rule, every node reachable, no process paused,
// and a log saying the faults were healed.
void CheckHealed(const Test& test, const Ending& e) {
  INFO("output:\n" << e.output << "\njepsen.log:\n" << e.log);
  CHECK(e.log.find("nemesis torn down: every fault it can cause is healed") !=
        std::string::npos);
  for (const std::string& n : test.nodes) {
    CHECK(OurRules(test, n) == 0);
    CHECK(DaemonState(test, n) == "S");  // running, not stopped
  }
  CHECK(Connects(test, "n1", "n2"));
  CHECK(Connects(test, "n2", "n3"));
  CHECK(Connects(test, "n3", "n1"));
}

// The run really had both faults in place (the history records them).
void CheckFaulted(const Ending& e) {
  INFO("history:\n" << e.history);
  CHECK(e.history.find("isolated") != std::string::npos);
  CHECK(e.history.find("paused") != std::string::npos);
}

#define SAFETY_CLUSTER()                              \
  if (!testing::CanRunLocalCluster()) return;         \
  testing::TempDir tmp;                               \
  testing::ScopedCluster scoped(tmp.File("cluster")); \
  Test test;                                          \
  Result<LocalCluster> cluster = scoped.UpFor(test);  \
  INFO(cluster.status().ToString());                  \
  REQUIRE(cluster.ok())

TEST_CASE("A run that ends normally heals its partition and resumes paused processes",
          "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "none");
  CHECK(e.exit_code == 0);
  CheckFaulted(e);
  CheckHealed(test, e);
}

TEST_CASE("A client that throws leaves the run going, and its end heals",
          "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "client");
  CHECK(e.exit_code == 0);
  CHECK(e.history.find("the client broke on purpose") != std::string::npos);
  CheckFaulted(e);
  CheckHealed(test, e);
}

TEST_CASE("A generator that throws ends the run as a crash, healed first",
          "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "generator");
  CHECK(e.exit_code == 255);
  CHECK(e.output.find("an exception ended the run: the generator broke on purpose") !=
        std::string::npos);
  CHECK(e.log.find("healing and tearing down") != std::string::npos);
  CheckFaulted(e);
  CheckHealed(test, e);
}

TEST_CASE("A checker that throws gives an unknown verdict after the faults are healed",
          "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "checker");
  CHECK(e.exit_code == 2);
  CHECK(e.log.find("the checker threw: the checker broke on purpose") !=
        std::string::npos);
  // Healed before checking: the teardown line comes first.
  CHECK(e.log.find("nemesis torn down") < e.log.find("the checker threw"));
  CheckFaulted(e);
  CheckHealed(test, e);
}

TEST_CASE("A SIGTERM during a partition and a pause heals both before the process exits",
          "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "none", SIGTERM);
  CHECK(e.exit_code == 2);  // unknown: the run was cut short
  CHECK(e.log.find("interrupted by a signal: healing and tearing down") !=
        std::string::npos);
  CheckHealed(test, e);
}

TEST_CASE("A SIGINT to the suite process heals the same way", "[integration][safety]") {
  SAFETY_CLUSTER();
  Ending e = RunSafetySuite(*cluster, test, tmp, "none", SIGINT);
  CHECK(e.exit_code == 2);
  CHECK(e.log.find("interrupted by a signal: healing and tearing down") !=
        std::string::npos);
  CheckHealed(test, e);
}

}  // namespace
}  // namespace jepsen
