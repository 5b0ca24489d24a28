#include "cluster_command.h"

#include <algorithm>

#include <fmt/format.h>

#include "exit_codes.h"
#include "jepsen/cli/flags.h"
#include "jepsen/control/command.h"
#include "jepsen/control/local_remote.h"
#include "jepsen/local_cluster.h"

namespace jepsen::app {
namespace {

void AddFlags(FlagSet& f, LocalClusterOptions& o, int64_t& nodes) {
  f.Int("nodes", &nodes, "N", "how many nodes (n1..nN)");
  f.String("dir", &o.dir, "DIR", "where the cluster keeps keys and node directories");
  f.String("subnet", &o.subnet, "A.B.C", "the cluster's private /24 (nodes .1..N, host .254)");
  f.String("name", &o.name, "NAME", "prefix of the bridge, namespaces and veths");
  f.String("data-path", &o.data_path, "PATH", "the node-private directory inside every node");
}

void PrintNodes(const LocalCluster& c) {
  for (const LocalNode& n : c.nodes) {
    fmt::print("{:<4} {:<15} {:<5} {}\n", n.name, n.address, n.up ? "up" : "down",
               n.up ? fmt::format("pid {}", n.pid) : "");
  }
}

}  // namespace

int RunClusterCommand(const std::vector<std::string>& args) {
  const char* usage =
      "usage: jepsen cluster up|down|status [--nodes N] [options]\n"
      "       jepsen cluster exec NODE [options] -- PROGRAM ARG...\n"
      "       jepsen cluster exec NODE [options] -- 'SHELL LINE'\n\n"
      "A cluster of isolated nodes on this machine (needs root): network, PID, UTS and\n"
      "mount namespaces, a bridge, an sshd per node. `up` reuses a matching cluster;\n"
      "down, status and exec take the size, subnet, name and data path the cluster in\n"
      "--dir was brought up with. exec exits with the command's exit code.\n"
      "Faults on the nodes: partitions and packet loss (iptables, statistic match) and\n"
      "bandwidth limits (tbf). This kernel has no netem: no added latency, jitter,\n"
      "reordering or duplication.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    fmt::print(args.empty() ? stderr : stdout, "{}", usage);
    return args.empty() ? kExitBadInput : kExitValid;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  std::vector<std::string> exec_argv;
  if (command == "exec") {
    auto dashes = std::find(rest.begin(), rest.end(), "--");
    if (dashes == rest.end() || dashes + 1 == rest.end()) {
      fmt::print(stderr, "jepsen cluster exec NODE -- COMMAND...\n");
      return kExitBadInput;
    }
    exec_argv.assign(dashes + 1, rest.end());
    rest.erase(dashes, rest.end());
  }
  LocalClusterOptions o;
  int64_t nodes = o.nodes;
  FlagSet flags(fmt::format("jepsen cluster {} [options]", command));
  AddFlags(flags, o, nodes);
  Result<std::vector<std::string>> positional = flags.Parse(rest);
  if (flags.help_requested()) {
    fmt::print("{}\n{}", usage, flags.Help());
    return kExitValid;
  }
  if (!positional.ok()) {
    fmt::print(stderr, "jepsen cluster: {}\n", positional.status().message());
    return kExitBadInput;
  }
  o.nodes = static_cast<int>(nodes);
  auto fail = [](const Status& s) {
    fmt::print(stderr, "jepsen cluster: {}\n", s.message());
    return s.code() == StatusCode::kInvalidArgument ? kExitBadInput : kExitCrash;
  };
  if (command != "up") {
    // The running cluster's own size, subnet, name and data path, unless given.
    Result<LocalClusterOptions> recorded = ReadLocalClusterOptions(o.dir);
    if (recorded.ok()) {
      if (!flags.WasSet("nodes")) o.nodes = recorded->nodes;
      if (!flags.WasSet("subnet")) o.subnet = recorded->subnet;
      if (!flags.WasSet("name")) o.name = recorded->name;
      if (!flags.WasSet("data-path")) o.data_path = recorded->data_path;
    } else if (recorded.status().code() != StatusCode::kNotFound) {
      return fail(recorded.status());
    }
  }
  if (command == "up") {
    Result<LocalCluster> c = LocalClusterUp(o);
    if (!c.ok()) return fail(c.status());
    PrintNodes(*c);
    fmt::print("nodes file: {}\nroot key:   {}\n", c->nodes_file, c->key_path);
    return kExitValid;
  }
  if (command == "down") {
    Status s = LocalClusterDown(o);
    if (!s.ok()) return fail(s);
    fmt::print("local cluster {} is down\n", o.name);
    return kExitValid;
  }
  if (command == "status") {
    Result<LocalCluster> c = LocalClusterStatus(o);
    if (!c.ok()) return fail(c.status());
    PrintNodes(*c);
    bool all_up = std::all_of(c->nodes.begin(), c->nodes.end(), [](const LocalNode& n) { return n.up; });
    return all_up ? kExitValid : kExitInvalid;
  }
  if (command == "exec") {
    if (positional->size() != 1) {
      fmt::print(stderr, "jepsen cluster exec takes one NODE\n");
      return kExitBadInput;
    }
    Result<LocalCluster> c = LocalClusterStatus(o);
    if (!c.ok()) return fail(c.status());
    auto node = std::find_if(c->nodes.begin(), c->nodes.end(),
                             [&](const LocalNode& n) { return n.name == (*positional)[0]; });
    if (node == c->nodes.end() || !node->up) {
      fmt::print(stderr, "jepsen cluster: node {} is not up\n", (*positional)[0]);
      return kExitBadInput;
    }
    // One word is a shell line (pipes allowed); several are a program and its arguments.
    std::string cmd = exec_argv.size() == 1 ? exec_argv[0] : Command{.argv = exec_argv}.Render();
    Result<CommandResult> r = MakeNamespaceRemote(node->pid)->Exec(cmd);
    if (!r.ok()) return fail(r.status());
    fmt::print("{}", r->out);
    fmt::print(stderr, "{}", r->err);
    return r->exit_code;
  }
  fmt::print(stderr, "jepsen cluster: unknown command '{}'\n\n{}", command, usage);
  return kExitBadInput;
}

}  // namespace jepsen::app
