// OS setup: the exact commands Debian and CentOS setups send, against a recording
// remote that answers the package queries as a node would.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "jepsen/control/local_remote.h"
#include "jepsen/os/by_name.h"
#include "jepsen/os/centos.h"
#include "jepsen/os/debian.h"
#include "jepsen/os/hosts.h"
#include "jepsen/test.h"
#include "support/fake_remote.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

// A FakeRemote that answers commands starting with a given prefix.
class ScriptedRemote : public testing::FakeRemote {
 public:
  void Answer(std::string prefix, CommandResult result) {
    answers_.emplace_back(std::move(prefix), std::move(result));
  }
  Result<CommandResult> Exec(const std::string& command) override {
    JEPSEN_RETURN_IF_ERROR(FakeRemote::Exec(command).status());
    for (const auto& [prefix, result] : answers_) {
      if (command.rfind(prefix, 0) == 0) return result;
    }
    return CommandResult{};
  }

 private:
  std::vector<std::pair<std::string, CommandResult>> answers_;
};

const std::string kQuery = "dpkg-query -W -f '${Package} ${Status}\\n' ";
const std::string kAptGet =
    "env 'DEBIAN_FRONTEND=noninteractive' flock -w 600 /var/lock/jepsen-apt.lock apt-get "
    "-q -y "
    "-o 'DPkg::Lock::Timeout=600' ";

TEST_CASE("Apt installs nothing and runs no apt-get when every package is installed",
          "[os]") {
  ScriptedRemote remote;
  remote.Answer("dpkg-query",
                {.out = "curl install ok installed\niptables install ok installed\n"});
  REQUIRE(DebianInstallPackages(remote, {"curl", "iptables"}).ok());
  CHECK(remote.commands() == std::vector<std::string>{kQuery + "curl iptables"});
}

TEST_CASE("Apt updates once and installs only the missing packages", "[os]") {
  ScriptedRemote remote;
  // faketime is known but removed (config files left), etcd-server unknown (exit 1).
  remote.Answer("dpkg-query",
                {.exit_code = 1,
                 .out = "curl install ok installed\n"
                        "faketime deinstall ok config-files\n",
                 .err = "dpkg-query: no packages found matching etcd-server\n"});
  Apt apt(remote);
  REQUIRE(apt.Install({"curl", "faketime", "etcd-server=3.4.23-4"}).ok());
  REQUIRE(apt.Install({"faketime"}).ok());  // still "missing" here: no second update
  CHECK(remote.commands() ==
        std::vector<std::string>{
            kQuery + "curl faketime etcd-server",
            kAptGet + "update",
            kAptGet + "install --no-install-recommends faketime 'etcd-server=3.4.23-4'",
            kQuery + "faketime",
            kAptGet + "install --no-install-recommends faketime",
        });
}

TEST_CASE("Apt runs through sudo for a login that is not root, and rejects odd names",
          "[os]") {
  ScriptedRemote remote;
  REQUIRE(DebianInstallPackages(remote, {"curl"}, /*sudo=*/true).ok());
  std::vector<std::string> commands = remote.commands();
  REQUIRE(commands.size() == 3);
  CHECK(commands[0] == kQuery + "curl");  // a query needs no root
  CHECK(
      commands[1] ==
      "sudo -k -S -p '' sh -c 'env '\\''DEBIAN_FRONTEND=noninteractive'\\'' flock -w 600 "
      "/var/lock/jepsen-apt.lock apt-get -q -y -o '\\''DPkg::Lock::Timeout=600'\\'' "
      "update'");

  ScriptedRemote untouched;
  Status bad = DebianInstallPackages(untouched, {"curl; rm -rf /"});
  CHECK(bad.code() == StatusCode::kInvalidArgument);
  CHECK(bad.message() == "apt: 'curl; rm -rf /' is not a package name");
  CHECK(DebianInstallPackages(untouched, {"--force-yes"}).code() ==
        StatusCode::kInvalidArgument);
  CHECK(untouched.commands().empty());
}

TEST_CASE("A failing apt-get is an error carrying its output", "[os]") {
  ScriptedRemote remote;
  remote.Answer(kAptGet + "install",
                {.exit_code = 100, .err = "E: Unable to locate package nope\n"});
  Status s = DebianInstallPackages(remote, {"nope"});
  REQUIRE(!s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith("installing nope: command exited 100"));
  CHECK_THAT(s.message(), Catch::Contains("Unable to locate package nope"));
}

TEST_CASE("The hosts block names every node and is rewritten in place", "[os]") {
  std::map<std::string, std::string> addresses = {{"n1", "10.0.0.1"}, {"n2", "10.0.0.2"}};
  CHECK(HostsBlock({"n2", "n1", "n3"}, addresses) ==
        "# BEGIN jepsen nodes\n10.0.0.2 n2\n10.0.0.1 n1\n# END jepsen nodes\n");
  ScriptedRemote remote;
  REQUIRE(WriteHostsBlock(remote, HostsBlock({"n1"}, addresses)).ok());
  CHECK(remote.commands() ==
        std::vector<std::string>{
            "sh -c 'set -e; f=/etc/hosts; t=$(mktemp); trap '\\''rm -f \"$t\"'\\'' EXIT; "
            "{ if [ -e \"$f\" ]; then sed '\\''/^# BEGIN jepsen nodes$/,/^# END jepsen "
            "nodes$/d'\\'' \"$f\"; fi; printf '\\''%s'\\'' '\\''# BEGIN jepsen "
            "nodes\n10.0.0.1 "
            "n1\n# END jepsen nodes\n'\\''; } >\"$t\"; cat \"$t\" >\"$f\"'"});
}

TEST_CASE("Writing the hosts block replaces our old block and keeps every other line",
          "[os]") {
  testing::TempDir dir;
  const std::string path = dir.File("hosts");
  auto remote = MakeLocalRemote();
  // No file yet: it is created with just the block.
  REQUIRE(WriteHostsBlock(*remote, HostsBlock({"n1"}, {{"n1", "10.0.0.1"}}), false, path)
              .ok());
  CHECK(testing::ReadFile(path) ==
        "# BEGIN jepsen nodes\n10.0.0.1 n1\n# END jepsen nodes\n");
  testing::WriteFile(path, "127.0.0.1 localhost\n" + testing::ReadFile(path) +
                               "::1 localhost ip6-localhost\n");
  REQUIRE(WriteHostsBlock(
              *remote, HostsBlock({"n1", "n2"}, {{"n1", "10.0.0.9"}, {"n2", "10.0.0.2"}}),
              false, path)
              .ok());
  CHECK(testing::ReadFile(path) ==
        "127.0.0.1 localhost\n::1 localhost ip6-localhost\n"
        "# BEGIN jepsen nodes\n10.0.0.9 n1\n10.0.0.2 n2\n# END jepsen nodes\n");
  Status missing_dir =
      WriteHostsBlock(*remote, "x\n", false, dir.File("no/such/dir/hosts"));
  CHECK_THAT(missing_dir.message(), Catch::StartsWith("writing the nodes into " +
                                                      dir.File("no/such/dir/hosts")));
}

TEST_CASE("Node addresses come from the known ones, else from resolving the name",
          "[os]") {
  Result<std::map<std::string, std::string>> a =
      NodeAddresses({"n1", "localhost"}, {{"n1", "10.0.0.1"}});
  REQUIRE(a.ok());
  CHECK(a->at("n1") == "10.0.0.1");
  CHECK(a->at("localhost") == "127.0.0.1");
  Result<std::map<std::string, std::string>> missing =
      NodeAddresses({"no-such-node.invalid"}, {});
  REQUIRE(!missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK_THAT(missing.status().message(),
             Catch::Contains("no address for node no-such-node.invalid"));
}

TEST_CASE("Debian setup installs the packages, then writes the hosts block", "[os]") {
  Test test;
  test.nodes = {"n1", "n2"};
  auto remote = std::make_unique<ScriptedRemote>();
  ScriptedRemote& r = *remote;
  r.Answer("dpkg-query", {.out = "bash install ok installed\n"});
  test.remotes["n1"] = std::move(remote);
  auto os = MakeDebianOs({.packages = {"bash", "iptables"},
                          .addresses = {{"n1", "10.1.0.1"}, {"n2", "10.1.0.2"}}});
  REQUIRE(os->Setup(test, "n1").ok());
  std::vector<std::string> commands = r.commands();
  REQUIRE(commands.size() == 4);
  CHECK(commands[0] == kQuery + "bash iptables");
  CHECK(commands[1] == kAptGet + "update");
  CHECK(commands[2] == kAptGet + "install --no-install-recommends iptables");
  CHECK_THAT(commands[3],
             Catch::Contains("10.1.0.1 n1\n10.1.0.2 n2\n# END jepsen nodes"));
  CHECK(os->Setup(test, "n9").code() == StatusCode::kFailedPrecondition);  // no remote
}

TEST_CASE("CentOS setup queries rpm and yum-installs only the missing packages", "[os]") {
  ScriptedRemote remote;
  remote.Answer("rpm -q",
                {.exit_code = 1, .out = "curl\npackage libfaketime is not installed\n"});
  REQUIRE(CentosInstallPackages(remote, {"curl", "libfaketime"}).ok());
  CHECK(remote.commands() ==
        std::vector<std::string>{
            "rpm -q --queryformat '%{NAME}\\n' curl libfaketime",
            "flock -w 600 /var/lock/jepsen-yum.lock yum install -y -q libfaketime"});

  ScriptedRemote all_there;
  all_there.Answer("rpm -q", {.out = "curl\n"});
  REQUIRE(CentosInstallPackages(all_there, {"curl"}).ok());
  CHECK(all_there.commands().size() == 1);

  ScriptedRemote broken;
  broken.Answer("rpm -q", {.exit_code = 127, .err = "sh: rpm: not found\n"});
  Status s = CentosInstallPackages(broken, {"curl"});
  CHECK_THAT(s.message(), Catch::Contains("rpm: not found"));
}

TEST_CASE("The --os names map to OS setups", "[os]") {
  CHECK(MakeOsByName("none", {}, false).ok());
  CHECK(MakeOsByName("debian", {}, false).ok());
  CHECK(MakeOsByName("centos", {}, true).ok());
  Result<std::unique_ptr<Os>> bad = MakeOsByName("arch", {}, false);
  CHECK(bad.status().message() == "--os must be one of none, debian, centos, not 'arch'");
}

}  // namespace
}  // namespace jepsen
