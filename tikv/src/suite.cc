// The tikv-jepsen command line and the seed's tikv-test.
#include "jepsen/tikv/suite.h"

#include <fmt/format.h>

#include <charconv>

#include "jepsen/checker.h"
#include "jepsen/checker/perf.h"
#include "jepsen/os.h"
#include "jepsen/tikv/db.h"
#include "jepsen/tikv/nemesis.h"
#include "jepsen/tikv/workloads.h"

namespace jepsen::tikv {
namespace {

// Clojure's read-string of a positive number: "10", "0.5" or a ratio "1/3".
std::string ParseRate(std::string_view v, double* out) {
  auto number = [](std::string_view s, double* d) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), *d);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
  };
  double d = 0;
  if (size_t slash = v.find('/'); slash != std::string_view::npos) {
    double num = 0, den = 0;
    if (!number(v.substr(0, slash), &num) || !number(v.substr(slash + 1), &den) || den == 0) {
      return fmt::format("--rate expects a positive number, not '{}'", v);
    }
    d = num / den;
  } else if (!number(v, &d)) {
    return fmt::format("--rate expects a positive number, not '{}'", v);
  }
  if (!(d > 0)) return fmt::format("--rate must be a positive number, not '{}'", v);
  *out = d;
  return "";
}

}  // namespace

void RegisterTikvFlags(FlagSet& f, TikvOptions* o) {
  f.String("version", &o->version, "VERSION", "the version of TiKV (e.g. v4.0.9)");
  f.String("workload", &o->workload, "NAME", "the workload to run: register, set, list-append");
  f.Custom("rate", [o](std::string_view v) { return ParseRate(v, &o->rate); }, "HZ",
           "approximate number of requests per second, per thread", "10");
  f.Int("ops-per-key", &o->ops_per_key, "NUM", "maximum number of operations on any given key");
  f.Int("nemesis-interval", &o->nemesis_interval, "SECONDS",
        "roughly how long to wait between nemesis operations");
  f.String("nemesis", &o->nemesis, "SPEC",
           "a comma-separated list of nemesis types, or none (see docs/tikv.md)");
  f.Bool("nemesis-long-recovery", &o->nemesis_long_recovery,
         "every so often, have a long period of no faults, to see whether the cluster recovers");
  f.String("nemesis-schedule", &o->nemesis_schedule, "fixed|random",
           "randomized delays between nemesis actions, or fixed ones");
  f.Int("final-recovery-time", &o->final_recovery_time, "SECONDS",
        "how long to wait for the cluster to stabilize at the end of a test");
  f.String("tarball-url", &o->tarball_url, "URL",
           "an all-in-one TiDB tarball (bin/pd-server, bin/tikv-server), http(s):// or file://");
  f.String("txn-mode", &o->txn_mode, "optimistic|pessimistic", "how transactions begin");
  f.String("db", &o->db, "tikv|existing",
           "install and run PD + TiKV on the nodes, or test a cluster already running");
  f.List("pd-endpoints", &o->pd_endpoints, "HOST:PORT,...",
         "PD endpoints of an existing cluster (default: each node's :2379)");
  f.String("rpc-server", &o->rpc_server, "PATH", "the client server program (the seed's rpc-server)");
  f.Double("client-timeout", &o->client_timeout, "SECONDS", "deadline of every client call");
  f.List("consistency-models", &o->consistency_models, "MODEL,...",
         "models the list-append history must satisfy");
}

std::string ValidateTikvOptions(const TikvOptions& o) {
  const auto& w = WorkloadNames();
  if (std::find(w.begin(), w.end(), o.workload) == w.end()) {
    return fmt::format("--workload must be one of {}, not '{}'", fmt::join(w, ", "), o.workload);
  }
  if (o.ops_per_key <= 0) return "--ops-per-key must be a positive integer";
  if (o.nemesis_interval < 0) return "--nemesis-interval should be a non-negative number";
  if (o.final_recovery_time < 0) return "--final-recovery-time must be a non-negative number";
  if (o.nemesis_schedule != "fixed" && o.nemesis_schedule != "random") {
    return "--nemesis-schedule must be either 'fixed' or 'random'";
  }
  if (Result<std::set<std::string>> n = ParseNemesisSpec(o.nemesis); !n.ok()) {
    return std::string(n.status().message());
  }
  if (o.txn_mode != "optimistic" && o.txn_mode != "pessimistic") {
    return "--txn-mode must be optimistic or pessimistic";
  }
  if (o.db != "tikv" && o.db != "existing") return "--db must be tikv or existing";
  if (o.db == "tikv" && o.version.empty() && o.tarball_url.empty()) {
    return "--db tikv needs --version (e.g. v4.0.9) or --tarball-url";
  }
  if (!o.pd_endpoints.empty() && o.db != "existing") return "--pd-endpoints needs --db existing";
  if (!(o.client_timeout > 0)) return "--client-timeout must be positive";
  return "";
}

std::vector<std::string> NormalizeSeedArgs(const std::vector<std::string>& args) {
  static const std::map<std::string, std::string> kAliases = {
      {"-v", "--version"}, {"-w", "--workload"}, {"-r", "--rate"}, {"-n", "--nodes"},
      {"--node", "--nodes"}};
  std::vector<std::string> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (auto it = kAliases.find(a); it != kAliases.end()) {
      out.push_back(it->second);
      continue;
    }
    if (a.rfind("--node=", 0) == 0) {
      out.push_back("--nodes=" + a.substr(7));
      continue;
    }
    // analyze -t/--test INDEX_OR_PATH: -1 (the default) is the latest run; a path is
    // the run to analyze.
    if ((a == "-t" || a == "--test") && i + 1 < args.size()) {
      const std::string& v = args[++i];
      if (v != "-1") out.push_back(v);
      continue;
    }
    out.push_back(a);
  }
  return out;
}

Result<Test> BuildTikvTest(const CommonOptions& common, const TikvOptions& o) {
  if (std::string err = ValidateTikvOptions(o); !err.empty()) return InvalidArgumentError(err);
  JEPSEN_ASSIGN_OR_RETURN(std::set<std::string> faults, ParseNemesisSpec(o.nemesis));
  if (common.ssh.no_ssh) {
    // Node commands would run on this machine: partitions and process faults would
    // hit it, not the cluster. PD schedulers are HTTP requests and fine.
    for (const std::string& f : ExpandNemesisSpec(faults)) {
      if (f.rfind("partition", 0) == 0 || IsProcessFault(f)) {
        return InvalidArgumentError(fmt::format(
            "--nemesis {} needs the nodes' own shells: with --no-ssh it would act on this "
            "machine (use SSH or --local-cluster)", f));
      }
    }
  }
  if (o.db == "existing") {
    // Process faults work through the suite's own daemons (pidfiles it wrote); a cluster
    // someone else deployed has none, and every such op would be a silent no-op.
    for (const std::string& f : ExpandNemesisSpec(faults)) {
      if (IsProcessFault(f)) {
        return InvalidArgumentError(fmt::format(
            "--nemesis {} kills, pauses or restarts PD/TiKV through the daemons the suite "
            "started: with --db existing there are none (use --db tikv, or partitions and "
            "schedules)", f));
      }
    }
  }
  // The seed's register workload gives every key 10 threads (5 of them reading).
  if (o.workload == "register" && common.concurrency < kRegisterThreadsPerKey) {
    return InvalidArgumentError(fmt::format(
        "--workload register runs {} threads per key: --concurrency must be at least {} "
        "(got {}; e.g. --concurrency 10, or 2n on 5 nodes)",
        kRegisterThreadsPerKey, kRegisterThreadsPerKey, common.concurrency));
  }
  Test test;
  test.name = fmt::format("tikv-{}-{}", o.workload, o.nemesis);
  std::replace(test.name.begin(), test.name.end(), ',', '+');
  test.nodes = common.nodes;
  test.concurrency = common.concurrency;
  test.time_limit = common.time_limit;
  test.os = MakeNoopOs();
  test.db = o.db == "existing" ? MakeExistingDb(o.pd_endpoints)
                               : MakeTikvDb({.version = o.version, .tarball_url = o.tarball_url});
  // The client servers run on this machine: reach PD by the nodes' addresses when
  // they are known (--nodes-file, --local-cluster), else by name.
  std::vector<std::string> endpoints = o.pd_endpoints;
  if (endpoints.empty() && !common.addresses.empty()) {
    for (const auto& n : common.nodes) {
      auto it = common.addresses.find(n);
      endpoints.push_back((it == common.addresses.end() ? n : it->second) + ":2379");
    }
  }
  JEPSEN_ASSIGN_OR_RETURN(
      Workload w,
      MakeWorkload(o.workload,
                   {.rate = o.rate,
                    .ops_per_key = o.ops_per_key,
                    .pessimistic = o.txn_mode == "pessimistic",
                    .consistency_models = o.consistency_models,
                    .server = {.program = o.rpc_server, .type = ClientTypeFor(o.workload)},
                    .pd_endpoints = endpoints,
                    .deadline = std::chrono::milliseconds(static_cast<int64_t>(o.client_timeout * 1000))}));
  NemesisPackage p = MakeTikvNemesisPackage({.faults = faults,
                                             .interval = std::chrono::seconds(o.nemesis_interval),
                                             .long_recovery = o.nemesis_long_recovery,
                                             .fixed_schedule = o.nemesis_schedule == "fixed",
                                             .seed = common.seed});
  test.client = std::move(w.client);
  test.nemesis = std::move(p.nemesis);
  test.nemesis_perf = p.perf;
  test.generator = gen::TimeLimit(common.time_limit, gen::ClientsAndNemesis(w.generator, p.generator));
  // The seed healed and waited only when the workload had final reads; healing always
  // is what its own comment asks for ("stop all problems ... at the end of a test").
  std::vector<Gen> final_phases;
  if (!p.final_generator.empty()) {
    final_phases.push_back(gen::Log("Healing cluster"));
    final_phases.push_back(gen::Nemesis(p.final_generator));
  }
  if (!w.final_generator.empty()) {
    final_phases.push_back(gen::Log("Waiting for recovery"));
    final_phases.push_back(gen::Sleep(std::chrono::seconds(o.final_recovery_time)));
    final_phases.push_back(gen::Clients(w.final_generator));
  }
  if (!final_phases.empty()) test.final_generator = gen::Phases(std::move(final_phases));
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> checkers;
  checkers.emplace_back("perf", MakePerfChecker({.test_name = test.name, .nemesis_perf = p.perf}));
  checkers.emplace_back("workload", std::move(w.checker));
  test.checker = Compose(std::move(checkers));
  auto str = [](const std::string& s) { return Value::String(s); };
  test.options = Value::Map({
      {Value::Keyword("workload"), str(o.workload)},
      {Value::Keyword("nemesis"), str(o.nemesis)},
      {Value::Keyword("db"), str(o.db)},
      {Value::Keyword("version"), str(o.version)},
      {Value::Keyword("txn-mode"), str(o.txn_mode)},
      {Value::Keyword("rate"), Value::Double(o.rate)},
      {Value::Keyword("ops-per-key"), Value::Int(o.ops_per_key)},
      {Value::Keyword("nemesis-interval"), Value::Int(o.nemesis_interval)},
      {Value::Keyword("nemesis-schedule"), str(o.nemesis_schedule)},
      {Value::Keyword("final-recovery-time"), Value::Int(o.final_recovery_time)},
  });
  return test;
}

Suite MakeTikvSuite(TikvOptions* o) {
  std::vector<std::string> nemeses;
  for (const auto& n : NemesisSpecNames()) nemeses.push_back(n);
  return {.name = "tikv-jepsen",
          .description = "Jepsen tests of TiKV (a port of tikv/jepsen-test).",
          .add_flags = [o](FlagSet& f) { RegisterTikvFlags(f, o); },
          // `analyze` validates its own command line, which rebuilds the test from the
          // stored one: leave the --version requirement to build.
          .validate =
              [o] {
                TikvOptions relaxed = *o;
                relaxed.db = "existing";
                relaxed.pd_endpoints.clear();
                return ValidateTikvOptions(relaxed);
              },
          .build = [o](const CommonOptions& c) { return BuildTikvTest(c, *o); },
          .workloads = WorkloadNames(),
          .nemeses = nemeses,
          .select =
              [o](const std::string& w, const std::string& n) {
                o->workload = w;
                o->nemesis = n;
              }};
}

int TikvMain(int argc, char** argv) {
  TikvOptions options;
  std::vector<std::string> args(argv, argv + argc);
  return SuiteMain(MakeTikvSuite(&options), NormalizeSeedArgs(args));
}

}  // namespace jepsen::tikv
