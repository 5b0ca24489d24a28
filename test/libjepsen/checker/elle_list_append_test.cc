#include <atomic>

#include <catch2/catch.hpp>

#include "libjepsen/checker/elle_test_util.h"
#include "support/temp_dir.h"

namespace jepsen {
namespace {

using testing::CheckListAppend;
using testing::ConcurrentTxns;
using testing::Not;
using testing::SerialTxns;
using testing::Types;

// Smallest history for each anomaly, then a near miss that has none. Concurrent
// histories keep real-time order out of it unless a test wants it.

TEST_CASE("Elle list-append accepts a serial history", "[elle]") {
  History h = SerialTxns({{0, "ok", "[[:append :x 1] [:r :x [1]]]"},
                          {1, "ok", "[[:r :x [1]] [:append :x 2] [:append :y 1]]"},
                          {0, "ok", "[[:r :x [1 2]] [:r :y [1]]]"}});
  CheckResult r = CheckListAppend(h);
  CHECK(r.validity == Validity::kValid);
  CHECK(Types(r) == "");
  CHECK(r.details.Find("not")->empty());
}

TEST_CASE("Elle list-append finds G0 and not its near miss", "[elle]") {
  auto history = [](const char* y) {
    return ConcurrentTxns({{0, "ok", "[[:append :x 1] [:append :y 1]]"},
                           {1, "ok", "[[:append :x 2] [:append :y 2]]"},
                           {2, "ok", std::string("[[:r :x [1 2]] [:r :y ") + y + "]]"}});
  };
  CheckResult r = CheckListAppend(history("[2 1]"), {"read-uncommitted"});
  CHECK(r.validity == Validity::kInvalid);
  CHECK(Types(r) == "G0");
  CHECK(Not(r) == "read-uncommitted");
  CHECK(CheckListAppend(history("[1 2]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds G1a and dirty updates", "[elle]") {
  CheckResult r = CheckListAppend(ConcurrentTxns({{0, "fail", "[[:append :x 1]]"},
                                                  {1, "ok", "[[:r :x [1]]]"}}));
  CHECK(Types(r) == "G1a");
  CHECK(Not(r) == "read-committed");
  r = CheckListAppend(ConcurrentTxns({{0, "fail", "[[:append :x 1]]"},
                                      {1, "ok", "[[:append :x 2]]"},
                                      {2, "ok", "[[:r :x [1 2]]]"}}));
  CHECK(Types(r) == "G1a dirty-update");
  r = CheckListAppend(ConcurrentTxns({{0, "ok", "[[:append :x 1]]"},
                                      {1, "ok", "[[:append :x 2]]"},
                                      {2, "ok", "[[:r :x [1 2]]]"}}));
  CHECK(r.validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds G1b and not a read of the final append", "[elle]") {
  auto history = [](const char* read) {
    return ConcurrentTxns({{0, "ok", "[[:append :x 1] [:append :x 2]]"},
                           {1, "ok", std::string("[[:r :x ") + read + "]]"}});
  };
  CHECK(Types(CheckListAppend(history("[1]"), {"read-committed"})) == "G1b");
  // The reader also sits between T1's appends: a G-single under stronger models.
  CHECK(Types(CheckListAppend(history("[1]"))) == "G-single G1b");
  CHECK(CheckListAppend(history("[1 2]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds G1c and not its near miss", "[elle]") {
  auto history = [](const char* x) {
    return ConcurrentTxns({{0, "ok", "[[:append :x 1] [:r :y [1]]]"},
                           {1, "ok", std::string("[[:append :y 1] [:r :x ") + x + "]]"}});
  };
  CheckResult r = CheckListAppend(history("[1]"), {"read-committed"});
  CHECK(Types(r) == "G1c");
  CHECK(Not(r) == "read-committed");
  const Value* explanation = r.details.Find("explanation");
  REQUIRE(explanation != nullptr);
  CHECK(std::string(explanation->AsString()).find("G1c") != std::string::npos);
  CHECK(CheckListAppend(history("[]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds G-single, ruling out SI and repeatable read", "[elle]") {
  auto history = [](const char* x) {
    return ConcurrentTxns({{0, "ok", "[[:append :x 1] [:append :y 1]]"},
                           {1, "ok", std::string("[[:r :x ") + x + "] [:r :y [1]]]"}});
  };
  CheckResult r = CheckListAppend(history("[]"), {"snapshot-isolation"});
  CHECK(Types(r) == "G-single");
  CHECK(Not(r) == "repeatable-read snapshot-isolation");
  CHECK(CheckListAppend(history("[1]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds G-nonadjacent, which SI forbids", "[elle]") {
  auto history = [](const char* c) {
    return ConcurrentTxns({{0, "ok", "[[:r :a []] [:r :d [1]]]"},
                           {1, "ok", "[[:append :a 1] [:append :b 1]]"},
                           {2, "ok", std::string("[[:r :b [1]] [:r :c ") + c + "]]"},
                           {3, "ok", "[[:append :c 1] [:append :d 1]]"}});
  };
  CheckResult r = CheckListAppend(history("[]"), {"snapshot-isolation"});
  CHECK(Types(r) == "G-nonadjacent");
  CHECK(CheckListAppend(history("[1]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds write skew (G2-item) only when serializable", "[elle]") {
  auto history = [](const char* x) {
    return ConcurrentTxns({{0, "ok", "[[:r :x []] [:r :y []] [:append :x 1]]"},
                           {1, "ok", std::string("[[:r :x ") + x + "] [:r :y []] [:append :y 1]]"},
                           {2, "ok", "[[:r :x [1]] [:r :y [1]]]"}});
  };
  CHECK(CheckListAppend(history("[]"), {"snapshot-isolation"}).validity == Validity::kValid);
  CheckResult r = CheckListAppend(history("[]"), {"serializable"});
  CHECK(Types(r) == "G2-item");
  CHECK(Not(r) == "repeatable-read");
  CHECK(CheckListAppend(history("[1]"), {"serializable"}).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds lost updates", "[elle]") {
  auto history = [](const char* read) {
    return ConcurrentTxns({{0, "ok", "[[:r :x []] [:append :x 1]]"},
                           {1, "ok", std::string("[[:r :x ") + read + "] [:append :x 2]]"},
                           {2, "ok", "[[:r :x [1 2]]]"}});
  };
  CheckResult r = CheckListAppend(history("[]"), {"cursor-stability"});
  CHECK(Types(r) == "lost-update");
  CHECK(Types(CheckListAppend(history("[]"), {"snapshot-isolation"})) == "G-single lost-update");
  CHECK(CheckListAppend(history("[1]")).validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds internal inconsistency and future reads", "[elle]") {
  CHECK(Types(CheckListAppend(SerialTxns({{0, "ok", "[[:append :x 1] [:r :x []]]"}}))) ==
        "internal");
  CHECK(Types(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:r :x [1]] [:r :x []]]"},
                                          {1, "ok", "[[:append :x 1]]"}}))) == "internal");
  CHECK(CheckListAppend(SerialTxns({{0, "ok", "[[:append :x 1] [:r :x [1]]]"}})).validity ==
        Validity::kValid);
  CHECK(Types(CheckListAppend(SerialTxns({{0, "ok", "[[:r :x [1]] [:append :x 1]]"}}))) ==
        "future-read");
}

TEST_CASE("Elle list-append finds duplicates, incompatible orders and garbage", "[elle]") {
  CHECK(Types(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:append :x 1]]"},
                                              {1, "ok", "[[:r :x [1 1]]]"}}))) ==
        "duplicate-elements");
  CHECK(Types(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:append :x 1]]"},
                                              {1, "ok", "[[:append :x 2]]"},
                                              {2, "ok", "[[:r :x [1 2]]]"},
                                              {3, "ok", "[[:r :x [2 1]]]"}}))) ==
        "incompatible-order");
  CHECK(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:append :x 1]]"},
                                        {1, "ok", "[[:append :x 2]]"},
                                        {2, "ok", "[[:r :x [1 2]]]"},
                                        {3, "ok", "[[:r :x [1]]]"}}))
            .validity == Validity::kValid);
  CHECK(Types(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:r :x [9]]]"}}))) == "garbage-read");
  CHECK(CheckListAppend(ConcurrentTxns({{0, "ok", "[[:r :x [9]]]"}, {1, "info", "[[:append :x 9]]"}}))
            .validity == Validity::kValid);
}

TEST_CASE("Elle list-append finds process and real-time variants", "[elle]") {
  // One process: it appended, then failed to see its own append.
  History same_process = SerialTxns({{0, "ok", "[[:append :x 1]]"}, {0, "ok", "[[:r :x []]]"}});
  CHECK(CheckListAppend(same_process, {"serializable"}).validity == Validity::kValid);
  CHECK(Types(CheckListAppend(same_process, {"strong-session-snapshot-isolation"})) ==
        "G-single-process");
  // Two processes, one after the other in real time.
  History later = SerialTxns({{0, "ok", "[[:append :x 1]]"}, {1, "ok", "[[:r :x []]]"}});
  CHECK(CheckListAppend(later, {"strong-session-serializable"}).validity == Validity::kValid);
  CheckResult r = CheckListAppend(later, {"strict-serializable"});
  CHECK(Types(r) == "G-single-realtime");
  CHECK(Not(r) == "strong-snapshot-isolation");
  CHECK(CheckListAppend(SerialTxns({{0, "ok", "[[:append :x 1]]"}, {1, "ok", "[[:r :x [1]]]"}}))
            .validity == Validity::kValid);
  History g1c_process = SerialTxns({{0, "ok", "[[:r :x [1]]]"}, {0, "ok", "[[:append :x 1]]"}});
  CHECK(Types(CheckListAppend(g1c_process, {"strong-session-serializable"})) == "G1c-process");
}

TEST_CASE("Elle list-append treats info as maybe committed and fail as aborted", "[elle]") {
  // An info append that someone read happened; one nobody read may not have.
  CHECK(CheckListAppend(ConcurrentTxns({{0, "info", "[[:append :x 1]]"},
                                        {1, "ok", "[[:r :x [1]]]"}}))
            .validity == Validity::kValid);
  CHECK(CheckListAppend(SerialTxns({{0, "info", "[[:append :x 1]]"}, {1, "ok", "[[:r :x []]]"}}))
            .validity == Validity::kValid);
  // A failed append nobody read is fine.
  CHECK(CheckListAppend(SerialTxns({{0, "fail", "[[:append :x 1]]"}, {1, "ok", "[[:r :x []]]"}}))
            .validity == Validity::kValid);
}

TEST_CASE("Elle list-append writes explanations and cycle graphs to out_dir", "[elle]") {
  testing::TempDir dir;
  History h = ConcurrentTxns({{0, "ok", "[[:append :x 1] [:r :y [1]]]"},
                              {1, "ok", "[[:append :y 1] [:r :x [1]]]"}});
  CheckContext context{.out_dir = dir.path().string()};
  CheckResult r = elle::MakeListAppendChecker({})->Check(context, h);
  CHECK(r.validity == Validity::kInvalid);
  std::string text = testing::ReadFile(dir.File("elle/G1c.txt"));
  CHECK(text ==
        "G1c: a cycle of write-write and write-read dependencies.\n"
        "Let:\n"
        "  T1 = {:index 2, :type :ok, :process 0, :f :txn, :value [[:append :x 1] [:r :y [1]]]}\n"
        "  T2 = {:index 3, :type :ok, :process 1, :f :txn, :value [[:append :y 1] [:r :x [1]]]}\n"
        "Then:\n"
        "  - T1 < T2 (wr), because T2 read key :x = [1], observing T1's append of 1.\n"
        "  - However, T2 < T1 (wr), because T1 read key :y = [1], observing T2's append of 1: "
        "a contradiction!\n\n");
  std::string svg = testing::ReadFile(dir.File("elle/G1c-1.svg"));
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find(">wr</text>") != std::string::npos);
  CHECK(testing::ReadFile(dir.File("elle/G1c-1.dot")).find("\"T1\" -> \"T2\" [label=\"wr\"") !=
        std::string::npos);
}

TEST_CASE("Elle list-append reports malformed transactions as unknown", "[elle]") {
  History h = SerialTxns({{0, "ok", "[[:frob :x 1]]"}});
  CheckResult r = CheckListAppend(h);
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("error") != nullptr);
}

TEST_CASE("Elle list-append gives up as unknown when cancelled before the cycle search",
          "[elle]") {
  std::atomic<bool> cancel{true};
  CheckContext context{.cancel = &cancel};
  History h = testing::ConcurrentTxns({{0, "ok", "[[:append :x 1] [:r :y [1]]]"},
                                       {1, "ok", "[[:append :y 1] [:r :x [1]]]"}});
  CheckResult r = elle::MakeListAppendChecker({})->Check(context, h);
  CHECK(r.validity == Validity::kUnknown);
  CHECK(r.details.Find("incomplete") != nullptr);
  // Non-cyclic anomalies found before giving up still decide the verdict.
  History g1a = testing::ConcurrentTxns({{0, "fail", "[[:append :x 1]]"},
                                         {1, "ok", "[[:r :x [1]]]"}});
  CHECK(elle::MakeListAppendChecker({})->Check(context, g1a).validity == Validity::kInvalid);
}

}  // namespace
}  // namespace jepsen
