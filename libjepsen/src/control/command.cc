#include "jepsen/control/command.h"

#include <fmt/format.h>

namespace jepsen {
namespace {

bool IsPlain(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == ',' ||
              c == '+' || c == '@' || c == '%';
    if (!ok) return false;
  }
  return true;
}

std::string Tail(const std::string& s) {
  constexpr size_t kMax = 2048;
  return s.size() <= kMax ? s : "..." + s.substr(s.size() - kMax);
}

}  // namespace

std::string ShellQuote(std::string_view s) {
  if (IsPlain(s)) return std::string(s);
  // Inside single quotes every byte is literal except the quote itself, which is
  // closed, escaped and reopened: ' -> '\''.
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string Command::Render() const {
  std::string line;
  // cd takes "-" and "-x" as options: such relative names get a "./".
  if (!cd.empty()) line += "cd " + ShellQuote(cd[0] == '-' ? "./" + cd : cd) + " && ";
  if (!env.empty()) {
    line += "env";
    for (const auto& [k, v] : env) line += " " + ShellQuote(k + "=" + v);
    line += ' ';
  }
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i > 0) line += ' ';
    line += ShellQuote(argv[i]);
  }
  if (!raw_suffix.empty()) line += (line.empty() ? "" : " ") + raw_suffix;
  if (!stdin_from.empty()) line += " <" + ShellQuote(stdin_from);
  if (!stdout_to.empty()) line += (stdout_append ? " >>" : " >") + ShellQuote(stdout_to);
  if (!stderr_to.empty()) line += " 2>" + ShellQuote(stderr_to);
  if (stderr_to_stdout) line += " 2>&1";
  if (!sudo) return line;
  // -k: always ask, so the password on stdin is read by sudo, never by the command.
  std::string prefix = "sudo -k -S -p '' ";
  if (!sudo_user.empty()) prefix += "-u " + ShellQuote(sudo_user) + " ";
  return prefix + "sh -c " + ShellQuote(line);
}

std::string Pipeline(const std::vector<Command>& commands) {
  std::string out;
  for (size_t i = 0; i < commands.size(); ++i) {
    if (i > 0) out += " | ";
    out += commands[i].Render();
  }
  return out;
}

Status CommandError(const std::string& command, const CommandResult& r) {
  return FailedPreconditionError(fmt::format(
      "command exited {}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}", r.exit_code, command,
      Tail(r.out), Tail(r.err)));
}

Result<CommandResult> Run(Remote& remote, const std::string& command) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote.Exec(command));
  if (r.exit_code != 0) return CommandError(command, r);
  return r;
}

Result<CommandResult> Run(Remote& remote, const Command& command) {
  return Run(remote, command.Render());
}

}  // namespace jepsen
