#include <fmt/format.h>
#include <signal.h>

#include <cstdio>

#include "jepsen/cli/exit_codes.h"
#include "jepsen/cli/flags.h"
#include "jepsen/web/serve.h"
#include "jepsen/web/server.h"

namespace jepsen::web {

int ServeMain(const std::string& program, const std::vector<std::string>& args) {
  ServerOptions options;
  int64_t port = options.port;
  int64_t threads = options.threads;
  bool access_log = false;
  FlagSet flags(program + " [options]");
  flags.String("store", &options.store_dir, "DIR", "the store directory to browse");
  flags.Int("port", &port, "PORT", "the TCP port (0: any free port; also -p)");
  flags.String(
      "host", &options.host, "HOST",
      "the address to listen on (loopback by default; 0.0.0.0 for every interface; also -b)");
  flags.Int("threads", &threads, "N", "connections served at once");
  flags.Bool("access-log", &access_log, "print one line per request on stderr");
  // Jepsen's serve command spells them -b HOST and -p PORT; suites ported from Clojure
  // keep their users' habits.
  std::vector<std::string> spelled = args;
  for (std::string& a : spelled) {
    if (a == "-b") a = "--host";
    if (a == "-p") a = "--port";
  }
  Result<std::vector<std::string>> positional = flags.Parse(spelled);
  if (flags.help_requested()) {
    fmt::print("{}", flags.Help());
    return kExitValid;
  }
  if (!positional.ok()) {
    fmt::print(stderr, "{}: {}\n", program, positional.status().message());
    return kExitBadArguments;
  }
  if (!positional->empty()) {
    fmt::print(stderr, "{}: unexpected argument '{}'\n", program, (*positional)[0]);
    return kExitBadArguments;
  }
  if (port < 0 || port > 65535) {
    fmt::print(stderr, "{}: --port must be 0-65535, not {}\n", program, port);
    return kExitBadArguments;
  }
  if (threads < 1 || threads > 1024) {
    fmt::print(stderr, "{}: --threads must be 1-1024, not {}\n", program, threads);
    return kExitBadArguments;
  }
  options.port = static_cast<int>(port);
  options.threads = static_cast<int>(threads);
  if (access_log) {
    options.access_log = [](std::string_view line) { fmt::print(stderr, "{}\n", line); };
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask
  // and sigwait below is the only place they are taken.
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);

  Result<std::unique_ptr<Server>> server = Server::Start(options);
  if (!server.ok()) {
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    fmt::print(stderr, "{}: {}\n", program, server.status().message());
    return server.status().code() == StatusCode::kUnavailable ? kExitCrash
                                                              : kExitBadArguments;
  }
  fmt::print("{}: serving {} at {} (Ctrl-C stops)\n", program, options.store_dir,
             (*server)->url());
  std::fflush(stdout);
  int signal = 0;
  while (sigwait(&stop_signals, &signal) != 0) {
  }
  (*server)->Stop();
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  fmt::print("{}: stopped ({})\n", program, signal == SIGINT ? "SIGINT" : "SIGTERM");
  return kExitValid;
}

}  // namespace jepsen::web
