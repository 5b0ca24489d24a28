// Command: a shell command line built from parts, with escaping that is right for
// every byte string, so node automation never splices raw strings into a shell.
//
//   Command c{.argv = {"etcd", "--name", node, "--data-dir", "/var/jepsen/etcd"},
//             .cd = "/opt/etcd", .env = {{"ETCD_LOG", "debug"}},
//             .stdout_to = "/var/jepsen/etcd.log", .stderr_to_stdout = true};
//   remote.Exec(c.Render());
//   // cd /opt/etcd && env ETCD_LOG=debug etcd --name n1 ... >/var/jepsen/etcd.log 2>&1
//
// With `sudo`, the whole line (cd, env, redirections) runs under `sudo -k -S -p '' sh -c`,
// reading the sudo password from standard input, never from the command line.
//
// Thread safety: plain values and pure functions.
#ifndef JEPSEN_CONTROL_COMMAND_H_
#define JEPSEN_CONTROL_COMMAND_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

// `s` quoted for sh so that it arrives as exactly one argument with exactly these
// bytes (any bytes but NUL, which no argument can hold). Plain words stay unquoted.
std::string ShellQuote(std::string_view s);

struct Command {
  // The program and its arguments; each is quoted.
  std::vector<std::string> argv;
  // Environment variables for the program.
  std::vector<std::pair<std::string, std::string>> env;
  // Directory to run in ("" : the current one).
  std::string cd;
  // Run as root (or `sudo_user`) through sudo.
  bool sudo = false;
  std::string sudo_user;
  // Redirections ("" : none).
  std::string stdin_from;
  std::string stdout_to;
  bool stdout_append = false;
  std::string stderr_to;
  bool stderr_to_stdout = false;
  // Raw shell text appended after the arguments, unquoted (for pipes and globs the
  // caller builds with ShellQuote itself). Use sparingly.
  std::string raw_suffix;

  // The sh command line.
  std::string Render() const;
};

// "a | b | c" of rendered commands.
std::string Pipeline(const std::vector<Command>& commands);

// A command that exited nonzero, as an error carrying the command, the exit code and
// both outputs (trimmed to their last 2 KiB).
Status CommandError(const std::string& command, const CommandResult& result);

// Runs `command` on `remote`; a nonzero exit is an error (CommandError).
Result<CommandResult> Run(Remote& remote, const Command& command);
Result<CommandResult> Run(Remote& remote, const std::string& command);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_COMMAND_H_
