// The client servers as processes (started, logged, stopped by pid) and the gRPC
// clients against the protocol test server: replies, missing keys, cas, deadlines,
// conflicts, and UNIMPLEMENTED from a server without Cas.
#include "jepsen/tikv/client_server.h"

#include <catch2/catch.hpp>

#include <signal.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "kv.h"
#include "support/temp_dir.h"

namespace jepsen::tikv {
namespace {

struct Env {
  testing::TempDir dir;
  Logger logger;
  Test test;
  std::string log_path;

  explicit Env(const std::string& faults = "", int nodes = 3) {
    log_path = (dir.path() / "jepsen.log").string();
    logger.set_stderr(false);
    REQUIRE(logger.OpenFile(log_path).ok());
    for (int i = 1; i <= nodes; ++i) test.nodes.push_back("n" + std::to_string(i));
    test.logger = &logger;
    ::setenv("TIKV_TEST_SERVER_STORE", (dir.path() / "kv.store").c_str(), 1);
    ::setenv("TIKV_TEST_SERVER_FAULTS", faults.c_str(), 1);
    ::setenv("TIKV_TEST_SERVER_LOST_DELAY_MS", "500", 1);
  }
  std::string Log() {
    std::ifstream in(log_path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_CASE("TiKV client server arguments are the seed's", "[tikv][client-server]") {
  Test t;
  t.nodes = {"n1", "n2", "n3"};
  CHECK(ClientServerPort(t, "n3") == 8003);
  CHECK(ClientServerPort(t, "n9") == -1);
  CHECK(ClientServerAddress(t, "n2") == "127.0.0.1:8002");
  CHECK(ClientServerArgs(t, "n2", "n2:2379", "raw") ==
        std::vector<std::string>{"--node", "n2", "--port", "8002", "--type", "raw"});
  CHECK(ClientServerArgs(t, "n1", "10.0.0.5:12379", "txn") ==
        std::vector<std::string>{"--node", "10.0.0.5", "--port", "8001", "--type", "txn", "--pd",
                                 "10.0.0.5:12379"});
}

TEST_CASE("TiKV client servers start, log to the run's log and stop by pid",
          "[tikv][client-server]") {
  Env env;
  ClientServers servers({.program = TIKV_TEST_SERVER, .type = "raw"});
  REQUIRE(servers.StartAll(env.test, {"n1:2379", "n2:2379", "n3:2379"}).ok());
  std::vector<int> pids = servers.Pids();
  REQUIRE(pids.size() == 3);
  for (int pid : pids) CHECK(::kill(pid, 0) == 0);
  // A second start on the same ports is refused, naming the port.
  ClientServers again({.program = TIKV_TEST_SERVER, .type = "raw"});
  Status busy = again.StartAll(env.test, {"n1:2379"});
  REQUIRE_FALSE(busy.ok());
  CHECK_THAT(std::string(busy.message()), Catch::Contains("port 8001") && Catch::Contains("already in use"));
  servers.StopAll(env.test);
  CHECK(servers.Pids().empty());
  for (int pid : pids) CHECK(::kill(pid, 0) != 0);
  std::string log = env.Log();
  CHECK_THAT(log, Catch::Contains("rpc-server n2: serving tikv.raw on 127.0.0.1:8002 for node n2"));
  CHECK_THAT(log, Catch::Contains("client server for n3 (pid"));
}

TEST_CASE("TiKV client servers report a missing program or an early exit", "[tikv][client-server]") {
  Env env;
  ClientServers missing({.program = "/nonexistent/rpc-server"});
  Status s = missing.StartAll(env.test, {"n1:2379"});
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(std::string(s.message()), Catch::Contains("cannot start --rpc-server /nonexistent/rpc-server"));

  ::unsetenv("TIKV_TEST_SERVER_STORE");  // the test server exits 2 without it
  ClientServers early({.program = TIKV_TEST_SERVER, .type = "raw"});
  Status e = early.StartAll(env.test, {"n1:2379"});
  REQUIRE_FALSE(e.ok());
  CHECK_THAT(std::string(e.message()), Catch::Contains("exited with code 2") &&
                                           Catch::Contains("TIKV_TEST_SERVER_STORE is not set"));
}

TEST_CASE("TiKV raw client reads, writes and swaps through the client server",
          "[tikv][client-server]") {
  Env env("", 2);
  ClientServers servers({.program = TIKV_TEST_SERVER, .type = "raw"});
  REQUIRE(servers.StartAll(env.test, {"n1:2379"}).ok());
  auto a = MakeGrpcRawKv(ClientServerAddress(env.test, "n1"), std::chrono::milliseconds(2000));
  auto b = MakeGrpcRawKv(ClientServerAddress(env.test, "n2"), std::chrono::milliseconds(2000));
  Outcome missing = ClassifyCall(a->Get("k"), CallKind::kRead);
  CHECK(missing.type == OpType::kOk);
  CHECK(missing.missing);
  CHECK(ClassifyCall(a->Put("k", "1"), CallKind::kWrite).type == OpType::kOk);
  // The other node's server sees the same store.
  CallResult got = b->Get("k");
  CHECK(ClassifyCall(got, CallKind::kRead).type == OpType::kOk);
  CHECK(got.value == "1");
  CallResult swapped = b->Cas("k", std::string("1"), "2");
  CHECK(swapped.succeed);
  CallResult refused = a->Cas("k", std::string("1"), "3");
  CHECK_FALSE(refused.succeed);
  CHECK(refused.value == "2");
  CHECK(a->Cas("new", std::nullopt, "9").succeed);
  servers.StopAll(env.test);
  // No server: a transport failure; reads fail, writes are unknown.
  CallResult down = a->Put("k", "4");
  CHECK(down.transport_failed);
  CHECK(ClassifyCall(down, CallKind::kWrite).type == OpType::kInfo);
  CHECK(ClassifyCall(a->Get("k"), CallKind::kRead).type == OpType::kFail);
}

TEST_CASE("TiKV clients see UNIMPLEMENTED Cas and lost replies as such", "[tikv][client-server]") {
  Env env("no-cas,lost=1", 1);
  ClientServers servers({.program = TIKV_TEST_SERVER, .type = "raw"});
  REQUIRE(servers.StartAll(env.test, {"n1:2379"}).ok());
  // Cas is refused before any fault applies; a generous deadline for slow builds.
  auto patient = MakeGrpcRawKv(ClientServerAddress(env.test, "n1"), std::chrono::milliseconds(5000));
  CallResult cas = patient->Cas("k", std::nullopt, "1");
  CHECK(cas.unimplemented);
  CHECK_FALSE(cas.timed_out);
  auto kv = MakeGrpcRawKv(ClientServerAddress(env.test, "n1"), std::chrono::milliseconds(150));
  // Every reply is held past the deadline.
  CallResult put = kv->Put("k", "1");
  CHECK(put.timed_out);
  Outcome o = ClassifyCall(put, CallKind::kWrite);
  CHECK(o.type == OpType::kInfo);
  CHECK(o.error == "timeout");
  CHECK(ClassifyCall(kv->Get("k"), CallKind::kRead).type == OpType::kFail);
  servers.StopAll(env.test);
}

TEST_CASE("TiKV txn client commits, conflicts and reads its snapshot", "[tikv][client-server]") {
  Env env("", 1);
  ClientServers servers({.program = TIKV_TEST_SERVER, .type = "txn"});
  REQUIRE(servers.StartAll(env.test, {"n1:2379"}).ok());
  auto kv = MakeGrpcTxnKv(ClientServerAddress(env.test, "n1"), std::chrono::milliseconds(2000));
  CallResult t1 = kv->Begin(false);
  CallResult t2 = kv->Begin(true);
  REQUIRE(t1.txn_id != t2.txn_id);
  CHECK(ClassifyCall(kv->Get(t1.txn_id, "x"), CallKind::kRead).missing);
  CHECK(ClassifyCall(kv->Put(t1.txn_id, "x", "a"), CallKind::kTxnStep).type == OpType::kOk);
  CHECK(ClassifyCall(kv->Put(t2.txn_id, "x", "b"), CallKind::kTxnStep).type == OpType::kOk);
  CHECK(ClassifyCall(kv->Commit(t1.txn_id), CallKind::kCommit).type == OpType::kOk);
  Outcome lost = ClassifyCall(kv->Commit(t2.txn_id), CallKind::kCommit);
  CHECK(lost.type == OpType::kFail);
  CHECK(lost.error == "aborted");
  CallResult t3 = kv->Begin(false);
  CHECK(kv->Get(t3.txn_id, "x").value == "a");
  CHECK(ClassifyCall(kv->Rollback(t3.txn_id), CallKind::kTxnStep).type == OpType::kOk);
  servers.StopAll(env.test);
}

}  // namespace
}  // namespace jepsen::tikv
