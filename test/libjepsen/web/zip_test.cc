#include "jepsen/web/zip.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "support/temp_dir.h"

namespace jepsen::web {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

uint64_t Get(const std::string& z, size_t at, int bytes) {
  REQUIRE(at + static_cast<size_t>(bytes) <= z.size());
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(z[at + i]);
  return v;
}

// Inflates raw deflate data (no zlib or gzip wrapper), as zip method 8 holds it.
std::string Inflate(const std::string& data) {
  z_stream s{};
  REQUIRE(inflateInit2(&s, -MAX_WBITS) == Z_OK);
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  s.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc;
  do {
    s.next_out = reinterpret_cast<Bytef*>(buf);
    s.avail_out = sizeof buf;
    rc = inflate(&s, Z_NO_FLUSH);
    REQUIRE((rc == Z_OK || rc == Z_STREAM_END));
    out.append(buf, sizeof buf - s.avail_out);
  } while (rc != Z_STREAM_END);
  CHECK(s.avail_in == 0);  // the stream ends exactly where the entry does
  inflateEnd(&s);
  return out;
}

// Reads a zip back through its central directory (zip64 aware), checking every local
// header, method and CRC: the entries' names and contents.
std::map<std::string, std::string> ReadZip(const std::string& z, bool expect_zip64,
                                           int method = 8) {
  REQUIRE(z.size() >= 22);
  size_t eocd = z.size() - 22;
  REQUIRE(Get(z, eocd, 4) == 0x06054b50);
  uint64_t count = Get(z, eocd + 10, 2);
  uint64_t cd_offset = Get(z, eocd + 16, 4);
  if (expect_zip64) {
    CHECK(count == 0xFFFF);
    size_t locator = eocd - 20;
    REQUIRE(Get(z, locator, 4) == 0x07064b50);
    size_t record = Get(z, locator + 8, 8);
    REQUIRE(Get(z, record, 4) == 0x06064b50);
    count = Get(z, record + 32, 8);
    cd_offset = Get(z, record + 48, 8);
  }
  std::map<std::string, std::string> out;
  size_t at = cd_offset;
  for (uint64_t i = 0; i < count; ++i) {
    REQUIRE(Get(z, at, 4) == 0x02014b50);
    CHECK((Get(z, at + 8, 2) & 0x0808) == 0x0808);  // data descriptor, UTF-8
    CHECK(Get(z, at + 10, 2) == static_cast<uint64_t>(method));
    uint32_t crc = static_cast<uint32_t>(Get(z, at + 16, 4));
    uint64_t csize = Get(z, at + 20, 4);
    uint64_t size = Get(z, at + 24, 4);
    size_t name_len = Get(z, at + 28, 2), extra_len = Get(z, at + 30, 2);
    size_t comment_len = Get(z, at + 32, 2);
    uint64_t local = Get(z, at + 42, 4);
    std::string name = z.substr(at + 46, name_len);
    size_t extra = at + 46 + name_len;
    if (size == 0xFFFFFFFF || local == 0xFFFFFFFF) {
      REQUIRE(expect_zip64);
      REQUIRE(Get(z, extra, 2) == 1);
      size_t field = extra + 4;
      if (size == 0xFFFFFFFF) {
        CHECK(csize == 0xFFFFFFFF);
        size = Get(z, field, 8);
        csize = Get(z, field + 8, 8);
        field += 16;
      }
      if (local == 0xFFFFFFFF) local = Get(z, field, 8);
    }
    REQUIRE(Get(z, local, 4) == 0x04034b50);
    REQUIRE(z.substr(local + 30, Get(z, local + 26, 2)) == name);
    CHECK(Get(z, local + 8, 2) == static_cast<uint64_t>(method));
    size_t data = local + 30 + Get(z, local + 26, 2) + Get(z, local + 28, 2);
    if (method == 0) CHECK(csize == size);
    std::string content = method == 8 ? Inflate(z.substr(data, csize)) : z.substr(data, csize);
    CHECK(content.size() == size);
    CHECK(Crc32(0, content.data(), content.size()) == crc);
    size_t descriptor = data + csize;
    int width = expect_zip64 ? 8 : 4;
    CHECK(Get(z, descriptor, 4) == 0x08074b50);
    CHECK(Get(z, descriptor + 4, 4) == crc);
    CHECK(Get(z, descriptor + 8, width) == csize);
    CHECK(Get(z, descriptor + 8 + width, width) == size);
    out[name] = content;
    at += 46 + name_len + extra_len + comment_len;
  }
  return out;
}

// Tests the archive with Python's zipfile and Info-ZIP's unzip when they exist.
void CheckWithTools(const std::string& path) {
  if (std::system("command -v python3 >/dev/null 2>&1") == 0) {
    std::string cmd = "python3 -m zipfile -t '" + path + "' >/dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
  } else {
    WARN("python3 not found: the zip is checked by the test's own reader only");
  }
  if (std::system("command -v unzip >/dev/null 2>&1") == 0) {
    std::string cmd = "unzip -tq '" + path + "' >/dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
  } else {
    WARN("unzip not found: skipping `unzip -t`");
  }
}

TEST_CASE("Crc32 matches the standard check value", "[web][zip]") {
  CHECK(Crc32(0, "123456789", 9) == 0xCBF43926u);
  CHECK(Crc32(0, "", 0) == 0);
  uint32_t part = Crc32(0, "12345", 5);
  CHECK(Crc32(part, "6789", 4) == 0xCBF43926u);
}

void MakeRunDir(const fs::path& run) {
  fs::create_directories(run / "n1");
  WriteFile((run / "history.txt").string(), "0 :invoke :read nil\n0 :ok :read 3\n");
  WriteFile((run / "results.json").string(), "{\"valid?\":true}\n");
  WriteFile((run / "empty.log").string(), "");
  std::string big;
  for (int i = 0; i < 300000; ++i) big += static_cast<char>('a' + (i % 26 * 7) % 26);
  WriteFile((run / "n1" / "db.log").string(), big);
  // Incompressible: deflate's stored blocks, and more than one buffer of output.
  std::string noise;
  uint64_t x = 88172645463325252ULL;
  for (int i = 0; i < 200000; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    noise += static_cast<char>(x & 0xFF);
  }
  WriteFile((run / "n1" / "noise.bin").string(), noise);
  WriteFile((run / ".hidden").string(), "never archived");
  fs::create_symlink("/etc/passwd", run / "passwd");
}

TEST_CASE("ZipWriter archives a run directory readable by zip tools", "[web][zip]") {
  for (int level : {0, 1, 9})
  for (bool zip64 : {false, true}) {
    DYNAMIC_SECTION((zip64 ? "zip64" : "plain") << " level " << level) {
      TempDir tmp;
      fs::path run = tmp.path() / "run";
      MakeRunDir(run);
      std::string archive;
      int sink_calls = 0;
      ZipWriter zip(
          [&](std::string_view bytes) {
            ++sink_calls;
            archive.append(bytes);
            return OkStatus();
          },
          {.force_zip64 = zip64, .level = level});
      REQUIRE(zip.AddTree("demo/20261125T010203.456Z", run.string()).ok());
      REQUIRE(zip.Finish().ok());
      CHECK(zip.bytes_written() == archive.size());
      CHECK(sink_calls > 1);  // streamed, not built whole

      std::map<std::string, std::string> entries = ReadZip(archive, zip64, level > 0 ? 8 : 0);
      std::vector<std::string> names;
      for (const auto& [name, content] : entries) names.push_back(name);
      CHECK(names == std::vector<std::string>{"demo/20261125T010203.456Z/empty.log",
                                              "demo/20261125T010203.456Z/history.txt",
                                              "demo/20261125T010203.456Z/n1/db.log",
                                              "demo/20261125T010203.456Z/n1/noise.bin",
                                              "demo/20261125T010203.456Z/results.json"});
      for (const char* f : {"n1/db.log", "n1/noise.bin", "history.txt"}) {
        CHECK(entries[std::string("demo/20261125T010203.456Z/") + f] ==
              ReadFile((run / f).string()));
      }
      // The 300,000-byte log is repetitive text: deflated, the archive is mostly noise.
      if (level > 0) CHECK(archive.size() < 200000 + 20000);
      if (level == 0) CHECK(archive.size() > 500000);
      CHECK(entries["demo/20261125T010203.456Z/empty.log"].empty());

      std::string path = tmp.File("run.zip");
      WriteFile(path, archive);
      CheckWithTools(path);
    }
  }
}

TEST_CASE("ZipWriter stops at the first sink error", "[web][zip]") {
  TempDir tmp;
  MakeRunDir(tmp.path() / "run");
  int calls = 0;
  ZipWriter zip([&](std::string_view) {
    return ++calls > 1 ? IoError("client went away") : OkStatus();
  });
  Status s = zip.AddTree("x", (tmp.path() / "run").string());
  if (s.ok()) s = zip.Finish();
  CHECK(s.code() == StatusCode::kIoError);
  CHECK(s.message() == "client went away");
}

TEST_CASE("ZipWriter refuses files it cannot read", "[web][zip]") {
  TempDir tmp;
  ZipWriter zip([](std::string_view) { return OkStatus(); });
  Status s = zip.AddFile("x", tmp.File("missing"));
  CHECK(s.code() == StatusCode::kIoError);
  CHECK_THAT(s.message(), Catch::Contains("missing"));
  CHECK(zip.AddFile("x", tmp.path().string()).code() == StatusCode::kIoError);
}

}  // namespace
}  // namespace jepsen::web
