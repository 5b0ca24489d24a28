// Remote: runs commands on, and copies files to and from, one node.
//
// The runner opens one Remote per node (SSH to real machines, or an exec into a local
// node) and DB, OS and nemesis code drives the node only through it, so the same suite
// runs against a cluster or a laptop.
//
// Thread safety: implementations allow concurrent calls from several threads.
#ifndef JEPSEN_REMOTE_H_
#define JEPSEN_REMOTE_H_

#include <memory>
#include <string>

#include "jepsen/status.h"

namespace jepsen {

struct CommandResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

class Remote {
 public:
  virtual ~Remote() = default;
  Remote() = default;
  Remote(const Remote&) = delete;
  Remote& operator=(const Remote&) = delete;

  // Runs `command` with sh -c on the node. A nonzero exit is not an error here: the
  // caller reads exit_code. Errors: the transport failed (kUnavailable).
  virtual Result<CommandResult> Exec(const std::string& command) = 0;
  // Copies a local file or directory tree to the node, and back. The destination path
  // is the copy itself (a directory is created or merged into); permission bits are
  // kept. Errors: kNotFound (no such source), kUnavailable (the transport failed).
  virtual Status Upload(const std::string& local_path, const std::string& remote_path) = 0;
  virtual Status Download(const std::string& remote_path, const std::string& local_path) = 0;
};

}  // namespace jepsen

#endif  // JEPSEN_REMOTE_H_
