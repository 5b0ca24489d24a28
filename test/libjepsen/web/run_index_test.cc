#include "jepsen/web/run_index.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "support/temp_dir.h"

namespace jepsen::web {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

void MakeRun(const fs::path& store, const std::string& test, const std::string& time,
             const char* results_json) {
  fs::create_directories(store / test / time);
  if (results_json != nullptr)
    WriteFile((store / test / time / "results.json").string(), results_json);
}

TEST_CASE("ReadResultsVerdict reads the top-level valid? only", "[web][run_index]") {
  TempDir tmp;
  std::string f = tmp.File("results.json");
  auto verdict = [&](const std::string& text) {
    WriteFile(f, text);
    return ReadResultsVerdict(f);
  };
  CHECK(verdict("{\"valid?\":true,\"count\":3}\n") == RunVerdict::kValid);
  CHECK(verdict("{\"valid?\":false}") == RunVerdict::kInvalid);
  CHECK(verdict("{\"valid?\":\"unknown\"}") == RunVerdict::kUnknown);
  CHECK(verdict(" {\n \"valid?\" : false }") == RunVerdict::kInvalid);
  // Nested "valid?" keys (composed checkers) are not the run's verdict.
  CHECK(verdict(
            "{\"a\":{\"valid?\":false,\"x\":[1,{\"valid?\":true}]},\"s\":\"va\\\"lid?\","
            "\"valid?\":true}") == RunVerdict::kValid);
  CHECK(verdict("{\"a\":{\"valid?\":false}}") == RunVerdict::kUnknown);
  CHECK(verdict("") == RunVerdict::kUnknown);
  CHECK(verdict("[true]") == RunVerdict::kUnknown);
  CHECK(verdict("{\"valid?\":") == RunVerdict::kUnknown);
  CHECK(verdict("{\"valid?\":null}") == RunVerdict::kUnknown);
  CHECK(ReadResultsVerdict(tmp.File("missing.json")) == RunVerdict::kIncomplete);

  // A large file whose verdict comes first is answered from its first bytes.
  std::string big = "{\"valid?\":false,\"ops\":[";
  for (int i = 0; i < 200000; ++i) big += "{\"i\":" + std::to_string(i) + "},";
  big += "1]}";
  CHECK(verdict(big) == RunVerdict::kInvalid);
  // And one whose verdict comes last is still read correctly, in pieces.
  big = "{\"ops\":[";
  for (int i = 0; i < 20000; ++i) big += "\"s\\\\" + std::to_string(i) + "\",";
  big += "1],\"valid?\":true}";
  CHECK(verdict(big) == RunVerdict::kValid);
}

TEST_CASE("Run times parse from store names and display in UTC", "[web][run_index]") {
  CHECK(ParseRunTime("20261125T010203.456Z") == int64_t{1795568523456});
  CHECK(ParseRunTime("19700101T000000.000Z") == int64_t{0});
  CHECK_FALSE(ParseRunTime("latest"));
  CHECK_FALSE(ParseRunTime("20261325T010203.456Z"));
  CHECK_FALSE(ParseRunTime("2026112xT010203.456Z"));
  CHECK(DisplayRunTime("20261125T010203.456Z") == "2026-11-25 01:02:03.456 UTC");
  CHECK(DisplayRunTime("my-run") == "my-run");
}

TEST_CASE("RunIndex lists runs newest first with their verdicts", "[web][run_index]") {
  TempDir tmp;
  fs::path store = fs::canonical(tmp.path());
  MakeRun(store, "etcd-register", "20261125T010203.456Z", "{\"valid?\":true}");
  MakeRun(store, "etcd-register", "20261125T020000.000Z", "{\"valid?\":false}");
  MakeRun(store, "tikv-bank", "20261124T235959.999Z", "{\"valid?\":\"unknown\"}");
  MakeRun(store, "tikv-bank", "20261125T013000.000Z", nullptr);  // crashed or running
  MakeRun(store, ".hidden", "20261126T000000.000Z", "{\"valid?\":true}");
  WriteFile((store / "etcd-register" / "stray.txt").string(), "not a run");
  fs::create_directory_symlink("etcd-register/20261125T020000.000Z", store / "latest");
  fs::create_directory_symlink("20261125T020000.000Z",
                               store / "etcd-register" / "latest");

  RunIndex index(store.string());
  std::vector<RunInfo> runs = index.Runs();
  std::vector<std::string> order;
  for (const RunInfo& r : runs) {
    order.push_back(r.test + "/" + r.time + " " + std::string(RunVerdictName(r.verdict)));
  }
  CHECK(order == std::vector<std::string>{
                     "etcd-register/20261125T020000.000Z invalid",
                     "tikv-bank/20261125T013000.000Z incomplete",
                     "etcd-register/20261125T010203.456Z valid",
                     "tikv-bank/20261124T235959.999Z unknown",
                 });
  CHECK(runs[0].start_ms == *ParseRunTime("20261125T020000.000Z"));

  // A run that finishes, a verdict that changes and a deleted run all show at once.
  WriteFile((store / "tikv-bank" / "20261125T013000.000Z" / "results.json").string(),
            "{\"valid?\":true}");
  WriteFile((store / "etcd-register" / "20261125T010203.456Z" / "results.json").string(),
            "{\"valid?\":false,\"rechecked\":true}");
  fs::remove_all(store / "tikv-bank" / "20261124T235959.999Z");
  order.clear();
  for (const RunInfo& r : index.Runs()) {
    order.push_back(r.test + "/" + r.time + " " + std::string(RunVerdictName(r.verdict)));
  }
  CHECK(order == std::vector<std::string>{
                     "etcd-register/20261125T020000.000Z invalid",
                     "tikv-bank/20261125T013000.000Z valid",
                     "etcd-register/20261125T010203.456Z invalid",
                 });
}

TEST_CASE("RunIndex orders runs with other names by their mtime", "[web][run_index]") {
  TempDir tmp;
  fs::path store = fs::canonical(tmp.path());
  MakeRun(store, "t", "old-run", "{\"valid?\":true}");
  MakeRun(store, "t", "new-run", "{\"valid?\":true}");
  auto now = fs::file_time_type::clock::now();
  fs::last_write_time(store / "t" / "old-run", now - std::chrono::hours(2));
  fs::last_write_time(store / "t" / "new-run", now - std::chrono::hours(1));
  std::vector<RunInfo> runs = RunIndex(store.string()).Runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].time == "new-run");
  CHECK(runs[1].time == "old-run");
}

TEST_CASE("RunIndex of an empty or missing store lists nothing", "[web][run_index]") {
  TempDir tmp;
  CHECK(RunIndex(fs::canonical(tmp.path()).string()).Runs().empty());
  CHECK(RunIndex(tmp.File("missing")).Runs().empty());
}

}  // namespace
}  // namespace jepsen::web
