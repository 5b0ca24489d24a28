#include "jepsen/control/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "jepsen/control/local_remote.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;

char ProcessState(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t paren = stat.rfind(')');
  return paren == std::string::npos ? '?' : stat[paren + 2];
}

TEST_CASE("Control util reads, writes and tests files on a node", "[control]") {
  testing::TempDir dir;
  auto remote = MakeLocalRemote();
  std::string path = dir.File("it's a file");
  CHECK_FALSE(*Exists(*remote, path));
  REQUIRE(WriteFile(*remote, path, "contents\n").ok());
  CHECK(*Exists(*remote, path));
  CHECK(*ReadFile(*remote, path) == "contents\n");
  Result<std::string> tmp = TmpDir(*remote);
  REQUIRE(tmp.ok());
  CHECK(std::filesystem::is_directory(*tmp));
  std::filesystem::remove_all(*tmp);
}

TEST_CASE("Control util runs daemons by pidfile: start, pause, resume, stop", "[control]") {
  testing::TempDir dir;
  auto remote = MakeLocalRemote();
  DaemonOptions d{.pidfile = dir.File("run/sleep.pid"),
                  .logfile = dir.File("sleep.log"),
                  .command = {.argv = {"sleep", "300"}}};
  REQUIRE(StartDaemon(*remote, d).ok());
  std::string pid = *ReadFile(*remote, d.pidfile);
  pid.pop_back();
  CHECK(*DaemonRunning(*remote, d.pidfile));
  CHECK(std::filesystem::read_symlink("/proc/" + pid + "/exe").filename() == "sleep");
  REQUIRE(StartDaemon(*remote, d).ok());  // already running: the same daemon
  CHECK(*ReadFile(*remote, d.pidfile) == pid + "\n");
  REQUIRE(SignalDaemon(*remote, d.pidfile, "STOP").ok());
  std::this_thread::sleep_for(50ms);
  CHECK(ProcessState(pid) == 'T');
  REQUIRE(SignalDaemon(*remote, d.pidfile, "CONT").ok());
  std::this_thread::sleep_for(50ms);
  CHECK(ProcessState(pid) != 'T');
  REQUIRE(SignalDaemon(*remote, d.pidfile, "STOP").ok());  // a paused daemon still stops
  REQUIRE(StopDaemon(*remote, d.pidfile, 2s).ok());
  CHECK_FALSE(*DaemonRunning(*remote, d.pidfile));
  CHECK_FALSE(*Exists(*remote, d.pidfile));
  CHECK(StopDaemon(*remote, d.pidfile).ok());  // stopping twice is fine
}

TEST_CASE("Control util waits for a TCP port", "[control]") {
  auto remote = MakeLocalRemote();
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  socklen_t len = sizeof(sa);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  int port = ntohs(sa.sin_port);
  CHECK(AwaitTcpPort(*remote, port, 2s).ok());
  ::close(fd);
  CHECK(AwaitTcpPort(*remote, port, 300ms).code() == StatusCode::kDeadlineExceeded);
}

TEST_CASE("Control util installs archives from file:// with a cache", "[control]") {
  testing::TempDir dir;
  auto remote = MakeLocalRemote();
  REQUIRE(Run(*remote, "mkdir -p " + dir.File("src/etcd-v3/bin") + " && echo binary > " +
                           dir.File("src/etcd-v3/bin/etcd") + " && tar -C " + dir.File("src") +
                           " -czf " + dir.File("etcd.tar.gz") + " etcd-v3")
              .ok());
  std::string url = "file://" + dir.File("etcd.tar.gz");
  REQUIRE(InstallArchive(*remote, url, dir.File("opt/etcd")).ok());
  CHECK(testing::ReadFile(dir.File("opt/etcd/bin/etcd")) == "binary\n");
  std::filesystem::remove(dir.File("etcd.tar.gz"));  // the cache serves the second install
  REQUIRE(InstallArchive(*remote, url, dir.File("opt/etcd2")).ok());
  CHECK(testing::ReadFile(dir.File("opt/etcd2/bin/etcd")) == "binary\n");
  CHECK(InstallArchive(*remote, "ftp://x/y.tgz", dir.File("z")).code() ==
        StatusCode::kInvalidArgument);
  REQUIRE(Run(*remote, "rm -f /var/cache/jepsen/*-etcd.tar.gz").ok());
}

}  // namespace
}  // namespace jepsen
