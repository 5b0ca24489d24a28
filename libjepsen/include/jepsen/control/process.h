// RunProcess: runs a program on this machine and collects what it printed.
//
//   Result<CommandResult> r = RunProcess({"ip", "netns", "list"});
//
// No shell is involved: argv goes to execvp as it is. Standard input is `input`
// (then closed). A `timeout` kills the program (SIGKILL) and returns kDeadlineExceeded.
//
// Thread safety: callable from any thread.
#ifndef JEPSEN_CONTROL_PROCESS_H_
#define JEPSEN_CONTROL_PROCESS_H_

#include <chrono>
#include <string>
#include <vector>

#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

struct ProcessOptions {
  std::string input;                      // written to the program's stdin
  std::chrono::milliseconds timeout{0};   // 0: none
};

// Errors: the program cannot be started (kNotFound), times out, or I/O fails. A
// nonzero exit is not an error; a death by signal is exit code 128 + signal.
Result<CommandResult> RunProcess(const std::vector<std::string>& argv,
                                 const ProcessOptions& options = {});

// Starts `argv` detached (new session, stdio to `log_path` or /dev/null) and returns
// its pid without waiting.
Result<int> SpawnDetached(const std::vector<std::string>& argv, const std::string& log_path);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_PROCESS_H_
