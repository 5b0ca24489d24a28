#include "jepsen/web/http.h"

#include <catch2/catch.hpp>

namespace jepsen::web {
namespace {

TEST_CASE("ParseRequestHead reads the request line and headers", "[web][http]") {
  HttpParse p = ParseRequestHead(
      "GET /runs/a?zip HTTP/1.1\r\nHost: localhost:8080\r\nX-Thing:  spaced value \r\n"
      "Connection: Keep-Alive");
  REQUIRE(p.status == 0);
  CHECK(p.request.method == "GET");
  CHECK(p.request.target == "/runs/a?zip");
  CHECK(p.request.path == "/runs/a");
  CHECK(p.request.query == "zip");
  CHECK(p.request.minor_version == 1);
  REQUIRE(p.request.Header("host") != nullptr);
  CHECK(*p.request.Header("host") == "localhost:8080");
  CHECK(*p.request.Header("x-thing") == "spaced value");
  CHECK(p.request.Header("missing") == nullptr);
  CHECK(p.request.KeepAlive());
}

TEST_CASE("ParseRequestHead accepts bare LF line ends", "[web][http]") {
  HttpParse p = ParseRequestHead("HEAD / HTTP/1.0\nConnection: keep-alive");
  REQUIRE(p.status == 0);
  CHECK(p.request.method == "HEAD");
  CHECK(p.request.minor_version == 0);
  CHECK(p.request.KeepAlive());
}

TEST_CASE("Keep-alive follows the version and the Connection header", "[web][http]") {
  CHECK(ParseRequestHead("GET / HTTP/1.1").request.KeepAlive());
  CHECK_FALSE(
      ParseRequestHead("GET / HTTP/1.1\r\nConnection: close").request.KeepAlive());
  CHECK_FALSE(ParseRequestHead("GET / HTTP/1.0").request.KeepAlive());
}

TEST_CASE("ParseRequestHead refuses malformed heads with 400, 431 or 505",
          "[web][http]") {
  struct Case {
    const char* head;
    int status;
  };
  const Case bad[] = {
      {"", 400},
      {"GET", 400},
      {"GET /", 400},
      {"GET / HTTP/1.1 extra", 400},
      {"GET  / HTTP/1.1", 400},
      {"G(T / HTTP/1.1", 400},
      {"GET / HTTX/1.1", 400},
      {"GET / HTTP/1.x", 400},
      {"GET / HTTP/2.0", 505},
      {"GET / HTTP/1.2", 505},
      {"GET http://evil/ HTTP/1.1", 400},
      {"GET * HTTP/1.1", 400},
      {"GET /a\x01 HTTP/1.1", 400},
      {"GET /\xC3\xA9 HTTP/1.1", 400},
      {"GET / HTTP/1.1\r\nNoColon", 400},
      {"GET / HTTP/1.1\r\nHost : x", 400},
      {"GET / HTTP/1.1\r\n folded: x", 400},
      {"GET / HTTP/1.1\r\nX: a\x7F", 400},
      {"GET / HTTP/1.1\r\nX: a\r\n\r\nGET / HTTP/1.1", 400},
  };
  for (const Case& c : bad) {
    INFO(c.head);
    HttpParse p = ParseRequestHead(c.head);
    CHECK(p.status == c.status);
    CHECK_FALSE(p.reason.empty());
  }
  std::string many = "GET / HTTP/1.1";
  for (int i = 0; i < 101; ++i) many += "\r\nX" + std::to_string(i) + ": y";
  CHECK(ParseRequestHead(many).status == 431);
  std::string with_nul = "GET / HTTP/1.1\r\nX: a";
  with_nul.push_back('\0');
  CHECK(ParseRequestHead(with_nul).status == 400);
}

TEST_CASE("ParseRange serves one byte range and ignores the rest", "[web][http]") {
  using Kind = RangeRequest::Kind;
  auto check = [](const char* header, uint64_t size, Kind kind, uint64_t first = 0,
                  uint64_t last = 0) {
    INFO(header);
    RangeRequest r = ParseRange(header, size);
    CHECK(r.kind == kind);
    if (kind == Kind::kPartial) {
      CHECK(r.first == first);
      CHECK(r.last == last);
    }
  };
  check("bytes=0-99", 1000, Kind::kPartial, 0, 99);
  check("bytes=900-", 1000, Kind::kPartial, 900, 999);
  check("bytes=900-5000", 1000, Kind::kPartial, 900, 999);
  check("bytes=-100", 1000, Kind::kPartial, 900, 999);
  check("bytes=-5000", 1000, Kind::kPartial, 0, 999);
  check("bytes=1000-", 1000, Kind::kUnsatisfiable);
  check("bytes=-0", 1000, Kind::kUnsatisfiable);
  check("bytes=0-0", 0, Kind::kUnsatisfiable);
  check("bytes=0-1,5-6", 1000, Kind::kWhole);
  check("bytes=5-1", 1000, Kind::kWhole);
  check("bytes=a-b", 1000, Kind::kWhole);
  check("items=0-1", 1000, Kind::kWhole);
  check("bytes=18446744073709551616-", 1000, Kind::kWhole);  // overflows: ignored
}

TEST_CASE("ContentTypeFor knows the store's file types", "[web][http]") {
  CHECK(ContentTypeFor("index.html") == "text/html; charset=utf-8");
  CHECK(ContentTypeFor("latency-raw.svg") == "image/svg+xml");
  CHECK(ContentTypeFor("results.json") == "application/json");
  CHECK(ContentTypeFor("results.edn") == "text/plain; charset=utf-8");
  CHECK(ContentTypeFor("history.txt") == "text/plain; charset=utf-8");
  CHECK(ContentTypeFor("history.jsonl") == "text/plain; charset=utf-8");
  CHECK(ContentTypeFor("jepsen.log") == "text/plain; charset=utf-8");
  CHECK(ContentTypeFor("tikv.log.1") == "text/plain; charset=utf-8");
  CHECK(ContentTypeFor("plot.PNG") == "image/png");
  CHECK(ContentTypeFor("core") == "application/octet-stream");
}

TEST_CASE("HtmlEscape escapes markup and quotes", "[web][http]") {
  CHECK(HtmlEscape("<a href=\"x\">'&'</a>") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace jepsen::web
