#include "jepsen/etcd/topology.h"

#include <fmt/format.h>

namespace jepsen::etcd {

std::string Topology::Host(const std::string& node) const {
  auto it = addresses.find(node);
  return it == addresses.end() ? node : it->second;
}

std::string Topology::ClientEndpoint(const std::string& node) const {
  return fmt::format("{}:{}", Host(node), client_port);
}

std::string Topology::ClientUrl(const std::string& node) const {
  return fmt::format("http://{}:{}", Host(node), client_port);
}

std::string Topology::PeerUrl(const std::string& node) const {
  return fmt::format("http://{}:{}", Host(node), peer_port);
}

std::string Topology::InitialCluster(const std::vector<std::string>& nodes) const {
  std::string out;
  for (const std::string& node : nodes) {
    if (!out.empty()) out += ',';
    out += node + "=" + PeerUrl(node);
  }
  return out;
}

}  // namespace jepsen::etcd
