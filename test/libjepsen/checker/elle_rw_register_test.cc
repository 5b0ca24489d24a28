#include <catch2/catch.hpp>

#include "libjepsen/checker/elle_test_util.h"

namespace jepsen {
namespace {

using testing::CheckRwRegister;
using testing::ConcurrentTxns;
using testing::SerialTxns;
using testing::Types;

TEST_CASE("Elle rw-register accepts a serial history", "[elle]") {
  History h = SerialTxns({{0, "ok", "[[:r :x nil] [:w :x 1]]"},
                          {1, "ok", "[[:r :x 1] [:w :x 2] [:w :y 1]]"},
                          {0, "ok", "[[:r :x 2] [:r :y 1]]"}});
  CHECK(CheckRwRegister(h).validity == Validity::kValid);
}

TEST_CASE("Elle rw-register finds G1a, G1b and garbage, and not their near misses", "[elle]") {
  CHECK(Types(CheckRwRegister(ConcurrentTxns({{0, "fail", "[[:w :x 1]]"},
                                              {1, "ok", "[[:r :x 1]]"}}))) == "G1a");
  CHECK(Types(CheckRwRegister(ConcurrentTxns({{0, "ok", "[[:w :x 1] [:w :x 2]]"},
                                              {1, "ok", "[[:r :x 1]]"}}))) == "G1b");
  CHECK(CheckRwRegister(ConcurrentTxns({{0, "ok", "[[:w :x 1] [:w :x 2]]"},
                                        {1, "ok", "[[:r :x 2]]"}}))
            .validity == Validity::kValid);
  CHECK(Types(CheckRwRegister(ConcurrentTxns({{0, "ok", "[[:r :x 5]]"}}))) == "garbage-read");
  CHECK(CheckRwRegister(ConcurrentTxns({{0, "ok", "[[:r :x 5]]"}, {1, "info", "[[:w :x 5]]"}}))
            .validity == Validity::kValid);
}

TEST_CASE("Elle rw-register finds G1c and G-single", "[elle]") {
  CHECK(Types(CheckRwRegister(ConcurrentTxns({{0, "ok", "[[:w :x 1] [:r :y 1]]"},
                                              {1, "ok", "[[:w :y 1] [:r :x 1]]"}}))) == "G1c");
  auto single = [](const char* x) {
    return ConcurrentTxns({{0, "ok", "[[:w :x 1] [:w :y 1]]"},
                           {1, "ok", std::string("[[:r :x ") + x + "] [:r :y 1]]"}});
  };
  CHECK(Types(CheckRwRegister(single("nil"))) == "G-single");
  CHECK(CheckRwRegister(single("1")).validity == Validity::kValid);
}

TEST_CASE("Elle rw-register finds write skew and lost updates by model", "[elle]") {
  History skew = ConcurrentTxns({{0, "ok", "[[:r :x nil] [:r :y nil] [:w :x 1]]"},
                                 {1, "ok", "[[:r :x nil] [:r :y nil] [:w :y 1]]"}});
  CHECK(CheckRwRegister(skew, {"snapshot-isolation"}).validity == Validity::kValid);
  CHECK(Types(CheckRwRegister(skew, {"serializable"})) == "G2-item");
  History lost = ConcurrentTxns({{0, "ok", "[[:r :x nil] [:w :x 1]]"},
                                 {1, "ok", "[[:r :x nil] [:w :x 2]]"}});
  CHECK(Types(CheckRwRegister(lost, {"snapshot-isolation"})) == "lost-update");
  CHECK(CheckRwRegister(SerialTxns({{0, "ok", "[[:r :x nil] [:w :x 1]]"},
                                    {1, "ok", "[[:r :x 1] [:w :x 2]]"}}))
            .validity == Validity::kValid);
}

TEST_CASE("Elle rw-register finds internal inconsistency and future reads", "[elle]") {
  CHECK(Types(CheckRwRegister(SerialTxns({{0, "ok", "[[:w :x 1] [:r :x 2]]"}}))) == "internal");
  CHECK(CheckRwRegister(SerialTxns({{0, "ok", "[[:w :x 1] [:r :x 1]]"}})).validity ==
        Validity::kValid);
  CHECK(Types(CheckRwRegister(SerialTxns({{0, "ok", "[[:r :x 1] [:w :x 1]]"}}))) ==
        "future-read");
}

TEST_CASE("Elle rw-register orders writes by real time when keys are linearizable", "[elle]") {
  History h = SerialTxns({{0, "ok", "[[:w :x 1]]"}, {1, "ok", "[[:w :x 2]]"},
                          {2, "ok", "[[:r :x 1]]"}});
  CHECK(CheckRwRegister(h).validity == Validity::kValid);
  elle::ElleOptions options = testing::ModelOptions({"strict-serializable"});
  options.linearizable_keys = true;
  CheckResult r = elle::MakeRwRegisterChecker(options)->Check({}, h);
  CHECK(Types(r) == "G-single-realtime");
  options.linearizable_keys = false;
  options.sequential_keys = true;
  History same_process = SerialTxns({{0, "ok", "[[:w :x 1]]"}, {0, "ok", "[[:w :x 2]]"},
                                     {0, "ok", "[[:r :x 1]]"}});
  options.consistency_models = {elle::ConsistencyModel::kStrongSessionSerializable};
  CHECK(Types(elle::MakeRwRegisterChecker(options)->Check({}, same_process)) ==
        "G-single-process");
}

}  // namespace
}  // namespace jepsen
