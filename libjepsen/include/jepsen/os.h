// Os: prepares a node's operating system before the database (packages, hostnames).
//
// Thread safety: Setup and Teardown run concurrently for different nodes.
#ifndef JEPSEN_OS_H_
#define JEPSEN_OS_H_

#include <memory>
#include <string>

#include "jepsen/status.h"

namespace jepsen {

struct Test;

class Os {
 public:
  virtual ~Os() = default;
  Os() = default;
  Os(const Os&) = delete;
  Os& operator=(const Os&) = delete;

  virtual Status Setup(const Test& test, const std::string& node) = 0;
  virtual Status Teardown(const Test& test, const std::string& node) = 0;
};

// Leaves the OS alone.
std::unique_ptr<Os> MakeNoopOs();

}  // namespace jepsen

#endif  // JEPSEN_OS_H_
