// The results browser over real loopback sockets: pages, files, ranges, zips, and
// everything a hostile or broken client can send.
#include "jepsen/web/server.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "libjepsen/web/http_client.h"
#include "support/temp_dir.h"

namespace jepsen::web {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::HttpGet;
using testing::HttpRequest;
using testing::HttpResponse;
using testing::ParseResponses;
using testing::RawExchange;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kRun1 = "20261125T010203.456Z";  // valid, has an index.html
constexpr const char* kRun2 = "20261125T020304.567Z";  // invalid, no index.html

// A store with two runs of one test and one of another, files of every served type,
// and planted symlinks that lead out of the store.
class StoreFixture {
 public:
  StoreFixture() {
    store_ = fs::canonical(tmp_.path()) / "store";
    fs::path r1 = store_ / "demo-register" / kRun1;
    fs::path r2 = store_ / "demo-register" / kRun2;
    fs::path r3 = store_ / "other test" / "20261124T000000.000Z";
    for (const fs::path& d : {r1 / "n1", r2, r3}) fs::create_directories(d);
    WriteFile((r1 / "results.json").string(), "{\"valid?\":true,\"count\":2}\n");
    WriteFile((r1 / "index.html").string(),
              "<html><body><h1 id=\"verdict\">valid</h1></body></html>");
    WriteFile((r1 / "history.txt").string(), "0 :invoke :read nil\n0 :ok :read 3\n");
    WriteFile((r1 / "history.edn").string(), "{:type :invoke}\n");
    WriteFile((r1 / "latency-raw.svg").string(),
              "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    WriteFile((r1 / "jepsen.log").string(), "INFO started\n");
    WriteFile((r1 / "plot.png").string(), std::string("\x89PNG\r\n\x1a\n", 8));
    big_.reserve(8 << 20);
    for (int i = 0; i < (8 << 20); ++i)
      big_.push_back(static_cast<char>('a' + (i * 31) % 26));
    WriteFile((r1 / "n1" / "db.log").string(), big_);
    WriteFile((r2 / "results.json").string(), "{\"valid?\":false}\n");
    WriteFile((r2 / "history.txt").string(), "history of run 2\n");
    WriteFile((tmp_.path() / "secret.txt").string(), "TOP-SECRET-OUTSIDE-THE-STORE\n");
    fs::create_symlink("/etc/passwd", r1 / "passwd");
    fs::create_symlink("../../../secret.txt", r1 / "secret.txt");
    fs::create_directory_symlink("/etc", r1 / "etc");
    fs::create_directory_symlink(tmp_.path(), r2 / "up");
    fs::create_directory_symlink(std::string("demo-register/") + kRun2,
                                 store_ / "latest");
  }

  std::string store() const { return store_.string(); }
  std::string Run1Url() const {
    return std::string("/runs/demo-register/") + kRun1 + "/";
  }
  std::string Run1Dir() const { return (store_ / "demo-register" / kRun1).string(); }
  const std::string& big() const { return big_; }

 private:
  TempDir tmp_;
  fs::path store_;
  std::string big_;
};

std::unique_ptr<Server> StartServer(const StoreFixture& f, ServerOptions o = {}) {
  o.store_dir = f.store();
  o.port = 0;
  if (o.header_timeout == ServerOptions{}.header_timeout) o.header_timeout = 1500ms;
  if (o.idle_timeout == ServerOptions{}.idle_timeout) o.idle_timeout = 1000ms;
  Result<std::unique_ptr<Server>> s = Server::Start(o);
  REQUIRE(s.ok());
  REQUIRE((*s)->port() > 0);
  return std::move(*s);
}

TEST_CASE("The server lists runs newest first, coloured by verdict", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  CHECK(server->url() == "http://127.0.0.1:" + std::to_string(server->port()) + "/");
  HttpResponse r = HttpGet(server->port(), "/");
  REQUIRE(r.status == 200);
  CHECK(r.headers["content-type"] == "text/html; charset=utf-8");
  size_t run2 = r.body.find("2026-11-25 02:03:04.567 UTC");
  size_t run1 = r.body.find("2026-11-25 01:02:03.456 UTC");
  size_t run3 = r.body.find("2026-11-24 00:00:00.000 UTC");
  REQUIRE(run2 != std::string::npos);
  REQUIRE(run1 != std::string::npos);
  REQUIRE(run3 != std::string::npos);
  CHECK(run2 < run1);
  CHECK(run1 < run3);
  CHECK_THAT(r.body, Catch::Contains("3 runs in"));
  CHECK_THAT(r.body, Catch::Contains("1 valid, 1 invalid, 0 unknown, 1 incomplete"));
  CHECK_THAT(r.body, Catch::Contains(std::string("<a href=\"/runs/demo-register/") +
                                     kRun1 + "/\">"));
  CHECK_THAT(r.body, Catch::Contains("<td class=\"verdict invalid\">invalid</td>"));
  CHECK_THAT(r.body, Catch::Contains("<td class=\"verdict valid\">valid</td>"));
  CHECK_THAT(r.body,
             Catch::Contains("href=\"/runs/other%20test/\""));  // names are encoded
}

TEST_CASE("The server opens a run's index, files and listings", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  int port = server->port();

  HttpResponse r = HttpGet(port, std::string("/runs/demo-register/") + kRun1);
  CHECK(r.status == 301);
  CHECK(r.headers["location"] == f.Run1Url());

  r = HttpGet(port, f.Run1Url());
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("<h1 id=\"verdict\">valid</h1>"));

  r = HttpGet(port, f.Run1Url() + "?list");
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("<a href=\"history.txt\">history.txt</a>"));
  CHECK_THAT(r.body, Catch::Contains("<a href=\"n1/\">n1/</a>"));

  r = HttpGet(port, std::string("/runs/demo-register/") + kRun2 + "/");  // no index.html
  CHECK(r.status == 200);
  CHECK_THAT(r.body, Catch::Contains("<a href=\"results.json\">results.json</a>"));

  r = HttpGet(port, "/runs/latest/history.txt");  // the store's own symlinks work
  CHECK(r.status == 200);
  CHECK(r.body == "history of run 2\n");

  struct Typed {
    const char* file;
    const char* type;
  };
  for (Typed t :
       {Typed{"history.txt", "text/plain; charset=utf-8"},
        Typed{"history.edn", "text/plain; charset=utf-8"},
        Typed{"results.json", "application/json"},
        Typed{"latency-raw.svg", "image/svg+xml"},
        Typed{"jepsen.log", "text/plain; charset=utf-8"}, Typed{"plot.png", "image/png"},
        Typed{"index.html", "text/html; charset=utf-8"}}) {
    INFO(t.file);
    r = HttpGet(port, f.Run1Url() + t.file);
    CHECK(r.status == 200);
    CHECK(r.headers["content-type"] == t.type);
    CHECK(r.headers["x-content-type-options"] == "nosniff");
  }
  CHECK(HttpGet(port, f.Run1Url() + "nope.txt").status == 404);
  CHECK(HttpGet(port, f.Run1Url() + "history.txt/").status == 404);
  CHECK(HttpGet(port, "/elsewhere").status == 404);
}

TEST_CASE("The server streams large files and serves byte ranges", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  int port = server->port();
  std::string url = f.Run1Url() + "n1/db.log";
  HttpResponse r = HttpGet(port, url);
  REQUIRE(r.status == 200);
  CHECK(r.headers["content-length"] == std::to_string(f.big().size()));
  CHECK(r.headers["accept-ranges"] == "bytes");
  CHECK(r.body == f.big());

  r = HttpGet(port, url, "Range: bytes=1000-1099\r\n");
  CHECK(r.status == 206);
  CHECK(r.headers["content-range"] ==
        "bytes 1000-1099/" + std::to_string(f.big().size()));
  CHECK(r.body == f.big().substr(1000, 100));
  r = HttpGet(port, url, "Range: bytes=-10\r\n");
  CHECK(r.status == 206);
  CHECK(r.body == f.big().substr(f.big().size() - 10));
  r = HttpGet(port, url, "Range: bytes=99999999-\r\n");
  CHECK(r.status == 416);
  CHECK(r.headers["content-range"] == "bytes */" + std::to_string(f.big().size()));

  r = HttpRequest(port, "HEAD", url);
  CHECK(r.status == 200);
  CHECK(r.headers["content-length"] == std::to_string(f.big().size()));
  CHECK(r.body.empty());
}

TEST_CASE("The server answers conditional requests with 304 while a file is unchanged",
          "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  int port = server->port();
  std::string url = f.Run1Url() + "n1/db.log";
  HttpResponse r = HttpGet(port, url);
  REQUIRE(r.status == 200);
  std::string etag = r.headers["etag"];
  std::string modified = r.headers["last-modified"];
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');
  CHECK(etag.back() == '"');
  CHECK(modified.size() == 29);  // "Wed, 25 Nov 2026 06:20:28 GMT"
  CHECK(modified.substr(26) == "GMT");

  r = HttpGet(port, url, "If-None-Match: " + etag + "\r\n");
  CHECK(r.status == 304);
  CHECK(r.body.empty());
  CHECK(r.headers["etag"] == etag);
  CHECK(HttpGet(port, url, "If-None-Match: \"other\", W/" + etag + "\r\n").status == 304);
  CHECK(HttpGet(port, url, "If-None-Match: *\r\n").status == 304);
  CHECK(HttpGet(port, url, "If-None-Match: \"other\"\r\n").status == 200);
  CHECK(HttpGet(port, url, "If-Modified-Since: " + modified + "\r\n").status == 304);
  CHECK(HttpGet(port, url, "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n").status == 200);
  CHECK(HttpGet(port, url, "If-Modified-Since: yesterday\r\n").status == 200);
  // If-None-Match wins over If-Modified-Since.
  CHECK(HttpGet(port, url, "If-None-Match: \"other\"\r\nIf-Modified-Since: " + modified + "\r\n")
            .status == 200);
  // If-Range: the range only while the client's copy is current.
  r = HttpGet(port, url, "Range: bytes=0-9\r\nIf-Range: " + etag + "\r\n");
  CHECK(r.status == 206);
  CHECK(r.body == f.big().substr(0, 10));
  r = HttpGet(port, url, "Range: bytes=0-9\r\nIf-Range: \"stale\"\r\n");
  CHECK(r.status == 200);
  CHECK(r.body == f.big());

  // A file that changes gets a new validator, and the old one no longer matches.
  std::string path = f.Run1Dir() + "/n1/db.log";
  WriteFile(path, f.big() + "one more line\n");
  r = HttpGet(port, url, "If-None-Match: " + etag + "\r\n");
  CHECK(r.status == 200);
  CHECK(r.headers["etag"] != etag);
  CHECK(r.body == f.big() + "one more line\n");
}

TEST_CASE("The server offers a run as a zip", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  TempDir out;
  for (std::string url :
       {std::string("/zip/demo-register/") + kRun1, f.Run1Url() + "?zip"}) {
    INFO(url);
    HttpResponse r = HttpGet(server->port(), url);
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-type"] == "application/zip");
    CHECK(r.headers["transfer-encoding"] == "chunked");
    CHECK(r.headers["content-disposition"] ==
          std::string("attachment; filename=\"demo-register-") + kRun1 + ".zip\"");
    REQUIRE(r.body.size() > 1000);
    CHECK(r.body.compare(0, 4, "PK\x03\x04") == 0);
    CHECK(r.body.compare(r.body.size() - 22, 4, "PK\x05\x06") == 0);
    std::string path = out.File("run.zip");
    WriteFile(path, r.body);
    if (std::system("command -v python3 >/dev/null 2>&1") == 0) {
      std::string list = out.File("names");
      std::string cmd =
          "python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); "
          "assert z.testzip() is None; "
          // Symlinks are not followed: nothing from outside the run is in any entry.
          "assert not any(b\"TOP-SECRET\" in z.read(n) or b\"root:x:0:0\" in z.read(n) "
          "for n in z.namelist()); "
          "print(\"\\n\".join(z.namelist()))' '" +
          path + "' > '" + list + "'";
      REQUIRE(std::system(cmd.c_str()) == 0);
      std::string names = ReadFile(list);
      CHECK_THAT(names,
                 Catch::Contains(std::string("demo-register/") + kRun1 + "/n1/db.log"));
      CHECK_THAT(names,
                 Catch::Contains(std::string("demo-register/") + kRun1 + "/history.txt"));
      CHECK_THAT(names, !Catch::Contains("passwd"));
    } else {
      WARN("python3 not found: the zip's structure is checked by its signatures only");
    }
  }
  // HTTP/1.0 has no chunked encoding: the zip ends with the connection.
  std::string raw = RawExchange(server->port(), std::string("GET /zip/demo-register/") +
                                                    kRun2 + " HTTP/1.0\r\n\r\n");
  std::vector<HttpResponse> r = ParseResponses(raw);
  REQUIRE(r.size() == 1);
  CHECK(r[0].headers.count("transfer-encoding") == 0);
  CHECK(r[0].body.compare(r[0].body.size() - 22, 4, "PK\x05\x06") == 0);
  CHECK(HttpGet(server->port(), "/zip/demo-register/nope").status == 404);
  CHECK(HttpGet(server->port(), "/zip/../etc").status == 403);
}

TEST_CASE("The server refuses every path that leaves the store", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  int port = server->port();
  const std::string run1 = f.Run1Url();
  const std::string evil[] = {
      "/../../etc/passwd",
      "/runs/../../etc/passwd",
      "/runs/demo-register/../../../etc/passwd",
      "/runs/%2e%2e/%2e%2e/etc/passwd",
      "/runs/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/runs/..%2f..%2fsecret.txt",
      "/runs/%2E%2E/secret.txt",
      "/runs//etc/passwd",
      "/runs/%2fetc%2fpasswd",
      "/runs/demo-register%00/x",
      "/zip/%2e%2e",
      "/zip/..%2f..",
      run1 + "passwd",      // a symlink to /etc/passwd
      run1 + "secret.txt",  // a symlink out of the store
      run1 + "etc/passwd",  // through a symlinked directory
      run1 + "etc/",
      std::string("/runs/demo-register/") + kRun2 + "/up/secret.txt",
      std::string("/zip/demo-register/") + kRun2 + "/up",
      "/runs/demo-register/..",
      "/runs/.hidden",
  };
  for (const std::string& path : evil) {
    INFO(path);
    std::string raw = RawExchange(
        port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::vector<HttpResponse> r = ParseResponses(raw);
    REQUIRE(r.size() == 1);
    CHECK((r[0].status == 403 || r[0].status == 404 || r[0].status == 400));
    CHECK(raw.find("root:x:0:0") == std::string::npos);
    CHECK(raw.find("TOP-SECRET") == std::string::npos);
  }
  // Listings leave out the links that lead outside; links inside the store stay.
  HttpResponse listing = HttpGet(port, run1 + "?list");
  REQUIRE(listing.status == 200);
  CHECK_THAT(listing.body, Catch::Contains("history.txt"));
  CHECK_THAT(listing.body, !Catch::Contains("passwd") && !Catch::Contains("secret") &&
                               !Catch::Contains("etc/"));
  listing = HttpGet(port, "/runs/");
  CHECK_THAT(listing.body, Catch::Contains("<a href=\"latest/\">latest/</a>"));
  CHECK(HttpGet(port, "/runs").headers["location"] == "/runs/");
  CHECK(HttpGet(port, "/").status == 200);  // still serving
}

TEST_CASE("The server answers malformed requests with 4xx and keeps serving",
          "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f, {.max_header_bytes = 4096});
  int port = server->port();
  auto status_of = [&](const std::string& raw_request) {
    std::vector<HttpResponse> r =
        ParseResponses(RawExchange(port, raw_request, 5s, true));
    return r.empty() ? 0 : r[0].status;
  };
  CHECK(status_of("garbage\r\n\r\n") == 400);
  CHECK(status_of("GET /\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/2.0\r\n\r\n") == 505);
  CHECK(status_of("GET http://evil.example/ HTTP/1.1\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nBad Header: x\r\n\r\n") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n") == 405);
  CHECK(status_of("DELETE /runs/ HTTP/1.1\r\n\r\n") == 405);
  CHECK(status_of("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") ==
        400);
  CHECK(status_of("GET /runs/%zz HTTP/1.1\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nX: " + std::string(8000, 'a') + "\r\n\r\n") == 431);
  CHECK(status_of(std::string(10000, 'A')) == 431);  // no line end at all
  std::string binary;
  for (int i = 0; i < 512; ++i) binary.push_back(static_cast<char>(i * 37));
  binary += "\r\n\r\n";
  CHECK(status_of(binary) == 400);
  CHECK(status_of("") == 0);                    // connect and close: nothing to answer
  CHECK(status_of("GET / HTTP/1.1\r\n") == 0);  // half a head, then the client closes
  CHECK(HttpGet(port, "/").status == 200);
}

TEST_CASE("The server times out slow and idle clients", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f, {.header_timeout = 400ms, .idle_timeout = 300ms});
  int port = server->port();
  // Slowloris: part of a head, then nothing. 408 after the header timeout.
  auto start = std::chrono::steady_clock::now();
  std::vector<HttpResponse> r =
      ParseResponses(RawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\n", 5s));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.size() == 1);
  CHECK(r[0].status == 408);
  CHECK(took < 3s);
  // An idle kept-alive connection is closed after its response and the idle timeout.
  start = std::chrono::steady_clock::now();
  r = ParseResponses(
      RawExchange(port, "GET /runs/latest/history.txt HTTP/1.1\r\nHost: x\r\n\r\n", 5s));
  took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.size() == 1);
  CHECK(r[0].status == 200);
  CHECK(took < 3s);
  // A silent connection is closed without an answer.
  CHECK(RawExchange(port, "", 5s).empty());
}

TEST_CASE("The server answers pipelined requests in order on one connection",
          "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f);
  std::string two =
      "GET /runs/latest/history.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /runs/latest/results.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  std::string raw = RawExchange(server->port(), two);
  // The HEAD response has a Content-Length but no body: split by hand.
  size_t head_at = raw.find("HTTP/1.1", 10);
  REQUIRE(head_at != std::string::npos);
  std::vector<HttpResponse> first = ParseResponses(raw.substr(0, head_at));
  REQUIRE(first.size() == 1);
  CHECK(first[0].body == "history of run 2\n");
  size_t third_at = raw.find("HTTP/1.1", head_at + 10);
  REQUIRE(third_at != std::string::npos);
  std::vector<HttpResponse> head =
      ParseResponses(raw.substr(head_at, third_at - head_at), true);
  REQUIRE(head.size() == 1);
  CHECK(head[0].status == 200);
  std::vector<HttpResponse> third = ParseResponses(raw.substr(third_at));
  REQUIRE(third.size() == 1);
  CHECK(third[0].body == "{\"valid?\":false}\n");
  CHECK(third[0].headers["connection"] == "close");
}

TEST_CASE("The server serves concurrent clients", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f, {.threads = 4});
  int port = server->port();
  // A client that connects and says nothing holds one worker; the others carry on.
  std::thread silent([port] { (void)RawExchange(port, "", 1500ms); });
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        HttpResponse r = HttpGet(port, (t + i) % 2 ? "/" : "/runs/latest/history.txt");
        if (r.status == 200) ++ok;
      }
    });
  }
  for (auto& c : clients) c.join();
  silent.join();
  CHECK(ok == 80);
}

TEST_CASE("Stopping the server closes open connections promptly", "[web][server]") {
  StoreFixture f;
  auto server = StartServer(f, {.header_timeout = 30s, .idle_timeout = 30s});
  int port = server->port();
  std::thread idle([port] { (void)RawExchange(port, "GET / HTTP/1.1\r\n", 20s); });
  std::this_thread::sleep_for(200ms);
  auto start = std::chrono::steady_clock::now();
  server->Stop();
  idle.join();
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  CHECK(RawExchange(port, "GET / HTTP/1.1\r\n\r\n", 1s).empty());  // nobody listens
}

TEST_CASE("Server::Start names what it cannot do", "[web][server]") {
  TempDir tmp;
  Result<std::unique_ptr<Server>> s =
      Server::Start({.store_dir = tmp.File("missing"), .port = 0});
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kNotFound);
  CHECK_THAT(s.status().message(), Catch::Contains("missing"));
  auto first = Server::Start({.store_dir = tmp.path().string(), .port = 0});
  REQUIRE(first.ok());
  auto second =
      Server::Start({.store_dir = tmp.path().string(), .port = (*first)->port()});
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().code() == StatusCode::kUnavailable);
  CHECK_THAT(second.status().message(),
             Catch::Contains(std::to_string((*first)->port())));
  // A numeric address this machine does not have (TEST-NET-1): bind fails, no traffic.
  auto foreign =
      Server::Start({.store_dir = tmp.path().string(), .host = "192.0.2.1", .port = 0});
  REQUIRE_FALSE(foreign.ok());
  CHECK_THAT(foreign.status().message(), Catch::Contains("192.0.2.1"));
}

}  // namespace
}  // namespace jepsen::web
