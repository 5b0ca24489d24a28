// my-suite: a small Jepsen suite of its own. It tests registers kept in files on the
// nodes (file_register.h) for linearizability, optionally under network partitions.
//
//   my-suite test --no-ssh --time-limit 10          # on this machine
//   my-suite test --local-cluster 3 --nemesis partition
#include <algorithm>

#include "file_register.h"
#include "jepsen/checker/linearizable.h"
#include "jepsen/checker/stats.h"
#include "jepsen/checker/unhandled_exceptions.h"
#include "jepsen/cli/suite.h"
#include "jepsen/generator/independent.h"
#include "jepsen/nemesis/faults.h"

namespace {

using namespace jepsen;

// The suite's own flags, beside the common ones (--nodes, --time-limit, ...).
struct Flags {
  my_suite::RegisterOptions registers;
  std::string nemesis = "none";
  int64_t nemesis_interval_s = 5;
  double rate = 50;
};

// An op whose value is random in 0..4 (a [old new] pair for cas).
Gen RandomOp(const char* f, bool pair) {
  return gen::Fn([f, pair](const Test&, const Context& ctx) -> std::optional<Op> {
    Value v = pair ? Value::Vector({ctx.rng().Uniform(5), ctx.rng().Uniform(5)})
                   : Value(ctx.rng().Uniform(5));
    return Op{.f = Value::Keyword(f), .value = std::move(v)};
  });
}

// What the clients do and how it is checked: reads, writes and cas on many keys, a
// few threads per key, each key's history checked for linearizability.
Workload RegisterWorkload(const CommonOptions& o, const Flags& flags) {
  const int per_key = std::min(o.concurrency, 3);
  Gen ops = gen::IndependentConcurrent(per_key, IntegerKeys(), [](const Value&) {
    return gen::Limit(40, gen::Mix({gen::Repeat(gen::Invoke("read")),
                                    RandomOp("write", false), RandomOp("cas", true)}));
  });
  Workload w;
  w.client = my_suite::MakeFileRegisterClient(flags.registers);
  w.generator =
      gen::Stagger(std::chrono::nanoseconds(static_cast<int64_t>(1e9 / flags.rate)), ops);
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("stats", MakeStatsChecker());
  checkers.emplace_back("exceptions", MakeUnhandledExceptionsChecker());
  checkers.emplace_back(
      "linear",
      MakeLinearizableChecker({.model = MakeCasRegisterModel(), .independent = true}));
  w.checker = Compose(std::move(checkers));
  return w;
}

// Which faults happen and when: the library's package, from --nemesis.
Result<NemesisPackage> NemesisFor(const CommonOptions& o, const Flags& flags) {
  if (flags.nemesis == "none") {
    return NemesisPackage{.nemesis = MakeNoopNemesis()};
  }
  if (flags.nemesis != "partition") {
    return InvalidArgumentError("--nemesis must be none or partition, not " +
                                flags.nemesis);
  }
  if (o.ssh.no_ssh && o.local_cluster == 0) {
    // The iptables rules would go into this machine's own firewall.
    return InvalidArgumentError(
        "--nemesis partition needs nodes: use --local-cluster N or SSH");
  }
  return MakeNemesisPackage({.faults = {"partition"},
                             .interval = std::chrono::seconds(flags.nemesis_interval_s),
                             .seed = o.seed});
}

// The whole test, from the command line.
Result<Test> Build(const CommonOptions& o, const Flags& flags) {
  if (flags.rate <= 0) return InvalidArgumentError("--rate must be positive");
  JEPSEN_ASSIGN_OR_RETURN(NemesisPackage nemesis, NemesisFor(o, flags));
  Workload workload = RegisterWorkload(o, flags);
  Test test;
  test.name = "my-suite-register";
  test.nodes = o.nodes;
  test.concurrency = o.concurrency;
  test.time_limit = o.time_limit;
  test.db = my_suite::MakeFileRegisterDb(flags.registers);
  test.client = std::move(workload.client);
  test.checker = std::move(workload.checker);
  test.nemesis = std::move(nemesis.nemesis);
  test.nemesis_perf = nemesis.perf;
  test.generator = gen::TimeLimit(
      o.time_limit, gen::ClientsAndNemesis(workload.generator, nemesis.generator));
  // Once the main phase is over: heal whatever the nemesis broke.
  if (!nemesis.final_generator.empty()) {
    test.final_generator = gen::Nemesis(nemesis.final_generator);
  }
  test.options =
      Value::Map({{Value::Keyword("nemesis"), Value::String(flags.nemesis)},
                  {Value::Keyword("unsafe"), Value::Bool(flags.registers.unsafe)}});
  return test;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  return SuiteMain(
      {.name = "my-suite",
       .description =
           "Registers kept in files on the nodes, checked for linearizability.",
       .add_flags =
           [&](FlagSet& f) {
             f.String("dir", &flags.registers.dir, "DIR",
                      "where the registers live on the nodes");
             f.Bool("unsafe", &flags.registers.unsafe,
                    "no locks, writes in place (a broken store)");
             f.String("nemesis", &flags.nemesis, "NAME", "none or partition");
             f.Int("nemesis-interval", &flags.nemesis_interval_s, "SECONDS",
                   "mean time between faults");
             f.Double("rate", &flags.rate, "HZ", "client operations per second");
           },
       .build = [&](const CommonOptions& o) { return Build(o, flags); }},
      argc, argv);
}
