// demo-suite: a suite built on the CLI core with an in-memory register, so the
// shared command line (test, test-all, analyze, common flags, exit codes) is tested
// end to end without a database.
#include <atomic>
#include <memory>

#include "jepsen/cli/suite.h"
#include "support/register_client.h"
#include "support/stale_read_checker.h"

namespace {

using namespace jepsen;

Gen Writes() {
  auto next = std::make_shared<std::atomic<int64_t>>(1);
  return gen::Fn([next](const Test&, const Context&) -> std::optional<Op> {
    return Op{.f = Value::Keyword("write"), .value = (*next)++};
  });
}

struct Flags {
  std::string workload = "register";
  std::string nemesis = "none";
  int64_t rate = 1000;
};

Result<Test> Build(const CommonOptions& o, const Flags& flags) {
  if (flags.workload != "register" && flags.workload != "stale") {
    return InvalidArgumentError("--workload must be register or stale, not " + flags.workload);
  }
  Test test;
  test.name = "demo-" + flags.workload + "-" + flags.nemesis;
  test.nodes = o.nodes;
  test.concurrency = o.concurrency;
  test.time_limit = o.time_limit;
  test.os = MakeNoopOs();
  test.db = MakeNoopDb();
  test.client = std::make_unique<testing::RegisterClient>(
      testing::RegisterBehavior{.stale_read_probability = flags.workload == "stale" ? 0.3 : 0});
  test.nemesis = MakeNoopNemesis();
  auto dt = std::chrono::nanoseconds(1'000'000'000 / std::max<int64_t>(flags.rate, 1));
  Gen clients = gen::Stagger(dt, gen::Mix({gen::Repeat(gen::Invoke("read")), Writes()}));
  Gen nemesis = flags.nemesis == "noop"
                    ? gen::Delay(std::chrono::milliseconds(200), gen::Repeat(gen::Invoke("noop")))
                    : Gen();
  test.generator = gen::TimeLimit(o.time_limit, gen::ClientsAndNemesis(clients, nemesis));
  test.checker = std::make_unique<testing::StaleReadChecker>();
  test.options = Value::Map({{Value::Keyword("workload"), Value::String(flags.workload)},
                             {Value::Keyword("nemesis"), Value::String(flags.nemesis)}});
  return test;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  return SuiteMain(
      {.name = "demo-suite",
       .description = "An in-memory register, for testing the suite command line.",
       .add_flags =
           [&](FlagSet& f) {
             f.String("workload", &flags.workload, "NAME", "register or stale");
             f.String("nemesis", &flags.nemesis, "NAME", "none or noop");
             f.Int("rate", &flags.rate, "HZ", "ops per second");
           },
       .build = [&](const CommonOptions& o) { return Build(o, flags); },
       .workloads = {"register", "stale"},
       .nemeses = {"none", "noop"},
       .select =
           [&](const std::string& w, const std::string& n) {
             flags.workload = w;
             flags.nemesis = n;
           },
       // The register lives in memory: no node is ever reached, so no remotes.
       .prepare_run =
           [](RunOptions& run, const CommonOptions&) {
             run.open_remotes = nullptr;
             return OkStatus();
           }},
      argc, argv);
}
