// safety-suite: a suite whose run is ended on purpose (normally, by an exception from
// its client, generator or checker, or by a signal from the test that started it),
// after it has partitioned the local nodes and paused a process on n1. The safety
// integration tests (safety_test.cc) check what is left on the nodes afterwards.
//
//   safety-suite test --nodes n1,n2,n3 --no-ssh --node-pids P1,P2,P3
//       --fail none|client|generator|checker --leave-db-running ...
//
// Each node runs one `sleep` daemon (by pidfile under --data-path), so a pause shows
// as a stopped process; --leave-db-running keeps it for the test to inspect.
#include <atomic>
#include <memory>
#include <stdexcept>

#include "jepsen/cli/suite.h"
#include "jepsen/control/local_remote.h"
#include "jepsen/control/util.h"
#include "jepsen/nemesis/faults.h"

namespace {

using namespace jepsen;
using namespace std::chrono_literals;

struct Flags {
  std::vector<std::string> node_pids;
  std::string fail = "none";
  std::string data_path = "/var/jepsen-test-node";
};

class SleepDb : public Db, public Pausable {
 public:
  explicit SleepDb(std::string pidfile) : pidfile_(std::move(pidfile)) {}
  Status Setup(const Test& test, const std::string& node) override {
    return StartDaemon(*test.RemoteFor(node),
                       {.pidfile = pidfile_, .command = {.argv = {"sleep", "600"}}});
  }
  Status Teardown(const Test& test, const std::string& node) override {
    return StopDaemon(*test.RemoteFor(node), pidfile_, 1s);
  }
  Status Pause(const Test& test, const std::string& node) override {
    return SignalDaemon(*test.RemoteFor(node), pidfile_, "STOP");
  }
  Status Resume(const Test& test, const std::string& node) override {
    return SignalDaemon(*test.RemoteFor(node), pidfile_, "CONT");
  }

 private:
  std::string pidfile_;
};

// Counts the faults that took effect, so the failures below happen only once both
// the partition and the pause are in place.
using FaultCount = std::shared_ptr<std::atomic<int>>;

class CountingNemesis : public Nemesis {
 public:
  CountingNemesis(std::unique_ptr<Nemesis> inner, FaultCount faults)
      : inner_(std::move(inner)), faults_(std::move(faults)) {}
  Status Setup(const Test& test) override { return inner_->Setup(test); }
  Op Invoke(const Test& test, const Op& op) override {
    Op done = inner_->Invoke(test, op);
    if (done.error.is_nil() && !done.is_fail()) ++*faults_;
    return done;
  }
  Status Teardown(const Test& test) override { return inner_->Teardown(test); }
  std::vector<std::string> Fs() const override { return inner_->Fs(); }

 private:
  std::unique_ptr<Nemesis> inner_;
  FaultCount faults_;
};

class ReadClient : public Client {
 public:
  ReadClient(bool fail, FaultCount faults) : fail_(fail), faults_(std::move(faults)) {}
  Result<std::unique_ptr<Client>> Open(const Test&, const std::string&) override {
    return std::unique_ptr<Client>(std::make_unique<ReadClient>(fail_, faults_));
  }
  Op Invoke(const Test&, const Op& op) override {
    if (fail_ && *faults_ >= 2) throw std::runtime_error("the client broke on purpose");
    return CompleteOk(op, 0);
  }

 private:
  bool fail_;
  FaultCount faults_;
};

class ValidChecker : public Checker {
 public:
  explicit ValidChecker(bool fail) : fail_(fail) {}
  CheckResult Check(const CheckContext&, const History&) override {
    if (fail_) throw std::runtime_error("the checker broke on purpose");
    return CheckResult{};
  }

 private:
  bool fail_;
};

Result<Test> Build(const CommonOptions& o, const Flags& flags) {
  if (flags.fail != "none" && flags.fail != "client" && flags.fail != "generator" &&
      flags.fail != "checker") {
    return InvalidArgumentError(
        "--fail must be none, client, generator or checker, not " + flags.fail);
  }
  if (flags.node_pids.size() != o.nodes.size()) {
    return InvalidArgumentError("--node-pids needs one pid per node");
  }
  auto faults = std::make_shared<std::atomic<int>>(0);
  Test test;
  test.name = "safety-" + flags.fail;
  test.nodes = o.nodes;
  test.concurrency = o.concurrency;
  test.time_limit = o.time_limit;
  test.db = std::make_unique<SleepDb>(flags.data_path + "/sleep.pid");
  test.client = std::make_unique<ReadClient>(flags.fail == "client", faults);
  std::vector<std::unique_ptr<Nemesis>> nemeses;
  nemeses.push_back(MakePartitioner(MakeIptablesNet(), o.seed));
  nemeses.push_back(MakePauser(o.seed));
  test.nemesis =
      std::make_unique<CountingNemesis>(ComposeNemeses(std::move(nemeses)), faults);
  const bool generator_fails = flags.fail == "generator";
  Gen reads = gen::Fn(
      [faults, generator_fails](const Test&, const Context&) -> std::optional<Op> {
        if (generator_fails && *faults >= 2)
          throw std::runtime_error("the generator broke on purpose");
        return Op{.f = Value::Keyword("read")};
      });
  // The faults first, so they are in place however loaded the machine; then the
  // clients for the time limit (or until a signal or an exception ends the run).
  Gen fault_ops = gen::Concat(
      {gen::Once(gen::Invoke("start-partition", Value::Keyword("majority"))),
       gen::Once(gen::Invoke("pause", Value::Vector({Value::String(o.nodes.front())})))});
  test.generator = gen::Phases(
      {gen::Nemesis(fault_ops),
       gen::TimeLimit(o.time_limit, gen::Clients(gen::Stagger(20ms, reads)))});
  test.checker = std::make_unique<ValidChecker>(flags.fail == "checker");
  return test;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  return SuiteMain(
      {.name = "safety-suite",
       .description = "Faults on local nodes, then a run that ends on purpose.",
       .add_flags =
           [&](FlagSet& f) {
             f.List("node-pids", &flags.node_pids, "P1,P2,...",
                    "each node's init pid (its namespaces), in --nodes order");
             f.String("fail", &flags.fail, "WHAT", "none, client, generator or checker");
             f.String("data-path", &flags.data_path, "DIR",
                      "the nodes' private directory");
           },
       .build = [&](const CommonOptions& o) { return Build(o, flags); },
       .prepare_run =
           [&](RunOptions& run, const CommonOptions&) {
             run.progress = false;
             run.open_remotes = [&](Test& test) {
               for (size_t i = 0; i < test.nodes.size(); ++i) {
                 test.remotes[test.nodes[i]] =
                     MakeNamespaceRemote(std::stoi(flags.node_pids[i]));
               }
               return OkStatus();
             };
             return OkStatus();
           }},
      argc, argv);
}
