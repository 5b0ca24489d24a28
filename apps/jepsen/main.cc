// jepsen: the suite-independent command line (history tools now; check, serve and
// cluster as they land).
#include <fmt/format.h>

#include <exception>
#include <string>
#include <vector>

#include "exit_codes.h"
#include "check_command.h"
#include "cluster_command.h"
#include "history_command.h"
#include "serve_command.h"

namespace {

constexpr const char* kUsage = R"(usage: jepsen COMMAND ...

commands:
  check --checker NAME FILE...   check histories (linearizable, list-append, ...)
  history stats FILE        summarise a history (edn, jsonl or txt)
  history convert IN OUT    convert a history between formats
  cluster up|down|status|exec   a cluster of isolated nodes on this machine (root)
  serve [--store DIR] [--port 8080] [--host 127.0.0.1]   browse stored runs

Run `jepsen COMMAND --help` for a command's options.
Exit codes: 0 ok/valid, 1 invalid, 2 unknown, 254 bad arguments or input, 255 crash.
)";

int Run(const std::vector<std::string>& args) {
  if (args.empty()) {
    fmt::print(stderr, "{}", kUsage);
    return jepsen::app::kExitBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    fmt::print("{}", kUsage);
    return jepsen::kExitValid;
  }
  if (args[0] == "check") return jepsen::app::RunCheckCommand({args.begin() + 1, args.end()});
  if (args[0] == "cluster") {
    return jepsen::app::RunClusterCommand({args.begin() + 1, args.end()});
  }
  if (args[0] == "serve") {
    return jepsen::app::RunServeCommand({args.begin() + 1, args.end()});
  }
  if (args[0] == "history") {
    return jepsen::app::RunHistoryCommand({args.begin() + 1, args.end()});
  }
  fmt::print(stderr, "jepsen: unknown command '{}'\n\n{}", args[0], kUsage);
  return jepsen::app::kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const std::exception& e) {
    fmt::print(stderr, "jepsen: internal error: {}\n", e.what());
    return jepsen::kExitCrash;
  }
}
