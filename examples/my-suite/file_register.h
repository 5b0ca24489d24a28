// The system under test: registers kept in files on the nodes, one file per key, each
// key on one node (its owner). Every read and write goes through the node's Remote,
// so the same code drives this machine (--no-ssh), a local cluster or real machines.
#ifndef MY_SUITE_FILE_REGISTER_H_
#define MY_SUITE_FILE_REGISTER_H_

#include <memory>
#include <string>

#include "jepsen/client.h"
#include "jepsen/db.h"
#include "jepsen/test.h"

namespace my_suite {

struct RegisterOptions {
  // Where the register files live on every node.
  std::string dir = "/var/jepsen/my-suite";
  // Skip the lock and write in place: a deliberately broken store, to watch the
  // checker catch it.
  bool unsafe = false;
};

// The node that holds `key`: keys are spread over the nodes round-robin.
std::string OwnerOf(const jepsen::Test& test, int64_t key);

// Creates the register directory on each node (once every node has torn down) and
// removes it on teardown.
std::unique_ptr<jepsen::Db> MakeFileRegisterDb(RegisterOptions options);

// read, write and cas on [key value] ops, through the owner node's Remote.
std::unique_ptr<jepsen::Client> MakeFileRegisterClient(RegisterOptions options);

}  // namespace my_suite

#endif  // MY_SUITE_FILE_REGISTER_H_
