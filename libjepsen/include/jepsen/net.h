// Net: network faults between nodes, as Jepsen's jepsen.net.
//
// Partitions are described by a grudge: for each node, the nodes whose packets it
// drops. The iptables implementation installs them as DROP rules in a chain of its own
// (JEPSEN) inside each node, so healing flushes only what it added, never the node's
// other rules. Packet loss uses the iptables statistic match; bandwidth limits use the
// tbf qdisc. (This kernel has no netem, so there is no added latency or reordering:
// `--help` of packet faults says so rather than failing at run time.)
//
//   Grudge g = CompleteGrudge(Bisect(test.nodes));   // two halves that cannot talk
//   JEPSEN_RETURN_IF_ERROR(net->Drop(test, g));
//   JEPSEN_RETURN_IF_ERROR(net->Heal(test));
//
// Thread safety: methods may run concurrently for different tests; one test's calls
// are serialised by its nemesis.
#ifndef JEPSEN_NET_H_
#define JEPSEN_NET_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "jepsen/random.h"
#include "jepsen/status.h"
#include "jepsen/value.h"

namespace jepsen {

struct Test;

// node -> the nodes whose traffic it drops.
using Grudge = std::map<std::string, std::set<std::string>>;
using Components = std::vector<std::vector<std::string>>;

// Every node drops traffic from every node outside its component.
Grudge CompleteGrudge(const Components& components);
// One random node alone, and the rest.
Components SplitOne(const std::vector<std::string>& nodes, Random& rng);
// The nodes in two halves (the first half the smaller), shuffled.
Components Bisect(std::vector<std::string> nodes, Random& rng);
// `node` alone, and the rest (e.g. isolate the current leader).
Components Isolate(const std::vector<std::string>& nodes, const std::string& node);
// Each node sees a majority (itself and its neighbours on a shuffled ring), but no two
// nodes see the same majority.
Grudge MajoritiesRing(std::vector<std::string> nodes, Random& rng);
// Two halves joined by one bridge node that sees both.
Grudge BridgeGrudge(std::vector<std::string> nodes, Random& rng);
// A grudge as a value for op records: {"n1" #{"n2"}, ...}.
Value GrudgeValue(const Grudge& grudge);

class Net {
 public:
  virtual ~Net() = default;
  // Drops the traffic the grudge names (adding to what is already dropped).
  virtual Status Drop(const Test& test, const Grudge& grudge) = 0;
  // Removes every rule and qdisc this Net added, on every node.
  virtual Status Heal(const Test& test) = 0;
  // Drops each incoming packet with `probability` on `nodes`.
  virtual Status PacketLoss(const Test& test, const std::vector<std::string>& nodes,
                            double probability) = 0;
  // Limits outgoing bandwidth of `nodes` (tbf), e.g. "1mbit". Errors: a rate tc would
  // not take; the device already has a root qdisc this Net did not add.
  virtual Status Bandwidth(const Test& test, const std::vector<std::string>& nodes,
                           const std::string& rate) = 0;
  // Heals, then removes whatever else this Net set up on the nodes (the iptables Net:
  // its chain and the INPUT rule jumping to it), leaving them as it found them. Run at
  // the end of a test.
  virtual Status Teardown(const Test& test) { return Heal(test); }
};

struct IptablesNetOptions {
  // The chain of our own, jumped to from INPUT.
  std::string chain = "JEPSEN";
  // The interface for tbf.
  std::string device = "eth0";
  // The handle (hex) of our tbf root qdisc: Heal removes a root qdisc only if it has
  // this handle, and Bandwidth refuses to replace a root qdisc someone else added.
  std::string tbf_handle = "4a50";
};

// Drives iptables and tc on each node through test.remotes.
std::unique_ptr<Net> MakeIptablesNet(IptablesNetOptions options = {});

}  // namespace jepsen

#endif  // JEPSEN_NET_H_
