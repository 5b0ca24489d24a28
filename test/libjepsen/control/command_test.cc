#include "jepsen/control/command.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "jepsen/control/local_remote.h"
#include "jepsen/control/process.h"
#include "jepsen/random.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;

TEST_CASE("ShellQuote survives a real sh for every byte string", "[control]") {
  Random rng(1234);
  std::vector<std::string> cases = {"", "plain", "with space", "it's", "'", "''", "\\", "$HOME",
                                    "`id`", "$(id)", "a\nb", "\t", "*", "?", "~", "-n", "--",
                                    "\xff\xfe", "é", "!", "#", ";", "&", "|", "<>", "\"", "{a,b}"};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    int64_t n = rng.Uniform(12);
    for (int64_t j = 0; j < n; ++j) {
      // Bias towards shell metacharacters, but cover every byte but NUL.
      const std::string meta = "'\"\\$`!*?[]{}()<>|&;#~ \t\n=%^";
      s += rng.Bernoulli(0.5) ? meta[static_cast<size_t>(rng.Uniform(static_cast<int64_t>(meta.size())))]
                              : static_cast<char>(1 + rng.Uniform(255));
    }
    cases.push_back(s);
  }
  // printf '%s\0' prints each argument followed by NUL: split and compare.
  for (size_t start = 0; start < cases.size(); start += 250) {
    std::string cmd = "printf '%s\\0'";
    size_t end = std::min(cases.size(), start + 250);
    for (size_t i = start; i < end; ++i) cmd += " " + ShellQuote(cases[i]);
    Result<CommandResult> r = RunProcess({"sh", "-c", cmd});
    REQUIRE(r.ok());
    REQUIRE(r->exit_code == 0);
    std::vector<std::string> got;
    size_t pos = 0;
    while (pos < r->out.size()) {
      size_t nul = r->out.find('\0', pos);
      got.push_back(r->out.substr(pos, nul - pos));
      pos = nul + 1;
    }
    REQUIRE(got.size() == end - start);
    for (size_t i = start; i < end; ++i) {
      INFO("case " << i);
      CHECK(got[i - start] == cases[i]);
    }
  }
}

// A random string of 1..max bytes from `alphabet` (or, half the time, any byte in
// [lo, 255]).
std::string RandomBytes(Random& rng, int64_t max, const std::string& alphabet, int lo) {
  std::string s;
  int64_t n = 1 + rng.Uniform(max);
  for (int64_t j = 0; j < n; ++j) {
    s += rng.Bernoulli(0.5) ? alphabet[static_cast<size_t>(rng.Uniform(static_cast<int64_t>(alphabet.size())))]
                            : static_cast<char>(lo + rng.Uniform(256 - lo));
  }
  return s;
}

TEST_CASE("Command lines survive a real sh: cd, env, arguments, redirections, sudo",
          "[control]") {
  testing::TempDir tmp;
  // A stand-in sudo that drops sudo's flags and runs the rest, so the nested quoting of
  // `sudo ... sh -c LINE` is checked without root's sudo.
  testing::WriteFile(tmp.File("sudo"), "#!/bin/sh\nshift 4\nexec \"$@\"\n");
  std::filesystem::permissions(tmp.File("sudo"), std::filesystem::perms::owner_all);
  Random rng(99);
  const std::string meta = "'\"\\$`!*?[]{}()<>|&;#~ \t\n=%^-.";
  for (int i = 0; i < 300; ++i) {
    INFO("case " << i);
    std::string dir = RandomBytes(rng, 10, meta, 1);
    std::replace(dir.begin(), dir.end(), '/', '_');
    if (dir == "." || dir == "..") dir += "x";
    std::string in = "in" + RandomBytes(rng, 8, meta, 1), out = "out" + RandomBytes(rng, 8, meta, 1);
    std::replace(in.begin(), in.end(), '/', '_');
    std::replace(out.begin(), out.end(), '/', '_');
    std::string value = RandomBytes(rng, 12, meta, 1), arg = RandomBytes(rng, 12, meta, 1);
    std::filesystem::create_directory(tmp.path() / dir);
    testing::WriteFile((tmp.path() / dir / in).string(), "input " + std::to_string(i));
    Command c{.argv = {"sh", "-c", "cat; printf '%s\\0' \"${PWD##*/}\" \"$JV\" \"$@\"", "sh", arg, ""},
              .env = {{"JV", value}},
              .cd = dir,
              .sudo = i % 2 == 1,
              .stdin_from = in,
              .stdout_to = out};
    std::string line = "cd " + ShellQuote(tmp.path().string()) + " && PATH=" +
                       ShellQuote(tmp.path().string()) + ":$PATH && " + c.Render();
    Result<CommandResult> r = RunProcess({"sh", "-c", line});
    REQUIRE(r.ok());
    INFO(line << "\n" << r->err);
    REQUIRE(r->exit_code == 0);
    std::string got = testing::ReadFile((tmp.path() / dir / out).string());
    CHECK(got == "input " + std::to_string(i) + dir + '\0' + value + '\0' + arg + '\0' + '\0');
    std::filesystem::remove_all(tmp.path() / dir);
  }
}

TEST_CASE("Command renders cd, env, redirections and sudo", "[control]") {
  Command c{.argv = {"etcd", "--name", "n1", "--initial-cluster", "n1=http://a b"},
            .env = {{"ETCD_LOG", "debug level"}},
            .cd = "/opt/etcd",
            .stdout_to = "/var/jepsen/etcd.log",
            .stdout_append = true,
            .stderr_to_stdout = true};
  CHECK(c.Render() ==
        "cd /opt/etcd && env 'ETCD_LOG=debug level' etcd --name n1 --initial-cluster "
        "'n1=http://a b' >>/var/jepsen/etcd.log 2>&1");
  Command s{.argv = {"cat", "/etc/shadow"}, .sudo = true, .stdout_to = "/tmp/x y"};
  CHECK(s.Render() == "sudo -k -S -p '' sh -c 'cat /etc/shadow >'\\''/tmp/x y'\\'''");
  CHECK(Pipeline({Command{.argv = {"ps", "aux"}}, Command{.argv = {"grep", "a b"}}}) ==
        "ps aux | grep 'a b'");
}

TEST_CASE("Command runs through a remote and reports failures with their output",
          "[control]") {
  std::unique_ptr<Remote> local = MakeLocalRemote();
  Result<CommandResult> ok = Run(*local, Command{.argv = {"echo", "it's here"}});
  REQUIRE(ok.ok());
  CHECK(ok->out == "it's here\n");
  Result<CommandResult> bad = Run(*local, "echo out; echo err >&2; exit 3");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "command exited 3: echo out; echo err >&2; exit 3\n--- stdout ---\nout\n\n"
        "--- stderr ---\nerr\n");
}

TEST_CASE("RunProcess feeds input, reports signals and enforces timeouts", "[control]") {
  Result<CommandResult> cat = RunProcess({"cat"}, {.input = std::string("bin\0ary", 7)});
  REQUIRE(cat.ok());
  CHECK(cat->out == std::string("bin\0ary", 7));
  Result<CommandResult> killed = RunProcess({"sh", "-c", "kill -9 $$"});
  REQUIRE(killed.ok());
  CHECK(killed->exit_code == 137);
  auto start = std::chrono::steady_clock::now();
  Result<CommandResult> slow = RunProcess({"sleep", "10"}, {.timeout = 200ms});
  CHECK(slow.status().code() == StatusCode::kDeadlineExceeded);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  CHECK(RunProcess({"/nonexistent/program"}).status().code() == StatusCode::kNotFound);
  // A program that exits without reading its input does not hurt us.
  Result<CommandResult> ignores = RunProcess({"true"}, {.input = std::string(1 << 20, 'x')});
  CHECK(ignores.ok());
}

TEST_CASE("Local remote uploads and downloads files and directories byte for byte",
          "[control]") {
  testing::TempDir dir;
  std::unique_ptr<Remote> local = MakeLocalRemote();
  std::string bytes;
  for (int i = 0; i < 100000; ++i) bytes += static_cast<char>(i * 7);
  testing::WriteFile(dir.File("src.bin"), bytes);
  REQUIRE(local->Upload(dir.File("src.bin"), dir.File("up.bin")).ok());
  REQUIRE(local->Download(dir.File("up.bin"), dir.File("down.bin")).ok());
  CHECK(testing::ReadFile(dir.File("down.bin")) == bytes);
  // Overwrites in place, leaving no temporary beside it.
  testing::WriteFile(dir.File("src.bin"), "second");
  REQUIRE(local->Upload(dir.File("src.bin"), dir.File("up.bin")).ok());
  CHECK(testing::ReadFile(dir.File("up.bin")) == "second");
  CHECK_FALSE(std::filesystem::exists(dir.File("up.bin.jepsen-transfer")));

  // A tree: nested directories, an odd name, modes, a symlink (uploads follow it).
  REQUIRE(Run(*local, "mkdir -p " + dir.File("tree/a/b") + " && cd " + dir.File("tree") +
                          " && printf x > a/f && printf 'y\\n' > \"a/b/-odd 'name'\" && "
                          "printf run > a/run.sh && chmod 750 a/run.sh && ln -s f a/link")
              .ok());
  REQUIRE(local->Upload(dir.File("tree"), dir.File("uploaded")).ok());
  CHECK(testing::ReadFile(dir.File("uploaded/a/f")) == "x");
  CHECK(testing::ReadFile(dir.File("uploaded/a/b/-odd 'name'")) == "y\n");
  CHECK(testing::ReadFile(dir.File("uploaded/a/link")) == "x");
  CHECK_FALSE(std::filesystem::is_symlink(dir.File("uploaded/a/link")));
  auto perms = [](const std::string& p) {
    return std::filesystem::status(p).permissions() & std::filesystem::perms::all;
  };
  CHECK(perms(dir.File("uploaded/a/run.sh")) == perms(dir.File("tree/a/run.sh")));
  // Into an existing directory: merged.
  testing::WriteFile(dir.File("uploaded/keep"), "k");
  REQUIRE(local->Upload(dir.File("tree"), dir.File("uploaded")).ok());
  CHECK(testing::ReadFile(dir.File("uploaded/keep")) == "k");

  REQUIRE(local->Download(dir.File("tree"), dir.File("copy")).ok());
  CHECK(testing::ReadFile(dir.File("copy/a/f")) == "x");
  CHECK(testing::ReadFile(dir.File("copy/a/b/-odd 'name'")) == "y\n");
  CHECK(std::filesystem::is_symlink(dir.File("copy/a/link")));  // downloads keep links
  CHECK(perms(dir.File("copy/a/run.sh")) == perms(dir.File("tree/a/run.sh")));
  REQUIRE(local->Download(dir.File("tree/a/run.sh"), dir.File("run-copy")).ok());
  CHECK(perms(dir.File("run-copy")) == perms(dir.File("tree/a/run.sh")));

  Status missing = local->Download(dir.File("missing"), dir.File("m"));
  CHECK(missing.code() == StatusCode::kNotFound);
  CHECK_THAT(missing.message(), Catch::Contains("missing"));
  CHECK(local->Upload(dir.File("missing"), dir.File("m")).code() == StatusCode::kNotFound);
  CHECK_FALSE(std::filesystem::exists(dir.File("m")));
}

}  // namespace
}  // namespace jepsen
