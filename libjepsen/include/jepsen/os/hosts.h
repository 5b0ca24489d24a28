// /etc/hosts entries naming every node of a test, kept in a marked block that jepsen
// owns, so a node can reach the others by name (as Jepsen's os setup does).
//
//   JEPSEN_ASSIGN_OR_RETURN(auto addresses, NodeAddresses(test.nodes, known));
//   JEPSEN_RETURN_IF_ERROR(WriteHostsBlock(remote, HostsBlock(test.nodes, addresses)));
//
// The block sits between "# BEGIN jepsen nodes" and "# END jepsen nodes"; writing it
// replaces the previous block and leaves every other line alone, so it is idempotent.
// The file is rewritten in place (not renamed over), because /etc/hosts is often a bind
// mount (local-cluster nodes, containers) that a rename cannot replace.
//
// Thread safety: pure functions; WriteHostsBlock as the Remote's.
#ifndef JEPSEN_OS_HOSTS_H_
#define JEPSEN_OS_HOSTS_H_

#include <map>
#include <string>
#include <vector>

#include "jepsen/remote.h"
#include "jepsen/status.h"

namespace jepsen {

inline constexpr const char* kHostsBlockBegin = "# BEGIN jepsen nodes";
inline constexpr const char* kHostsBlockEnd = "# END jepsen nodes";

// The address of every node: from `known` (e.g. --nodes-file or a local cluster), else
// resolved (IPv4) on this machine. Errors: kNotFound naming a node with no address.
Result<std::map<std::string, std::string>> NodeAddresses(
    const std::vector<std::string>& nodes,
    const std::map<std::string, std::string>& known);

// The block: the markers around one "ADDRESS NAME" line per node, in `nodes` order,
// each line ending in a newline. Nodes missing from `addresses` are left out.
std::string HostsBlock(const std::vector<std::string>& nodes,
                       const std::map<std::string, std::string>& addresses);

// Replaces jepsen's block in `path` on the node with `block` (appends it the first
// time). With `sudo` the edit runs through sudo. Errors: the command failed.
Status WriteHostsBlock(Remote& remote, const std::string& block, bool sudo = false,
                       const std::string& path = "/etc/hosts");

}  // namespace jepsen

#endif  // JEPSEN_OS_HOSTS_H_
