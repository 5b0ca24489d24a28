// Integration: the Debian OS setup on local-cluster nodes (each has a private
// /etc/hosts): the hosts block lands in the node's file, once, however often setup
// runs, and the host's own /etc/hosts is untouched; package queries are real dpkg.
#include <catch2/catch.hpp>
#include <string>

#include "jepsen/control/util.h"
#include "jepsen/os/debian.h"
#include "jepsen/runner.h"
#include "support/scoped_cluster.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST_CASE("Debian setup writes the nodes into a local node's /etc/hosts once",
          "[integration][os]") {
  if (!testing::CanRunLocalCluster()) return;
  if (RunProcess({"sh", "-c", "command -v dpkg-query"}).value().exit_code != 0) {
    WARN("SKIPPED: dpkg-query is not installed (not a Debian machine)");
    return;
  }
  testing::ClusterTest c;
  Test& test = c.test;
  const std::string host_hosts = testing::ReadFile("/etc/hosts");
  std::map<std::string, std::string> addresses;
  for (const LocalNode& n : c.cluster.nodes) addresses[n.name] = n.address;
  // bash is installed (the nodes share this machine's root filesystem): no apt runs.
  auto os = MakeDebianOs({.packages = {"bash"}, .addresses = addresses});
  const std::string before = *ReadFile(*test.RemoteFor("n2"), "/etc/hosts");

  REQUIRE(OnNodes(test, [&](const std::string& n) { return os->Setup(test, n); }).ok());
  const std::string after = *ReadFile(*test.RemoteFor("n2"), "/etc/hosts");
  const std::string block = "# BEGIN jepsen nodes\n" + addresses["n1"] + " n1\n" +
                            addresses["n2"] + " n2\n" + addresses["n3"] + " n3\n" +
                            "# END jepsen nodes\n";
  CHECK(after == before + block);  // appended; every line the node had is kept

  // Idempotent: a second setup leaves the same file.
  REQUIRE(OnNodes(test, [&](const std::string& n) { return os->Setup(test, n); }).ok());
  CHECK(*ReadFile(*test.RemoteFor("n2"), "/etc/hosts") == after);
  CHECK(Count(*ReadFile(*test.RemoteFor("n3"), "/etc/hosts"), "# BEGIN jepsen nodes") ==
        1);
  // The names resolve inside the node through its own file.
  Result<CommandResult> r = Run(*test.RemoteFor("n1"), "getent hosts n3");
  REQUIRE(r.ok());
  CHECK(r->out.rfind(addresses["n3"] + " ", 0) == 0);
  CHECK(testing::ReadFile("/etc/hosts") == host_hosts);

  // Package queries are real dpkg-query answers.
  Apt apt(*test.RemoteFor("n1"));
  Result<std::vector<std::string>> missing =
      apt.Missing({"bash", "jepsen-no-such-package"});
  INFO(missing.status().ToString());
  REQUIRE(missing.ok());
  CHECK(*missing == std::vector<std::string>{"jepsen-no-such-package"});
}

}  // namespace
}  // namespace jepsen
