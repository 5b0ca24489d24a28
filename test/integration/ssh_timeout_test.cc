// Integration: the SSH remote never hangs on a node that stops answering. A command
// time limit fails a slow command (naming node and command, without a retry), and
// keepalives fail a command whose node is cut off by dropped traffic.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "jepsen/control/command.h"
#include "jepsen/ssh_remote.h"
#include "support/scoped_cluster.h"
#include "support/temp_dir.h"
#include "support/test_sshd.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("An SSH command past its time limit fails naming node and command, not retried",
          "[ssh][integration]") {
  if (std::string why = testing::TestSshd::CannotRun(); !why.empty()) {
    WARN(why);
    return;
  }
  testing::TestSshd sshd;
  REQUIRE(sshd.Start() == "");
  testing::TempDir dir;
  Result<std::unique_ptr<Remote>> remote =
      OpenSshRemote({.host = "127.0.0.1",
                     .port = sshd.port(),
                     .private_key = sshd.client_key(),
                     .command_timeout = 1s});
  INFO(remote.status().ToString());
  REQUIRE(remote.ok());
  const std::string marker = dir.File("runs");
  const std::string command = "echo x >> " + marker + "; sleep 10";
  const auto start = Clock::now();
  Result<CommandResult> r = (*remote)->Exec(command);
  const auto elapsed = Clock::now() - start;
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
  CHECK_THAT(r.status().message(),
             Catch::StartsWith("ssh root@127.0.0.1:" + std::to_string(sshd.port())));
  CHECK_THAT(r.status().message(), Catch::Contains("did not finish within 1000 ms"));
  CHECK_THAT(
      r.status().message(),
      Catch::Contains("`" + command + "` may still be running, so it was not retried"));
  CHECK(elapsed >= 1s);
  CHECK(elapsed < 5s);
  // The connection is still good, and the command ran exactly once.
  r = (*remote)->Exec("echo ok");
  REQUIRE(r.ok());
  CHECK(r->out == "ok\n");
  CHECK(testing::ReadFile(marker) == "x\n");

  CHECK(OpenSshRemote({.host = "127.0.0.1", .keepalive_count = 0}).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("An SSH command on a node whose traffic is dropped fails instead of hanging",
          "[ssh][integration]") {
  if (!testing::CanRunLocalCluster()) return;
  testing::ClusterTest c;
  Test& test = c.test;
  const LocalNode& n2 = c.cluster.nodes[1];
  SshRemoteOptions options{.host = n2.address,
                           .private_key = c.cluster.key_path,
                           .connect_timeout = 2s,
                           .keepalive_interval = 1s,
                           .keepalive_count = 2,
                           .tries = 2,
                           .backoff_initial = 50ms};
  Result<std::unique_ptr<Remote>> remote = OpenSshRemote(options);
  INFO(remote.status().ToString());
  REQUIRE(remote.ok());
  REQUIRE((*remote)->Exec("true").ok());

  // Once the command runs, n2 drops everything on its SSH port, both ways, without
  // a reset: the silent partition a real network gives.
  std::thread cut([&] {
    std::this_thread::sleep_for(500ms);
    (void)Run(*test.RemoteFor("n2"),
              "iptables -w -I INPUT -p tcp --dport 22 -j DROP && "
              "iptables -w -I OUTPUT -p tcp --sport 22 -j DROP");
  });
  const auto start = Clock::now();
  Result<CommandResult> r = (*remote)->Exec("sleep 30");
  const auto elapsed = Clock::now() - start;
  cut.join();
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(r.status().message(), Catch::Contains("root@" + n2.address + ":22"));
  CHECK_THAT(r.status().message(),
             Catch::Contains("`sleep 30` may have run, so it was not retried"));
  CHECK_THAT(r.status().message(), Catch::Contains("no answer from the node"));
  CHECK(elapsed < 10s);  // keepalive 1 s x 2, plus slack for a loaded machine

  // Further commands fail within the connect timeouts too.
  const auto again = Clock::now();
  Result<CommandResult> next = (*remote)->Exec("true");
  CHECK(next.status().code() == StatusCode::kUnavailable);
  CHECK(Clock::now() - again < 10s);
  CHECK(Run(*test.RemoteFor("n2"), "iptables -w -F INPUT && iptables -w -F OUTPUT").ok());
}

}  // namespace
}  // namespace jepsen
