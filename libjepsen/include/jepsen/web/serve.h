// `serve`: the results browser's command line, shared by `jepsen serve` and every
// suite app's `serve` subcommand.
//
//   jepsen serve [--store DIR] [--port 8080] [--host 127.0.0.1] [--threads 8]
//   [--access-log]
//
// Prints the URL, serves until SIGINT or SIGTERM, then stops cleanly.
// Exit codes: 0 stopped by a signal, 254 bad arguments (or no such store directory),
// 255 the address cannot be bound or another failure.
//
// Thread safety: call from the main thread; it blocks SIGINT and SIGTERM while it runs
// (restoring the signal mask before returning).
#ifndef JEPSEN_WEB_SERVE_H_
#define JEPSEN_WEB_SERVE_H_

#include <string>
#include <vector>

namespace jepsen::web {

// Runs the serve command; `program` names it in messages ("jepsen serve"), `args` are
// the arguments after it. Returns the exit code.
int ServeMain(const std::string& program, const std::vector<std::string>& args);

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_SERVE_H_
