// Db: installs, starts and removes the database on each node, and the optional
// capabilities nemeses use (kill, pause, primaries, log files).
//
// Setup and Teardown run on every node in parallel; Setup may call
// `test.Barrier()` (runner.h) for steps that must happen cluster-wide. Capabilities are
// separate interfaces a Db may also implement, found with Capability<T>(db):
//
//   if (auto* k = Capability<Killable>(db)) JEPSEN_RETURN_IF_ERROR(k->Kill(test, node));
//
// Thread safety: Setup, Teardown and the capabilities are called concurrently for
// different nodes.
#ifndef JEPSEN_DB_H_
#define JEPSEN_DB_H_

#include <memory>
#include <string>
#include <vector>

#include "jepsen/status.h"

namespace jepsen {

struct Test;

class Db {
 public:
  virtual ~Db() = default;
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  virtual Status Setup(const Test& test, const std::string& node) = 0;
  virtual Status Teardown(const Test& test, const std::string& node) = 0;
};

// Processes that can be killed and restarted.
class Killable {
 public:
  virtual ~Killable() = default;
  virtual Status Start(const Test& test, const std::string& node) = 0;
  virtual Status Kill(const Test& test, const std::string& node) = 0;
};

// Processes that can be paused (SIGSTOP) and resumed (SIGCONT).
class Pausable {
 public:
  virtual ~Pausable() = default;
  virtual Status Pause(const Test& test, const std::string& node) = 0;
  virtual Status Resume(const Test& test, const std::string& node) = 0;
};

// Databases with a leader or primaries.
class HasPrimaries {
 public:
  virtual ~HasPrimaries() = default;
  // The nodes that are primaries now (possibly none during an election).
  virtual Result<std::vector<std::string>> Primaries(const Test& test) = 0;
};

// Databases whose log files the runner downloads into the store.
class HasLogFiles {
 public:
  virtual ~HasLogFiles() = default;
  // Paths on `node` of the files to download.
  virtual std::vector<std::string> LogFiles(const Test& test, const std::string& node) = 0;
};

// The capability T of `db`, or nullptr if it has none.
template <typename T>
T* Capability(Db* db) {
  return dynamic_cast<T*>(db);
}

// A database that does nothing (for tests and for clients of an existing cluster).
std::unique_ptr<Db> MakeNoopDb();

}  // namespace jepsen

#endif  // JEPSEN_DB_H_
