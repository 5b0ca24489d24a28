#include "jepsen/net.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/runner.h"
#include "jepsen/test.h"

namespace jepsen {

Grudge CompleteGrudge(const Components& components) {
  Grudge g;
  for (size_t i = 0; i < components.size(); ++i) {
    for (const std::string& node : components[i]) {
      std::set<std::string>& drops = g[node];
      for (size_t j = 0; j < components.size(); ++j) {
        if (j != i) drops.insert(components[j].begin(), components[j].end());
      }
    }
  }
  return g;
}

Components SplitOne(const std::vector<std::string>& nodes, Random& rng) {
  if (nodes.empty()) return {};
  return Isolate(nodes, nodes[static_cast<size_t>(rng.Uniform(static_cast<int64_t>(nodes.size())))]);
}

Components Bisect(std::vector<std::string> nodes, Random& rng) {
  rng.Shuffle(nodes);
  size_t half = nodes.size() / 2;
  return {{nodes.begin(), nodes.begin() + static_cast<long>(half)},
          {nodes.begin() + static_cast<long>(half), nodes.end()}};
}

Components Isolate(const std::vector<std::string>& nodes, const std::string& node) {
  Components c{{node}, {}};
  for (const auto& n : nodes) {
    if (n != node) c[1].push_back(n);
  }
  return c;
}

Grudge MajoritiesRing(std::vector<std::string> nodes, Random& rng) {
  rng.Shuffle(nodes);
  size_t n = nodes.size();
  size_t majority = n / 2 + 1;
  Grudge g;
  // Node i sees the `majority` nodes centred on it around the ring.
  for (size_t i = 0; i < n; ++i) {
    std::set<std::string> visible;
    for (size_t k = 0; k < majority; ++k) {
      visible.insert(nodes[(i + n - majority / 2 + k) % n]);
    }
    for (const auto& other : nodes) {
      if (!visible.count(other)) g[nodes[i]].insert(other);
    }
    g[nodes[i]];  // present even when it drops nothing
  }
  return g;
}

Grudge BridgeGrudge(std::vector<std::string> nodes, Random& rng) {
  rng.Shuffle(nodes);
  if (nodes.size() < 3) return CompleteGrudge({nodes});
  size_t half = nodes.size() / 2;
  std::string bridge = nodes[half];
  std::vector<std::string> left(nodes.begin(), nodes.begin() + static_cast<long>(half));
  std::vector<std::string> right(nodes.begin() + static_cast<long>(half) + 1, nodes.end());
  Grudge g = CompleteGrudge({left, right});
  g[bridge];
  return g;
}

Value GrudgeValue(const Grudge& grudge) {
  std::vector<MapEntry> entries;
  for (const auto& [node, drops] : grudge) {
    std::vector<Value> from;
    for (const auto& d : drops) from.push_back(Value::String(d));
    entries.push_back({Value::String(node), Value::Set(std::move(from))});
  }
  return Value::Map(std::move(entries));
}

namespace {

class IptablesNet : public Net {
 public:
  explicit IptablesNet(IptablesNetOptions o) : o_(std::move(o)) {}

  Status Drop(const Test& test, const Grudge& grudge) override {
    return OnNodes(test, [&](const std::string& node) -> Status {
      auto it = grudge.find(node);
      if (it == grudge.end() || it->second.empty()) return OkStatus();
      std::string cmd = EnsureChain();
      for (const std::string& from : it->second) {
        cmd += fmt::format(" && iptables -w -A {} -s {} -j DROP", o_.chain,
                           ShellQuote(test.AddressOf(from)));
      }
      return Exec(test, node, cmd);
    });
  }

  Status Heal(const Test& test) override {
    return OnNodes(test, [&](const std::string& node) {
      // Flush only our chain; delete the root qdisc only if it is our tbf.
      std::string cmd = fmt::format(
          "(! iptables -w -L {c} -n >/dev/null 2>&1 || iptables -w -F {c}) && "
          "(! tc qdisc show dev {d} root 2>/dev/null | grep -q '^qdisc tbf {h}: ' || "
          "tc qdisc del dev {d} root)",
          fmt::arg("c", o_.chain), fmt::arg("d", ShellQuote(o_.device)),
          fmt::arg("h", o_.tbf_handle));
      return Exec(test, node, cmd);
    });
  }

  Status Teardown(const Test& test) override {
    JEPSEN_RETURN_IF_ERROR(Heal(test));
    return OnNodes(test, [&](const std::string& node) {
      std::string cmd = fmt::format(
          "while iptables -w -C INPUT -j {c} 2>/dev/null; do iptables -w -D INPUT -j {c} || exit 1; done; "
          "! iptables -w -L {c} -n >/dev/null 2>&1 || iptables -w -X {c}",
          fmt::arg("c", o_.chain));
      return Exec(test, node, cmd);
    });
  }

  Status PacketLoss(const Test& test, const std::vector<std::string>& nodes,
                    double probability) override {
    if (!(probability > 0 && probability <= 1)) {
      return InvalidArgumentError(fmt::format("packet loss probability {} is not in (0, 1]", probability));
    }
    return OnSome(test, nodes, fmt::format(
        "{} && iptables -w -A {} -m statistic --mode random --probability {} -j DROP",
        EnsureChain(), o_.chain, probability));
  }

  Status Bandwidth(const Test& test, const std::vector<std::string>& nodes,
                   const std::string& rate) override {
    if (rate.empty() || rate.find_first_not_of("0123456789.kmgtKMGTbitpsBIT") != std::string::npos ||
        !std::isdigit(static_cast<unsigned char>(rate[0]))) {
      return InvalidArgumentError(fmt::format("bandwidth '{}' is not a tc rate (e.g. 1mbit, 500kbit)", rate));
    }
    // The kernel's default root qdisc has handle 0:; anything else is someone's.
    return OnSome(test, nodes, fmt::format(
        "root=$(tc qdisc show dev {d} root) || exit 1; "
        "case \"$root\" in \"qdisc tbf {h}: \"*|\"qdisc \"*\" 0: \"*|'') ;; "
        "*) echo \"{d} has a root qdisc jepsen did not add: $root\" >&2; exit 1;; esac; "
        "tc qdisc replace dev {d} root handle {h}: tbf rate {r} burst 32kbit latency 400ms",
        fmt::arg("d", ShellQuote(o_.device)), fmt::arg("h", o_.tbf_handle),
        fmt::arg("r", ShellQuote(rate))));
  }

 private:
  // Creates the chain and the INPUT jump to it, once.
  std::string EnsureChain() const {
    return fmt::format(
        "(iptables -w -L {c} -n >/dev/null 2>&1 || iptables -w -N {c}) && "
        "(iptables -w -C INPUT -j {c} 2>/dev/null || iptables -w -I INPUT -j {c})",
        fmt::arg("c", o_.chain));
  }
  Status Exec(const Test& test, const std::string& node, const std::string& cmd) {
    Remote* remote = test.RemoteFor(node);
    if (!remote) return FailedPreconditionError(fmt::format("no remote for node {}", node));
    return Run(*remote, test.AsRoot(cmd)).status();
  }
  Status OnSome(const Test& test, const std::vector<std::string>& nodes, const std::string& cmd) {
    return OnNodes(test, [&](const std::string& node) {
      if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) return OkStatus();
      return Exec(test, node, cmd);
    });
  }

  IptablesNetOptions o_;
};

}  // namespace

std::unique_ptr<Net> MakeIptablesNet(IptablesNetOptions options) {
  return std::make_unique<IptablesNet>(std::move(options));
}

}  // namespace jepsen
