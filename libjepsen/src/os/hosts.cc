#include "jepsen/os/hosts.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>

#include "jepsen/control/command.h"
#include "os/os_util.h"

namespace jepsen {
namespace {

// The first IPv4 address of `name` on this machine, or "".
std::string Resolve(const std::string& name) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0 || found == nullptr)
    return "";
  char text[INET_ADDRSTRLEN] = {};
  const auto* in = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  std::string out = ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)) ? text : "";
  ::freeaddrinfo(found);
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> NodeAddresses(
    const std::vector<std::string>& nodes,
    const std::map<std::string, std::string>& known) {
  std::map<std::string, std::string> out;
  for (const std::string& node : nodes) {
    auto it = known.find(node);
    std::string address = it != known.end() ? it->second : Resolve(node);
    if (address.empty()) {
      return NotFoundError(fmt::format(
          "/etc/hosts: no address for node {}: it does not resolve on this machine; give "
          "its address in --nodes-file (\"{} ADDRESS\")",
          node, node));
    }
    out[node] = address;
  }
  return out;
}

std::string HostsBlock(const std::vector<std::string>& nodes,
                       const std::map<std::string, std::string>& addresses) {
  std::string block = std::string(kHostsBlockBegin) + "\n";
  for (const std::string& node : nodes) {
    auto it = addresses.find(node);
    if (it != addresses.end()) block += it->second + " " + node + "\n";
  }
  return block + kHostsBlockEnd + "\n";
}

Status WriteHostsBlock(Remote& remote, const std::string& block, bool sudo,
                       const std::string& path) {
  // Drop our old block, append the new one, then write the file in place: a rename
  // cannot replace a bind-mounted /etc/hosts.
  std::string script = fmt::format(
      "set -e; f={path}; t=$(mktemp); trap 'rm -f \"$t\"' EXIT; "
      "{{ if [ -e \"$f\" ]; then sed '/^{begin}$/,/^{end}$/d' \"$f\"; fi; printf '%s' "
      "{block}; }} "
      ">\"$t\"; cat \"$t\" >\"$f\"",
      fmt::arg("path", ShellQuote(path)), fmt::arg("begin", kHostsBlockBegin),
      fmt::arg("end", kHostsBlockEnd), fmt::arg("block", ShellQuote(block)));
  Command command{.argv = {"sh", "-c", script}, .sudo = sudo};
  return Run(remote, command).status().WithContext("writing the nodes into " + path);
}

}  // namespace jepsen
