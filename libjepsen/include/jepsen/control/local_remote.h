// Remotes on this machine: plain local execution (--no-ssh), and execution inside a
// local node's namespaces (network, mount, UTS, PID) through nsenter.
//
// Thread safety: concurrent calls are fine.
#ifndef JEPSEN_CONTROL_LOCAL_REMOTE_H_
#define JEPSEN_CONTROL_LOCAL_REMOTE_H_

#include <memory>

#include "jepsen/remote.h"

namespace jepsen {

// Runs commands with sh -c on this machine; files are copied locally.
std::unique_ptr<Remote> MakeLocalRemote();

// Runs commands inside the namespaces of process `pid` (a local node's init), so they
// see the node's network, mounts, hostname and processes.
std::unique_ptr<Remote> MakeNamespaceRemote(int pid);

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_LOCAL_REMOTE_H_
