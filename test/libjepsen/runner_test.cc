#include "jepsen/runner.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <thread>

#include "jepsen/history_io.h"
#include "jepsen/store.h"
#include "support/fake_remote.h"
#include "support/register_client.h"
#include "support/stale_read_checker.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::RegisterClient;

Gen Writes() {
  auto next = std::make_shared<std::atomic<int64_t>>(1);
  return gen::Fn([next](const Test&, const Context&) -> std::optional<Op> {
    return Op{.f = Value::Keyword("write"), .value = (*next)++};
  });
}

Test RegisterTest(const testing::TempDir& dir, testing::RegisterBehavior behavior = {}) {
  Test test;
  test.name = "register";
  test.nodes = {"n1", "n2", "n3"};
  test.concurrency = 5;
  test.seed = 77;
  test.store_dir = dir.File("store");
  test.os = MakeNoopOs();
  test.db = MakeNoopDb();
  test.client = std::make_unique<RegisterClient>(behavior);
  test.generator = gen::Clients(gen::TimeLimit(
      400ms, gen::Stagger(200us, gen::Mix({gen::Repeat(gen::Invoke("read")), Writes()}))));
  test.final_generator = gen::Clients(gen::EachThread(gen::Once(gen::Invoke("read"))));
  test.checker = std::make_unique<testing::StaleReadChecker>();
  return test;
}

RunOptions Quiet() { return {.progress = false}; }

TEST_CASE("Runner runs a test into a store directory whose history passes its checker",
          "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir);
  Result<RunResult> r = Run(test, Quiet());
  REQUIRE(r.ok());
  CHECK(r->result.validity == Validity::kValid);
  CHECK(r->history.size() > 100);
  CHECK_FALSE(r->interrupted);
  for (const char* f : {"history.jsonl", "history.edn", "history.txt", "results.json",
                        "results.edn", "test.json", "jepsen.log"}) {
    INFO(f);
    CHECK(fs::exists(fs::path(r->run_dir) / f));
  }
  CHECK(fs::equivalent(dir.File("store/latest"), r->run_dir));
  CHECK(fs::equivalent(dir.File("store/register/latest"), r->run_dir));
  // The files hold exactly what was recorded, in all three formats.
  for (const char* f : {"history.jsonl", "history.edn"}) {
    Result<History> stored = ReadHistoryFile(r->run_dir + "/" + f);
    REQUIRE(stored.ok());
    REQUIRE(stored->size() == r->history.size());
    CHECK((*stored)[stored->size() - 1] == r->history[r->history.size() - 1]);
  }
  Result<StoredRun> loaded = LoadRun(dir.File("store/latest"));
  REQUIRE(loaded.ok());
  CHECK(loaded->test.Find(Value::String("seed"))->ToEdn() == "77");
  CHECK(testing::ReadFile(r->run_dir + "/results.json").rfind("{\"valid?\":true", 0) == 0);
  // The final generator read once per thread after the main phase.
  int final_reads = 0;
  for (size_t i = r->history.size() - 10; i < r->history.size(); ++i) {
    final_reads += r->history[i].f.IsKeyword("read") && r->history[i].is_ok();
  }
  CHECK(final_reads == 5);
}

TEST_CASE("Runner reports a stale register as invalid", "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir, {.stale_read_probability = 0.3});
  Result<RunResult> r = Run(test, Quiet());
  REQUIRE(r.ok());
  CHECK(r->result.validity == Validity::kInvalid);
  CHECK(r->result.details.Find("bad-count")->AsInt() > 0);
  CHECK(testing::ReadFile(r->run_dir + "/results.json").rfind("{\"valid?\":false", 0) == 0);
}

class HealingNemesis : public Nemesis {
 public:
  Op Invoke(const Test&, const Op& op) override {
    return Complete(op, OpType::kInfo, Value::Keyword("partitioned"));
  }
  Status Teardown(const Test&) override {
    ++teardowns;
    return OkStatus();
  }
  std::vector<std::string> Fs() const override { return {"start-partition"}; }
  std::atomic<int> teardowns{0};
};

TEST_CASE("Runner heals and tears down when SIGINT stops a run", "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir);
  test.generator = gen::ClientsAndNemesis(
      gen::Stagger(1ms, gen::Mix({gen::Repeat(gen::Invoke("read")), Writes()})),
      gen::Once(gen::Invoke("start-partition")));  // no time limit: only a signal ends it
  auto nemesis = std::make_unique<HealingNemesis>();
  HealingNemesis* n = nemesis.get();
  test.nemesis = std::move(nemesis);
  std::thread interrupter([] {
    std::this_thread::sleep_for(300ms);
    std::raise(SIGINT);
  });
  Result<RunResult> r = Run(test, Quiet());
  interrupter.join();
  REQUIRE(r.ok());
  CHECK(r->interrupted);
  CHECK(n->teardowns == 1);
  CHECK(r->history.PendingInvocations().empty());
  CHECK(testing::ReadFile(r->run_dir + "/jepsen.log").find("every fault it can cause is healed") !=
        std::string::npos);
}

// A checker that works until it is cancelled (as a long linearizability search would),
// noting the limits it was given.
class SlowChecker : public Checker {
 public:
  CheckResult Check(const CheckContext& context, const History&) override {
    time_limit = context.time_limit;
    memory_limit = context.memory_limit_bytes;
    started = true;
    while (context.cancel == nullptr || !context.cancel->load()) std::this_thread::sleep_for(1ms);
    return {.validity = Validity::kUnknown,
            .details = Value::Map({{Value::Keyword("unknown-reason"), Value::String("cancelled")}})};
  }
  std::atomic<bool> started{false};
  std::chrono::milliseconds time_limit{0};
  uint64_t memory_limit = 0;
};

TEST_CASE("Runner passes the check limits and a signal cancels the check, keeping the run",
          "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir);
  auto checker = std::make_unique<SlowChecker>();
  SlowChecker* c = checker.get();
  test.checker = std::move(checker);
  std::thread interrupter([c] {
    while (!c->started) std::this_thread::sleep_for(1ms);
    std::raise(SIGINT);
  });
  RunOptions options = Quiet();
  options.check_time_limit = 90s;
  options.check_memory_limit_bytes = 123 << 20;
  Result<RunResult> r = Run(test, options);
  interrupter.join();
  REQUIRE(r.ok());
  CHECK(c->time_limit == 90s);
  CHECK(c->memory_limit == uint64_t{123} << 20);
  CHECK_FALSE(r->interrupted);  // the run itself ended normally
  CHECK(r->result.validity == Validity::kUnknown);
  CHECK(testing::ReadFile(r->run_dir + "/results.json").rfind("{\"valid?\":\"unknown\"", 0) == 0);
  Result<History> stored = ReadHistoryFile(r->run_dir + "/history.jsonl");
  REQUIRE(stored.ok());
  CHECK(stored->size() == r->history.size());
  CHECK(testing::ReadFile(r->run_dir + "/jepsen.log").find("cancelled by a signal") !=
        std::string::npos);
}

class FlakyDb : public Db, public HasLogFiles {
 public:
  explicit FlakyDb(int failures) : failures_(failures) {}
  Status Setup(const Test& test, const std::string& node) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back("before " + node);
    }
    JEPSEN_RETURN_IF_ERROR(test.barrier());
    std::lock_guard<std::mutex> lock(mu);
    events.push_back("after " + node);
    if (node == "n2" && failures_ > 0) {
      --failures_;
      return UnavailableError("n2 did not come up");
    }
    return OkStatus();
  }
  Status Teardown(const Test&, const std::string&) override {
    ++teardowns;
    return OkStatus();
  }
  std::vector<std::string> LogFiles(const Test&, const std::string&) override {
    return {"/var/log/db.log"};
  }
  std::mutex mu;
  std::vector<std::string> events;
  std::atomic<int> teardowns{0};

 private:
  int failures_;
};

Status FakeRemotes(Test& test) {
  for (const auto& node : test.nodes) {
    test.remotes[node] = std::make_unique<testing::FakeRemote>(
        std::map<std::string, std::string>{{"/var/log/db.log", "log of " + node + "\n"}});
  }
  return OkStatus();
}

TEST_CASE("Runner sets up the DB behind a cluster-wide barrier, retrying failures",
          "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir);
  auto db = std::make_unique<FlakyDb>(2);
  FlakyDb* flaky = db.get();
  test.db = std::move(db);
  RunOptions options = Quiet();
  options.open_remotes = FakeRemotes;
  Result<RunResult> r = Run(test, options);
  REQUIRE(r.ok());
  // Three attempts: every node reaches the barrier before any passes it.
  REQUIRE(flaky->events.size() == 18);
  for (size_t attempt = 0; attempt < 3; ++attempt) {
    for (size_t i = 0; i < 3; ++i) CHECK(flaky->events[attempt * 6 + i].rfind("before", 0) == 0);
  }
  // Torn down before each of the 3 setups and once at the end, on each node.
  CHECK(flaky->teardowns == 12);
  CHECK(testing::ReadFile(r->run_dir + "/n3/db.log") == "log of n3\n");
}

TEST_CASE("Runner gives up on a DB that never comes up, after tearing it down",
          "[runner]") {
  testing::TempDir dir;
  Test test = RegisterTest(dir);
  auto db = std::make_unique<FlakyDb>(100);
  FlakyDb* flaky = db.get();
  test.db = std::move(db);
  Result<RunResult> r = Run(test, Quiet());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "DB setup failed 3 times: n2: n2 did not come up");
  CHECK(flaky->teardowns == 12);
}

}  // namespace
}  // namespace jepsen
