// UploadResource: files and in-memory resources reach a node path with the mode asked
// for, through the Remote's upload, staged and renamed into place.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "jepsen/control/local_remote.h"
#include "jepsen/control/util.h"
#include "support/fake_remote.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;

int ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return static_cast<int>(st.st_mode & 07777);
}

TEST_CASE("UploadResource stages the upload, sets the mode, then renames it into place",
          "[control]") {
  testing::TempDir dir;
  testing::WriteFile(dir.File("conf"), "listen 1\n");
  testing::FakeRemote remote;
  REQUIRE(UploadResource(remote, dir.File("conf"), "/etc/my db/conf", 0640).ok());
  CHECK(remote.commands() ==
        std::vector<std::string>{
            "mkdir -p '/etc/my db'",
            "upload " + dir.File("conf") + " /etc/my db/conf.jepsen-part",
            "chmod 0640 '/etc/my db/conf.jepsen-part' && mv -f '/etc/my "
            "db/conf.jepsen-part' "
            "'/etc/my db/conf'"});
}

TEST_CASE("UploadResource refuses a missing file or a bad mode without touching the node",
          "[control]") {
  testing::FakeRemote remote;
  Status missing = UploadResource(remote, "/nonexistent/conf", "/etc/conf");
  CHECK(missing.code() == StatusCode::kNotFound);
  CHECK(missing.message() ==
        "UploadResource: /nonexistent/conf is not a readable file on this machine");
  testing::TempDir dir;
  testing::WriteFile(dir.File("f"), "x");
  CHECK(UploadResource(remote, dir.File("f"), "/etc/f", 010000).code() ==
        StatusCode::kInvalidArgument);
  CHECK(UploadResource(remote, dir.File("f"), "", 0644).code() ==
        StatusCode::kInvalidArgument);
  CHECK(UploadResource(remote, dir.path().string(), "/etc/f").code() ==
        StatusCode::kNotFound);
  CHECK(remote.commands().empty());
}

TEST_CASE(
    "UploadResource copies files and embedded resources byte for byte with their mode",
    "[control]") {
  testing::TempDir local;
  testing::TempDir node;
  auto remote = MakeLocalRemote();
  std::string script = "#!/bin/sh\necho 'it\\'s \"quoted\"'\n";
  script.push_back('\0');
  script += "\xff tail";
  const std::string target = node.File("bin/deep/run.sh");
  REQUIRE(UploadResourceContent(*remote, script, target, 0750).ok());
  CHECK(testing::ReadFile(target) == script);
  CHECK(ModeOf(target) == 0750);

  // Replacing a file also replaces its mode; nothing staged is left behind.
  testing::WriteFile(local.File("other"), "second\n");
  REQUIRE(UploadResource(*remote, local.File("other"), target, 0600).ok());
  CHECK(testing::ReadFile(target) == "second\n");
  CHECK(ModeOf(target) == 0600);
  CHECK_FALSE(fs::exists(target + ".jepsen-part"));
  CHECK(std::distance(fs::directory_iterator(node.File("bin/deep")),
                      fs::directory_iterator()) == 1);
}

}  // namespace
}  // namespace jepsen
