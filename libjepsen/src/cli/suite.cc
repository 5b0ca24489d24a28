#include "jepsen/cli/suite.h"

#include <charconv>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "jepsen/control/local_remote.h"
#include "jepsen/json.h"
#include "jepsen/local_cluster.h"
#include "jepsen/report.h"
#include "jepsen/os/by_name.h"
#include "jepsen/ssh_remote.h"
#include "jepsen/store.h"
#include "jepsen/web/serve.h"

namespace jepsen {
namespace {

// The command line as stored in test.json (and shown by index.html and `serve`), with
// the values of --password and --sudo-password replaced: secrets never reach the store.
std::vector<std::string> RedactSecrets(const std::vector<std::string>& args) {
  std::vector<std::string> out = args;
  for (size_t i = 0; i < out.size(); ++i) {
    for (const char* flag : {"--password", "--sudo-password"}) {
      const std::string f(flag);
      if (out[i] == f && i + 1 < out.size()) {
        out[++i] = "<redacted>";
        break;
      }
      if (out[i].rfind(f + "=", 0) == 0) {
        out[i] = f + "=<redacted>";
        break;
      }
    }
  }
  return out;
}

std::string Trim(std::string s) {
  size_t a = s.find_first_not_of(" \t\r");
  size_t b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// Raw values of the common flags, before resolution.
struct RawCommon {
  std::vector<std::string> nodes;
  std::string nodes_file;
  std::string concurrency = "1n";
  int64_t time_limit = 60;
  int64_t test_count = 1;
  int64_t ssh_port = 22;
  int64_t ssh_command_timeout = 0;
  int64_t op_timeout_ms = 0;
  int64_t local_cluster = 0;
  int64_t check_time_limit = 3600;
  int64_t check_memory_limit_mb = 4096;
  std::string seed;
  CommonOptions out;
};

void AddCommonFlags(FlagSet& f, RawCommon& raw) {
  f.List("nodes", &raw.nodes, "N1,N2,...", "the nodes to test (default n1..n5)");
  f.String("nodes-file", &raw.nodes_file, "FILE",
           "a file with one node per line (a name, optionally followed by its address)");
  f.String("username", &raw.out.ssh.username, "USER", "SSH user");
  f.String("password", &raw.out.ssh.password, "PASS", "SSH password (default: key authentication)");
  f.String("sudo-password", &raw.out.ssh.sudo_password, "PASS", "password for sudo on the nodes");
  f.String("ssh-private-key", &raw.out.ssh.private_key, "FILE", "SSH private key");
  f.Int("ssh-port", &raw.ssh_port, "PORT", "SSH port");
  f.Int("ssh-command-timeout", &raw.ssh_command_timeout, "SECONDS",
        "fail a node command still running after this long (0: no limit)");
  f.Bool("strict-host-key-checking", &raw.out.ssh.strict_host_key_checking,
         "check host keys against known_hosts");
  f.String("known-hosts", &raw.out.ssh.known_hosts, "FILE",
           "the known_hosts file for --strict-host-key-checking (default ~/.ssh/known_hosts)");
  f.Bool("no-ssh", &raw.out.ssh.no_ssh, "run node commands on this machine instead of over SSH");
  f.String("concurrency", &raw.concurrency, "N|Kn",
           "client threads: a number, or K times the number of nodes (3n)");
  f.Int("time-limit", &raw.time_limit, "SECONDS", "how long the main phase runs");
  f.Int("test-count", &raw.test_count, "N", "how many times to run the test");
  f.Bool("leave-db-running", &raw.out.leave_db_running, "do not tear the database down at the end");
  f.String("seed", &raw.seed, "N", "seed of every random choice (default: random, logged)");
  f.String("store", &raw.out.store, "DIR", "where runs are stored");
  f.Bool("logging-json", &raw.out.logging_json, "log JSON objects instead of text lines");
  f.Int("op-timeout", &raw.op_timeout_ms, "MS",
        "record ops running longer than this as info (0: wait forever)");
  f.Int("check-time-limit", &raw.check_time_limit, "SECONDS",
        "give up checking the history after this long: verdict unknown, the history "
        "kept for `analyze` (0: no limit)");
  f.Int("check-memory-limit", &raw.check_memory_limit_mb, "MB",
        "give up checking (verdict unknown) rather than use more memory (0: no limit)");
  f.String("os", &raw.out.os, "NAME",
           "prepare each node's OS before the database: none, debian (apt-get the "
           "missing packages, /etc/hosts naming every node) or centos (yum)");
  f.Int("local-cluster", &raw.local_cluster, "N",
        "bring up (or reuse) N isolated nodes on this machine and test them (root)");
  LocalClusterOptions& lc = raw.out.local_cluster_options;
  f.String("local-cluster-dir", &lc.dir, "DIR",
           "--local-cluster: where it keeps keys and node directories (as `jepsen cluster --dir`)");
  f.String("local-cluster-name", &lc.name, "NAME",
           "--local-cluster: prefix of its bridge, namespaces and veths");
  f.String("local-cluster-subnet", &lc.subnet, "A.B.C", "--local-cluster: its private /24");
  f.String("local-cluster-data-path", &lc.data_path, "PATH",
           "--local-cluster: the node-private directory inside every node");
}

// Resolves raw flags into CommonOptions; an error message or "".
std::string Resolve(RawCommon& raw) {
  CommonOptions& o = raw.out;
  o.nodes = raw.nodes;
  if (!raw.nodes_file.empty()) {
    std::ifstream in(raw.nodes_file);
    if (!in) return fmt::format("cannot read --nodes-file {}", raw.nodes_file);
    std::string line;
    while (std::getline(in, line)) {
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      size_t space = line.find_first_of(" \t");
      std::string name = line.substr(0, space);
      o.nodes.push_back(name);
      if (space != std::string::npos) o.addresses[name] = Trim(line.substr(space));
    }
  }
  if (Result<std::unique_ptr<Os>> os = MakeOsByName(o.os, {}, false); !os.ok()) {
    return std::string(os.status().message());
  }
  if (raw.local_cluster < 0 || raw.local_cluster > 250) return "--local-cluster takes 1 to 250 nodes";
  o.local_cluster = static_cast<int>(raw.local_cluster);
  if (o.local_cluster > 0) {
    LocalClusterOptions& lc = o.local_cluster_options;
    lc.nodes = o.local_cluster;
    o.nodes.clear();
    for (int i = 1; i <= o.local_cluster; ++i) {
      std::string name = fmt::format("n{}", i);
      o.nodes.push_back(name);
      o.addresses[name] = fmt::format("{}.{}", lc.subnet, i);
    }
    o.ssh.username = "root";
    o.ssh.private_key = lc.dir + "/id_ed25519";
  }
  if (o.nodes.empty()) o.nodes = {"n1", "n2", "n3", "n4", "n5"};
  std::string_view c = raw.concurrency;
  bool per_node = !c.empty() && c.back() == 'n';
  if (per_node) c.remove_suffix(1);
  int64_t k = per_node && c.empty() ? 1 : 0;
  if (!c.empty()) {
    auto r = std::from_chars(c.data(), c.data() + c.size(), k);
    if (r.ec != std::errc() || r.ptr != c.data() + c.size() || k <= 0) {
      return fmt::format("--concurrency expects a positive number or Kn, not '{}'", raw.concurrency);
    }
  }
  o.concurrency = static_cast<int>(per_node ? k * static_cast<int64_t>(o.nodes.size()) : k);
  if (raw.time_limit <= 0) return "--time-limit must be positive";
  o.time_limit = std::chrono::seconds(raw.time_limit);
  if (raw.test_count <= 0) return "--test-count must be positive";
  o.test_count = raw.test_count;
  if (raw.ssh_port <= 0 || raw.ssh_port > 65535) return "--ssh-port must be 1-65535";
  o.ssh.port = static_cast<int>(raw.ssh_port);
  if (raw.ssh_command_timeout < 0) return "--ssh-command-timeout must not be negative";
  // In milliseconds inside the SSH remote: keep far away from overflow.
  if (raw.ssh_command_timeout > 1'000'000'000) return "--ssh-command-timeout must be at most 1000000000";
  o.ssh.command_timeout = std::chrono::seconds(raw.ssh_command_timeout);
  if (raw.check_time_limit < 0 || raw.check_time_limit > 1'000'000'000) {
    return "--check-time-limit must be 0 to 1000000000";
  }
  o.check_time_limit = std::chrono::seconds(raw.check_time_limit);
  if (raw.check_memory_limit_mb < 0 || raw.check_memory_limit_mb > (int64_t{1} << 30)) {
    return "--check-memory-limit must be 0 to 1073741824";
  }
  o.check_memory_limit_bytes = static_cast<uint64_t>(raw.check_memory_limit_mb) << 20;
  if (raw.op_timeout_ms < 0) return "--op-timeout must not be negative";
  o.op_timeout = std::chrono::milliseconds(raw.op_timeout_ms);
  if (raw.seed.empty()) {
    o.seed = std::random_device()() ^
             static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  } else {
    auto r = std::from_chars(raw.seed.data(), raw.seed.data() + raw.seed.size(), o.seed);
    if (r.ec != std::errc() || r.ptr != raw.seed.data() + raw.seed.size()) {
      return fmt::format("--seed expects a non-negative integer, not '{}'", raw.seed);
    }
  }
  return "";
}

struct Parsed {
  CommonOptions options;
  std::vector<std::string> positional;
  bool help = false;
  std::string help_text;
};

// Parses `args` (after the subcommand) with the common and suite flags.
Result<Parsed> Parse(const Suite& suite, const std::string& command,
                     const std::vector<std::string>& args) {
  RawCommon raw;
  FlagSet flags(fmt::format("{} {} [options]", suite.name, command));
  AddCommonFlags(flags, raw);
  if (suite.add_flags) suite.add_flags(flags);
  Parsed out;
  Result<std::vector<std::string>> positional = flags.Parse(args);
  out.help_text = flags.Help();
  if (flags.help_requested()) {
    out.help = true;
    return out;
  }
  if (!positional.ok()) return positional.status();
  out.positional = *positional;
  if (std::string err = Resolve(raw); !err.empty()) return InvalidArgumentError(err);
  if (suite.validate) {
    if (std::string err = suite.validate(); !err.empty()) return InvalidArgumentError(err);
  }
  out.options = raw.out;
  return out;
}

// Remotes for every node: SSH (to its address), this machine (--no-ssh), or the
// namespaces of a local cluster's node (--local-cluster with --no-ssh).
Status OpenDefaultRemotes(Test& test, const CommonOptions& options) {
  std::map<std::string, int> node_pids;
  if (options.local_cluster > 0) {
    JEPSEN_ASSIGN_OR_RETURN(LocalCluster c, LocalClusterStatus(options.local_cluster_options));
    for (const LocalNode& n : c.nodes) node_pids[n.name] = n.pid;
  }
  for (size_t i = 0; i < test.nodes.size(); ++i) {
    const std::string& node = test.nodes[i];
    if (options.ssh.no_ssh) {
      test.remotes[node] = node_pids.count(node) ? MakeNamespaceRemote(node_pids[node])
                                                 : MakeLocalRemote();
      continue;
    }
    JEPSEN_ASSIGN_OR_RETURN(test.remotes[node], OpenSshRemote(options.ssh, test.AddressOf(node),
                                                              test.seed + i, test.logger));
  }
  return OkStatus();
}

int RunOnce(const Suite& suite, const CommonOptions& options, std::string* verdict) {
  if (options.local_cluster > 0) {
    Result<LocalCluster> c = LocalClusterUp(options.local_cluster_options);
    if (!c.ok()) {
      fmt::print(stderr, "{}: {}\n", suite.name, c.status().message());
      return kExitCrash;
    }
  }
  Result<Test> test = suite.build(options);
  if (!test.ok()) {
    fmt::print(stderr, "{}: {}\n", suite.name, test.status().message());
    return test.status().code() == StatusCode::kInvalidArgument ? kExitBadArguments : kExitCrash;
  }
  // The common flags say how nodes are reached, for every suite.
  test->ssh = options.ssh;
  test->addresses = options.addresses;
  if (options.os != "none") {
    Result<std::unique_ptr<Os>> os =
        MakeOsByName(options.os, options.addresses, test->NodeCommandsNeedSudo());
    if (!os.ok()) {
      fmt::print(stderr, "{}: {}\n", suite.name, os.status().message());
      return kExitBadArguments;
    }
    test->os = std::move(*os);
  }
  test->seed = options.seed;
  test->argv = options.argv;
  test->store_dir = options.store;
  test->leave_db_running = options.leave_db_running;
  RunOptions run{.op_timeout = options.op_timeout,
                 .logging_json = options.logging_json,
                 .check_time_limit = options.check_time_limit,
                 .check_memory_limit_bytes = options.check_memory_limit_bytes};
  run.open_remotes = [&options](Test& t) { return OpenDefaultRemotes(t, options); };
  if (suite.prepare_run) {
    Status s = suite.prepare_run(run, options);
    if (!s.ok()) {
      fmt::print(stderr, "{}: {}\n", suite.name, s.message());
      return kExitCrash;
    }
  }
  Result<RunResult> r = Run(*test, run);
  if (!r.ok()) {
    fmt::print(stderr, "{}: the test crashed: {}\n", suite.name, r.status().message());
    *verdict = "crashed";
    return kExitCrash;
  }
  *verdict = std::string(ValidityName(r->result.validity));
  fmt::print("{}: {} ({} ops){}\n", test->name, *verdict, r->history.size(),
             r->run_dir.empty() ? "" : "; results in " + r->run_dir);
  if (const Value* why = r->result.details.Find("explanation"); why && why->is_string()) {
    fmt::print("  {}\n", why->AsString());
  }
  if (r->interrupted) return kExitUnknown;
  return ExitCodeFor(r->result.validity);
}

int TestCommand(const Suite& suite, const Parsed& p) {
  int code = kExitValid;
  for (int64_t i = 0; i < p.options.test_count; ++i) {
    std::string verdict;
    code = WorseExitCode(code, RunOnce(suite, p.options, &verdict));
    if (code == kExitCrash || code == kExitBadArguments) break;
  }
  return code;
}

int TestAllCommand(const Suite& suite, const Parsed& p) {
  if (!suite.select || suite.workloads.empty()) {
    fmt::print(stderr, "{}: this suite lists no workloads for test-all\n", suite.name);
    return kExitBadArguments;
  }
  std::vector<std::string> nemeses = suite.nemeses.empty() ? std::vector<std::string>{""} : suite.nemeses;
  std::vector<std::string> summary;
  int code = kExitValid;
  for (const std::string& w : suite.workloads) {
    for (const std::string& n : nemeses) {
      suite.select(w, n);
      for (int64_t i = 0; i < p.options.test_count; ++i) {
        std::string verdict;
        code = WorseExitCode(code, RunOnce(suite, p.options, &verdict));
        summary.push_back(fmt::format("  {:<16} {:<16} {}", w, n, verdict));
      }
    }
  }
  fmt::print("\n{} test-all:\n", suite.name);
  for (const auto& line : summary) fmt::print("{}\n", line);
  return code;
}

int AnalyzeCommand(const Suite& suite, const Parsed& p) {
  std::string dir = p.positional.empty() ? p.options.store + "/latest" : p.positional[0];
  Result<StoredRun> run = LoadRun(dir);
  if (!run.ok()) {
    fmt::print(stderr, "{}: {}\n", suite.name, run.status().message());
    return kExitBadArguments;
  }
  // Rebuild the test from the command line that made it.
  std::vector<std::string> argv;
  if (const Value* stored = run->test.Find(Value::String("argv")); stored) {
    for (const Value& a : stored->elements()) argv.emplace_back(a.AsString());
  }
  if (argv.size() < 2) {
    fmt::print(stderr, "{}: {}/test.json has no command line to rebuild the test from\n",
               suite.name, run->dir);
    return kExitBadArguments;
  }
  Result<Parsed> original = Parse(suite, argv[1], {argv.begin() + 2, argv.end()});
  if (!original.ok()) {
    fmt::print(stderr, "{}: cannot rebuild the test: {}\n", suite.name, original.status().message());
    return kExitBadArguments;
  }
  Result<Test> test = suite.build(original->options);
  if (!test.ok()) {
    fmt::print(stderr, "{}: {}\n", suite.name, test.status().message());
    return kExitBadArguments;
  }
  // The limits of this command line, not the stored run's: analyze is how a run whose
  // check gave up is checked again with more time.
  CheckContext context{.out_dir = run->dir,
                       .nodes = test->nodes,
                       .time_limit = p.options.check_time_limit,
                       .memory_limit_bytes = p.options.check_memory_limit_bytes};
  CheckResult result = test->checker ? test->checker->Check(context, run->history) : CheckResult{};
  std::string edn = result.ToValue().ToEdn() + "\n";
  std::ofstream(run->dir + "/results.edn") << edn;
  std::string json;
  AppendPlainJson(json, result.ToValue());
  std::ofstream(run->dir + "/results.json") << json << "\n";
  fmt::print("{}: {} ({} ops, re-checked)\n", run->dir, ValidityName(result.validity),
             run->history.size());
  Result<std::vector<std::string>> reports =
      WriteReports(run->dir, run->history, {.test = run->test, .results = result.ToValue()});
  if (reports.ok()) {
    fmt::print("{}: report in {}/index.html\n", suite.name, run->dir);
  } else {
    fmt::print(stderr, "{}: writing the reports: {}\n", suite.name, reports.status().message());
  }
  return ExitCodeFor(result.validity);
}

}  // namespace

int SuiteMain(const Suite& suite, const std::vector<std::string>& args) {
  std::string usage = fmt::format(
      "usage: {} COMMAND [options]\n\n{}\n\ncommands:\n"
      "  test       run the test\n"
      "  test-all   run every workload and nemesis combination\n"
      "  analyze    re-check a stored run (default: the latest)\n"
      "  serve      browse the stored runs over HTTP (--store, --port, --host)\n\n"
      "`{} COMMAND --help` lists the options.\n"
      "Network faults are iptables rules (partitions; packet loss with the statistic\n"
      "match) and tbf bandwidth limits. This kernel has no netem: no added latency,\n"
      "jitter, reordering or duplication is offered.\n"
      "Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 crash.\n",
      suite.name, suite.description, suite.name);
  if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
    fmt::print(args.size() < 2 ? stderr : stdout, "{}", usage);
    return args.size() < 2 ? kExitBadArguments : kExitValid;
  }
  const std::string& command = args[1];
  if (command == "serve") {
    return web::ServeMain(suite.name + " serve", {args.begin() + 2, args.end()});
  }
  if (command != "test" && command != "test-all" && command != "analyze") {
    fmt::print(stderr, "{}: unknown command '{}'\n\n{}", suite.name, command, usage);
    return kExitBadArguments;
  }
  try {
    Result<Parsed> p = Parse(suite, command, {args.begin() + 2, args.end()});
    if (!p.ok()) {
      fmt::print(stderr, "{}: {}\n", suite.name, p.status().message());
      return kExitBadArguments;
    }
    if (p->help) {
      fmt::print("{}", p->help_text);
      return kExitValid;
    }
    p->options.argv = RedactSecrets(args);
    if (command == "test") return TestCommand(suite, *p);
    if (command == "test-all") return TestAllCommand(suite, *p);
    return AnalyzeCommand(suite, *p);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", suite.name, e.what());
    return kExitCrash;
  }
}

int SuiteMain(const Suite& suite, int argc, char** argv) {
  return SuiteMain(suite, std::vector<std::string>(argv, argv + argc));
}

}  // namespace jepsen
