#include "jepsen/checker/log_file_pattern.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

namespace jepsen {
namespace {

void Write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::unique_ptr<Checker> Make(LogFilePatternOptions o) {
  Result<std::unique_ptr<Checker>> c = MakeLogFilePatternChecker(std::move(o));
  REQUIRE(c.ok());
  return *std::move(c);
}

TEST_CASE("Log-file-pattern checker reports matching lines with node, file and line",
          "[checker][log-file-pattern]") {
  testing::TempDir run;
  Write(run.path() / "n1" / "db.log", "starting\npanic: invariant violated\nbye\n");
  Write(run.path() / "n2" / "db.log", "starting\nall good\n");
  Write(run.path() / "n2" / "other.log", "panic: not searched\n");
  Write(run.path() / "n3" / "db.log", "panic: not a node of this test\n");
  CheckContext context{.out_dir = run.path().string(), .nodes = {"n1", "n2", "n4"}};
  CheckResult r = Make({.pattern = R"(panic: (\w+))", .file = "db.log"})->Check(context, {});
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("matches")->ToEdn() ==
        "[{:node \"n1\", :file \"db.log\", :line-number 2, :line \"panic: invariant "
        "violated\"}]");
  CHECK(r.details.Find("files-searched")->AsInt() == 2);
  CHECK(r.details.Find("explanation")->AsString() ==
        "1 line(s) in the node logs match /panic: (\\w+)/, the first in n1 db.log line 2: "
        "panic: invariant violated");
}

TEST_CASE("Log-file-pattern checker searches every file of every node directory",
          "[checker][log-file-pattern]") {
  testing::TempDir run;
  Write(run.path() / "n1" / "logs" / "a.log", "FATAL x\nok\nFATAL y\n");
  Write(run.path() / "n2" / "b.log", "fine\n");
  Write(run.path() / "history.edn", "FATAL in a top-level file is not a node log\n");
  CheckResult r = Make({.pattern = "FATAL", .dir = run.path().string()})->Check({}, {});
  CHECK(r.validity == Validity::kInvalid);
  CHECK(r.details.Find("count")->AsInt() == 2);
  CHECK(r.details.Find("matches")->elements()[1].Find("file")->AsString() == "logs/a.log");
  CHECK(r.details.Find("matches")->elements()[1].Find("line-number")->AsInt() == 3);

  CheckResult capped =
      Make({.pattern = "FATAL", .dir = run.path().string(), .max_matches = 1})->Check({}, {});
  CHECK(capped.details.Find("count")->AsInt() == 2);
  CHECK(capped.details.Find("matches")->size() == 1);
}

TEST_CASE("Log-file-pattern checker is valid without matches, unknown without a directory",
          "[checker][log-file-pattern]") {
  testing::TempDir run;
  Write(run.path() / "n1" / "db.log", std::string(200'000, 'x') + "\nquiet\n");
  CheckResult r = Make({.pattern = "^x+y$|panic"})->Check({.out_dir = run.path().string()}, {});
  CHECK(r.validity == Validity::kValid);
  CHECK(r.details.ToEdn() ==
        "{:pattern \"^x+y$|panic\", :count 0, :files-searched 1, :matches []}");

  CheckResult missing = Make({.pattern = "panic", .dir = run.File("nope")})->Check({}, {});
  CHECK(missing.validity == Validity::kUnknown);
  CHECK(missing.details.Find("error")->AsString().starts_with("no log directory"));
}

TEST_CASE("Log-file-pattern checker rejects a malformed pattern",
          "[checker][log-file-pattern]") {
  Result<std::unique_ptr<Checker>> c = MakeLogFilePatternChecker({.pattern = "panic("});
  REQUIRE(!c.ok());
  CHECK(c.status().message().starts_with("bad log pattern /panic(/"));
  CHECK(!MakeLogFilePatternChecker({}).ok());
}

}  // namespace
}  // namespace jepsen
