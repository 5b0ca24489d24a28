#include "jepsen/interpreter.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <set>

#include "support/register_client.h"

namespace jepsen {
namespace {

using namespace std::chrono_literals;
using testing::RegisterBehavior;
using testing::RegisterClient;

Gen Writes() {
  auto next = std::make_shared<std::atomic<int64_t>>(0);
  return gen::Fn([next](const Test&, const Context&) -> std::optional<Op> {
    return Op{.f = Value::Keyword("write"), .value = (*next)++};
  });
}

Gen ReadsAndWrites() {
  return gen::Mix({gen::Repeat(gen::Invoke("read")), Writes()});
}

Test MakeTest(RegisterBehavior behavior, int concurrency = 4) {
  Test test;
  test.nodes = {"n1", "n2", "n3"};
  test.concurrency = concurrency;
  test.client = std::make_unique<RegisterClient>(behavior);
  return test;
}

TEST_CASE("Interpreter records dense, paired, time-ordered ops", "[interpreter]") {
  Test test = MakeTest({});
  History h;
  Interpreter interpreter(test, h, {.seed = 1});
  REQUIRE(interpreter.Run(gen::Clients(gen::Limit(500, ReadsAndWrites()))).ok());
  REQUIRE(h.size() == 1000);
  for (size_t i = 0; i < h.size(); ++i) {
    CHECK(h[i].index == static_cast<int64_t>(i));
    if (i > 0) CHECK(h[i].time >= h[i - 1].time);
    if (h[i].is_invoke()) CHECK(h.Completion(i) != nullptr);
  }
  CHECK(interpreter.stats().ok == 500);
  CHECK(h.PendingInvocations().empty());
}

TEST_CASE("Interpreter records a thrown exception as info and retires the process",
          "[interpreter]") {
  Test test = MakeTest({.throw_probability = 0.2}, 2);
  auto* prototype = static_cast<RegisterClient*>(test.client.get());
  History h;
  Interpreter interpreter(test, h, {.seed = 2});
  REQUIRE(interpreter.Run(gen::Clients(gen::Limit(200, ReadsAndWrites()))).ok());
  int crashes = 0;
  std::set<int64_t> processes;
  for (const Op& op : h) {
    processes.insert(op.process);
    if (!op.is_info()) continue;
    ++crashes;
    CHECK(op.error.ToEdn() == "[:exception \"connection reset by peer\"]");
  }
  CHECK(crashes > 10);
  // Each crash moves its thread to process + 2 (the last ones may never run an op),
  // and the thread opens a new client for its new process.
  CHECK(static_cast<int>(processes.size()) >= crashes);
  CHECK(static_cast<int>(processes.size()) <= 2 + crashes);
  CHECK(prototype->state()->opened >= static_cast<int>(processes.size()));
}

TEST_CASE("Interpreter times out a hung client and carries on", "[interpreter]") {
  Test test = MakeTest({.hang_on_f = "hang"}, 2);
  auto state = static_cast<RegisterClient*>(test.client.get())->state();
  History h;
  {
    Interpreter interpreter(test, h, {.op_timeout = 200ms, .seed = 3});
    Gen g = gen::Clients(gen::Concat({gen::Invoke("hang"), gen::Limit(20, ReadsAndWrites())}));
    auto start = std::chrono::steady_clock::now();
    REQUIRE(interpreter.Run(g).ok());
    CHECK(std::chrono::steady_clock::now() - start < 5s);
  }
  state->release = true;  // let the abandoned worker finish
  const Op* timed_out = nullptr;
  for (const Op& op : h) {
    if (op.f.IsKeyword("hang") && op.is_info()) timed_out = &op;
  }
  REQUIRE(timed_out != nullptr);
  CHECK(timed_out->error[0].IsKeyword("interpreter-timeout"));
  CHECK(h.size() == 42);
  std::this_thread::sleep_for(50ms);
}

class RecordingNemesis : public Nemesis {
 public:
  Op Invoke(const Test&, const Op& op) override {
    return Complete(op, OpType::kInfo, Value::String("did " + op.f.ToEdn()));
  }
  std::vector<std::string> Fs() const override { return {"start", "stop"}; }
};

TEST_CASE("Interpreter sends nemesis ops to the nemesis thread", "[interpreter]") {
  Test test = MakeTest({});
  test.nemesis = std::make_unique<RecordingNemesis>();
  History h;
  Interpreter interpreter(test, h, {.seed = 4});
  Gen g = gen::ClientsAndNemesis(gen::Limit(50, ReadsAndWrites()),
                                 gen::Concat({gen::Invoke("start"), gen::Invoke("stop")}));
  REQUIRE(interpreter.Run(g).ok());
  std::vector<std::string> nemesis;
  for (const Op& op : h) {
    if (op.is_nemesis()) nemesis.push_back(fmt::format("{} {} {}", OpTypeName(op.type), op.f, op.value));
  }
  CHECK(nemesis == std::vector<std::string>{"invoke :start nil", "info :start \"did :start\"",
                                            "invoke :stop nil", "info :stop \"did :stop\""});
  CHECK(interpreter.stats().nemesis_ops == 2);
}

TEST_CASE("Interpreter waits for ops scheduled in the future", "[interpreter]") {
  Test test = MakeTest({}, 1);
  History h;
  Interpreter interpreter(test, h, {.seed = 5});
  REQUIRE(interpreter.Run(gen::Clients(gen::Limit(3, gen::Delay(50ms, ReadsAndWrites())))).ok());
  REQUIRE(h.size() == 6);
  // Scheduled 50 ms apart; the first may be recorded a little after its slot (the
  // dispatch itself takes time), so allow for that rather than time it exactly.
  CHECK(h[4].time - h[0].time >= 90'000'000);
  CHECK(h[2].time - h[0].time >= 40'000'000);
}

TEST_CASE("Interpreter stops on request and leaves nothing running", "[interpreter]") {
  Test test = MakeTest({});
  History h;
  std::atomic<int> stop{0};
  Interpreter interpreter(test, h, {.stop = &stop, .seed = 6});
  std::thread stopper([&] {
    std::this_thread::sleep_for(100ms);
    stop = static_cast<int>(StopRequest::kStop);
  });
  REQUIRE(interpreter.Run(gen::Clients(gen::Stagger(1ms, ReadsAndWrites()))).ok());
  stopper.join();
  CHECK(h.size() > 10);
  CHECK(h.PendingInvocations().empty());
}

// A nemesis whose op takes 300 ms (a fault being installed on slow nodes).
class SlowNemesis : public Nemesis {
 public:
  Op Invoke(const Test&, const Op& op) override {
    std::this_thread::sleep_for(300ms);
    return Complete(op, OpType::kInfo, Value::Keyword("installed"));
  }
  std::vector<std::string> Fs() const override { return {"start"}; }
};

// A run of one SlowNemesis op, aborted (a second Ctrl-C) `after` it started.
struct AbortedDuringFault {
  explicit AbortedDuringFault(std::chrono::milliseconds after) {
    test.nemesis = std::make_unique<SlowNemesis>();
    std::thread stopper([&] {
      std::this_thread::sleep_for(after);
      stop = static_cast<int>(StopRequest::kAbort);
    });
    run = interpreter.Run(gen::Nemesis(gen::Invoke("start")));
    stopper.join();
  }
  Test test = MakeTest({}, 1);
  History h;
  std::atomic<int> stop{0};
  Interpreter interpreter{test, h, {.stop = &stop, .seed = 7}};
  Status run;
};

TEST_CASE("After an abort, FinishNemesis waits for the fault in flight and records it",
          "[interpreter]") {
  AbortedDuringFault a(100ms);
  REQUIRE(a.run.ok());
  Interpreter& interpreter = a.interpreter;
  History& h = a.h;
  CHECK(interpreter.nemesis_running());
  CHECK(interpreter.abandoned() == 1);
  CHECK(h.PendingInvocations().size() == 1);
  CHECK(interpreter.FinishNemesis(2s));
  CHECK_FALSE(interpreter.nemesis_running());
  CHECK(interpreter.abandoned() == 0);
  CHECK(h.PendingInvocations().empty());
  REQUIRE(h.size() == 2);
  CHECK(h[1].value.IsKeyword("installed"));
  CHECK(interpreter.FinishNemesis(0s));  // nothing in flight: at once
}

TEST_CASE("FinishNemesis gives up on a nemesis op that outlasts its timeout", "[interpreter]") {
  AbortedDuringFault a(50ms);
  REQUIRE(a.run.ok());
  CHECK_FALSE(a.interpreter.FinishNemesis(10ms));
  CHECK(a.interpreter.abandoned() == 1);
  CHECK(a.h.PendingInvocations().size() == 1);
  std::this_thread::sleep_for(400ms);  // let the worker finish before the test ends
}

}  // namespace
}  // namespace jepsen
