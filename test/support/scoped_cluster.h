// A local cluster for one integration test: its own name, subnet and directories, taken
// down when the scope ends, also when the test fails. CanRunLocalCluster() says (and
// WARNs) why a test must skip. ClusterTest is the usual start of such a test.
#ifndef JEPSEN_TEST_SUPPORT_SCOPED_CLUSTER_H_
#define JEPSEN_TEST_SUPPORT_SCOPED_CLUSTER_H_

#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>

#include "jepsen/control/local_remote.h"
#include "jepsen/control/process.h"
#include "jepsen/local_cluster.h"
#include "jepsen/test.h"
#include "support/temp_dir.h"

namespace jepsen::testing {

inline bool CanRunLocalCluster() {
  if (geteuid() != 0) {
    WARN("SKIPPED: the local cluster needs root");
    return false;
  }
  for (const char* tool : {"ip", "unshare", "nsenter", "/usr/sbin/sshd", "ssh-keygen", "iptables"}) {
    if (RunProcess({"sh", "-c", std::string("command -v ") + tool}).value().exit_code != 0) {
      WARN("SKIPPED: " << tool << " is not installed");
      return false;
    }
  }
  return true;
}

class ScopedCluster {
 public:
  ScopedCluster(const std::string& dir, int nodes = 3)
      : options_{.nodes = nodes,
                 .dir = dir,
                 .subnet = "10.77.213",
                 .name = "jtest",
                 .data_path = "/var/jepsen-test-node"} {}
  ~ScopedCluster() { (void)LocalClusterDown(options_); }
  ScopedCluster(const ScopedCluster&) = delete;
  ScopedCluster& operator=(const ScopedCluster&) = delete;

  const LocalClusterOptions& options() const { return options_; }

  // Brings it up and points `test` at it, with namespace remotes.
  Result<LocalCluster> UpFor(Test& test) {
    JEPSEN_ASSIGN_OR_RETURN(LocalCluster c, LocalClusterUp(options_));
    test.nodes.clear();
    for (const LocalNode& n : c.nodes) {
      test.nodes.push_back(n.name);
      test.remotes[n.name] = MakeNamespaceRemote(n.pid);
    }
    return c;
  }

 private:
  LocalClusterOptions options_;
};

// A Test pointed at its own ScopedCluster (kept in a temporary directory); REQUIREs
// that the cluster came up. Members go in reverse order: the test's remotes, then the
// cluster, then the directory.
//
//   if (!testing::CanRunLocalCluster()) return;
//   testing::ClusterTest c;
//   Run(*c.test.RemoteFor("n1"), "hostname");
struct ClusterTest {
  ClusterTest() {
    Result<LocalCluster> up = scoped.UpFor(test);
    INFO(up.status().ToString());
    REQUIRE(up.ok());
    cluster = *std::move(up);
  }

  TempDir tmp;
  ScopedCluster scoped{tmp.File("cluster")};
  Test test;
  LocalCluster cluster;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_SCOPED_CLUSTER_H_
