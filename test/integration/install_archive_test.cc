// Integration: InstallArchive fetches over real HTTP (a python3 http.server on
// loopback, started and stopped by this test), unpacks .zip and .tar.gz archives,
// strips a single top directory, serves a second install from its cache when the
// server is gone, and names the URL when the fetch fails.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "jepsen/control/command.h"
#include "jepsen/control/local_remote.h"
#include "jepsen/control/process.h"
#include "jepsen/control/util.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;

bool Have(const char* tool) {
  return RunProcess({"sh", "-c", std::string("command -v ") + tool}).value().exit_code == 0;
}

// python3's http.server on 127.0.0.1 (a port of its choosing) serving `dir`; killed by
// pid when the scope ends.
class HttpServer {
 public:
  explicit HttpServer(const std::string& dir, const std::string& port_file) {
    std::string script =
        "import functools, http.server, sys\n"
        "h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])\n"
        "s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), h)\n"
        "open(sys.argv[2] + '.tmp', 'w').write(str(s.server_address[1]))\n"
        "import os; os.rename(sys.argv[2] + '.tmp', sys.argv[2])\n"
        "s.serve_forever()\n";
    Result<CommandResult> r = RunProcess(
        {"sh", "-c", "python3 -c " + ShellQuote(script) + " " + ShellQuote(dir) + " " +
                         ShellQuote(port_file) + " >/dev/null 2>&1 & echo $!"});
    if (r.ok()) pid_ = std::stoi(r->out);
    for (int i = 0; i < 100 && port_ == 0; ++i) {
      std::string text = testing::ReadFile(port_file);
      if (!text.empty()) port_ = std::stoi(text);
      else std::this_thread::sleep_for(50ms);
    }
  }
  ~HttpServer() { Stop(); }
  void Stop() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    pid_ = -1;
  }
  int port() const { return port_; }

 private:
  int pid_ = -1;
  int port_ = 0;
};

TEST_CASE("InstallArchive fetches over HTTP, unpacks zip and tar.gz, and caches",
          "[integration][control]") {
  for (const char* tool : {"python3", "curl", "unzip", "zip", "tar"}) {
    if (!Have(tool)) {
      WARN("SKIPPED: " << tool << " is not installed (scripts/install-deps)");
      return;
    }
  }
  testing::TempDir tmp;
  auto remote = MakeLocalRemote();
  // A zip with one top directory, and a tar.gz of loose files (no single root).
  REQUIRE(Run(*remote, "cd " + ShellQuote(tmp.File("")) +
                           " && mkdir -p srv src/tool-1.0/bin loose && echo zipped > src/tool-1.0/bin/tool"
                           " && chmod 755 src/tool-1.0/bin/tool && (cd src && zip -qr ../srv/tool-1.0.zip tool-1.0)"
                           " && echo a > loose/a && echo b > loose/b && tar -C loose -czf srv/loose.tar.gz a b")
              .ok());
  HttpServer server(tmp.File("srv"), tmp.File("port"));
  REQUIRE(server.port() > 0);
  // A unique path per run, so the machine-wide cache never serves an old run's file.
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  std::string zip_url = base + "/tool-1.0.zip?" + tmp.path().filename().string();
  std::string tar_url = base + "/loose.tar.gz";
  struct CleanCache {
    ~CleanCache() { (void)RunProcess({"sh", "-c", "rm -f /var/cache/jepsen/*-tool-1.0.zip* /var/cache/jepsen/*-loose.tar.gz* /var/cache/jepsen/*-nope.tar.gz*; rmdir /var/cache/jepsen 2>/dev/null"}); }
  } clean_cache;
  (void)RunProcess({"sh", "-c", "rm -f /var/cache/jepsen/*-loose.tar.gz"});

  REQUIRE(InstallArchive(*remote, zip_url, tmp.File("opt/tool")).ok());
  CHECK(testing::ReadFile(tmp.File("opt/tool/bin/tool")) == "zipped\n");
  CHECK(Run(*remote, "test -x " + ShellQuote(tmp.File("opt/tool/bin/tool"))).ok());  // modes kept
  REQUIRE(InstallArchive(*remote, tar_url, tmp.File("opt/loose")).ok());
  CHECK(testing::ReadFile(tmp.File("opt/loose/a")) == "a\n");
  CHECK(testing::ReadFile(tmp.File("opt/loose/b")) == "b\n");

  // A missing file is an error naming the URL.
  Status missing = InstallArchive(*remote, base + "/nope.tar.gz", tmp.File("opt/nope"));
  CHECK(missing.code() == StatusCode::kFailedPrecondition);
  CHECK(missing.message().find(base + "/nope.tar.gz") != std::string::npos);
  CHECK(RunProcess({"sh", "-c", "ls /var/cache/jepsen | grep -c nope.tar.gz || true"}).value().out ==
        "0\n");  // no partial download left in the cache

  // With the server gone, the cache serves the same URL again.
  server.Stop();
  std::this_thread::sleep_for(100ms);
  REQUIRE(InstallArchive(*remote, zip_url, tmp.File("opt/again")).ok());
  CHECK(testing::ReadFile(tmp.File("opt/again/bin/tool")) == "zipped\n");
}

}  // namespace
}  // namespace jepsen
