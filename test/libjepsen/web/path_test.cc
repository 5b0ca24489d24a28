#include "jepsen/web/path.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/temp_dir.h"

namespace jepsen::web {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

TEST_CASE("PercentDecode decodes escapes and refuses malformed ones", "[web][path]") {
  CHECK(PercentDecode("a%20b") == "a b");
  CHECK(PercentDecode("%2e%2E") == "..");
  CHECK(PercentDecode("%2F") == "/");
  CHECK(PercentDecode("a+b") == "a+b");
  CHECK(PercentDecode("%00") == std::string(1, '\0'));
  CHECK(PercentDecode("caf%C3%A9") == "caf\xC3\xA9");
  CHECK(PercentDecode("") == "");
  CHECK_FALSE(PercentDecode("%"));
  CHECK_FALSE(PercentDecode("%4"));
  CHECK_FALSE(PercentDecode("abc%"));
  CHECK_FALSE(PercentDecode("%zz"));
  CHECK_FALSE(PercentDecode("%g0"));
}

TEST_CASE("PercentEncodeSegment keeps unreserved characters only", "[web][path]") {
  CHECK(PercentEncodeSegment("20261125T010203.456Z") == "20261125T010203.456Z");
  CHECK(PercentEncodeSegment("a b/c?d#e%") == "a%20b%2Fc%3Fd%23e%25");
  CHECK(PercentEncodeSegment("\xC3\xA9") == "%C3%A9");
  CHECK(PercentDecode(PercentEncodeSegment("x y\"<'>&")) == "x y\"<'>&");
}

TEST_CASE("SplitRequestPath splits and decodes good paths", "[web][path]") {
  SplitPath p = SplitRequestPath("/runs/demo%20x/20261125T010203.456Z/");
  REQUIRE(p.status == 200);
  CHECK(p.segments == std::vector<std::string>{"runs", "demo x", "20261125T010203.456Z"});
  CHECK(p.trailing_slash);
  p = SplitRequestPath("/runs/a/history.txt");
  REQUIRE(p.status == 200);
  CHECK(p.segments == std::vector<std::string>{"runs", "a", "history.txt"});
  CHECK_FALSE(p.trailing_slash);
  p = SplitRequestPath("/");
  CHECK(p.status == 200);
  CHECK(p.segments.empty());
  CHECK(SplitRequestPath("/a..b/c.d").status == 200);  // dots inside names are fine
}

TEST_CASE("SplitRequestPath refuses every way out of the store", "[web][path]") {
  struct Case {
    const char* path;
    int status;
  };
  const Case evil[] = {
      {"/runs/../../etc/passwd", 403},
      {"/runs/..", 403},
      {"/runs/a/../../../etc/passwd", 403},
      {"/runs/./a", 403},
      {"/runs/%2e%2e/%2e%2e/etc/passwd", 403},
      {"/runs/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 403},
      {"/runs/.%2e/x", 403},
      {"/runs/a%2f..%2f..%2fetc", 403},
      {"/runs/a%2Fb", 403},
      {"/runs/a%5c..%5cb", 403},
      {"/runs/a\\b", 403},
      {"/runs/passwd%00.html", 403},
      {"/runs//etc/passwd", 403},
      {"//etc/passwd", 403},
      {"/runs/.hidden", 403},
      {"/runs/a/.ssh/id_rsa", 403},
      {"/runs/%", 400},
      {"/runs/%2", 400},
      {"/runs/%zz", 400},
      {"etc/passwd", 400},
      {"", 400},
      {"http://example.com/runs", 400},
  };
  for (const Case& c : evil) {
    INFO(c.path);
    SplitPath p = SplitRequestPath(c.path);
    CHECK(p.status == c.status);
    CHECK(p.segments.empty());
    CHECK_FALSE(p.reason.empty());
  }
}

TEST_CASE("IsWithin compares whole path components", "[web][path]") {
  CHECK(IsWithin("/s/store", "/s/store"));
  CHECK(IsWithin("/s/store", "/s/store/a"));
  CHECK_FALSE(IsWithin("/s/store", "/s/store2/a"));
  CHECK_FALSE(IsWithin("/s/store", "/s"));
  CHECK(IsWithin("/", "/etc"));
}

TEST_CASE("ResolveInStore follows symlinks only while they stay inside", "[web][path]") {
  TempDir tmp;
  fs::path store = fs::canonical(tmp.path()) / "store";
  fs::create_directories(store / "t" / "r1" / "n1");
  WriteFile((store / "t" / "r1" / "history.txt").string(), "ops\n");
  WriteFile((tmp.path() / "secret").string(), "secret\n");
  fs::create_directory_symlink("r1", store / "t" / "latest");
  fs::create_symlink("/etc/passwd", store / "t" / "r1" / "passwd");
  fs::create_symlink("../../../secret", store / "t" / "r1" / "up");
  fs::create_directory_symlink("/etc", store / "t" / "r1" / "etc");
  fs::create_symlink("missing", store / "t" / "r1" / "dangling");
  std::string root = store.string();

  ResolvedPath r = ResolveInStore(root, {"t", "r1", "history.txt"});
  CHECK(r.status == 200);
  CHECK(r.path == (store / "t" / "r1" / "history.txt").string());
  CHECK_FALSE(r.is_dir);
  r = ResolveInStore(root, {"t", "latest"});
  CHECK(r.status == 200);
  CHECK(r.is_dir);
  CHECK(r.path == (store / "t" / "r1").string());
  r = ResolveInStore(root, {"t", "latest", "history.txt"});
  CHECK(r.status == 200);
  r = ResolveInStore(root, {});
  CHECK(r.status == 200);
  CHECK(r.path == root);

  for (std::vector<std::string> evil :
       std::vector<std::vector<std::string>>{{"t", "r1", "passwd"},
                                             {"t", "r1", "up"},
                                             {"t", "r1", "etc", "passwd"},
                                             {"t", "r1", "etc"},
                                             {".."},
                                             {"t", "..", ".."}}) {
    INFO(evil.back());
    r = ResolveInStore(root, evil);
    CHECK(r.status == 403);
    CHECK(r.path.empty());
  }
  CHECK(ResolveInStore(root, {"t", "r1", "dangling"}).status == 404);
  CHECK(ResolveInStore(root, {"t", "nope"}).status == 404);
  CHECK(ResolveInStore(root, {"t", "r1", "history.txt", "x"}).status == 404);
}

}  // namespace
}  // namespace jepsen::web
