// KvClient against a real etcd (Debian's etcd-server) on loopback: the wire format of
// proto/etcd/ (Range, Put, Txn, Status), deadlines, and how real failures classify.
// [integration]: starts a single-member etcd on 127.0.0.1; skips when etcd is missing.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "jepsen/control/process.h"
#include "jepsen/etcd/kv_client.h"
#include "support/temp_dir.h"

namespace jepsen::etcd {
namespace {

using namespace std::chrono_literals;

// A single-member etcd on loopback ports derived from our pid, killed (by its pid)
// when the scope ends.
class LoopbackEtcd {
 public:
  explicit LoopbackEtcd(const std::string& dir)
      : client_port_(20000 + static_cast<int>(getpid() % 5000) * 2), peer_port_(client_port_ + 1) {
    std::string client = "http://127.0.0.1:" + std::to_string(client_port_);
    std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
    Result<int> pid = SpawnDetached({"/usr/bin/etcd", "--name", "solo", "--data-dir", dir + "/data",
                                     "--listen-client-urls", client, "--advertise-client-urls", client,
                                     "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                                     "--initial-cluster", "solo=" + peer},
                                    dir + "/etcd.log");
    if (pid.ok()) pid_ = *pid;
  }
  ~LoopbackEtcd() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    for (int i = 0; i < 50 && ::kill(pid_, 0) == 0; ++i) std::this_thread::sleep_for(100ms);
  }
  LoopbackEtcd(const LoopbackEtcd&) = delete;
  LoopbackEtcd& operator=(const LoopbackEtcd&) = delete;

  int pid() const { return pid_; }
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(client_port_); }

  // Waits until it serves a linearizable read. A fresh client per attempt: a
  // connection made while etcd listens but does not serve yet may hang (see
  // grpc_kv.cc), as the DB's health check also knows.
  bool AwaitReady() const {
    for (int i = 0; i < 100; ++i) {
      std::vector<KeyValue> found;
      if (ConnectEtcd(endpoint(), {.timeout = 500ms})->Range({.key = "ready"}, &found).ok()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

 private:
  int client_port_, peer_port_;
  int pid_ = -1;
};

bool HaveEtcd() {
  if (std::filesystem::exists("/usr/bin/etcd")) return true;
  WARN("SKIPPED: /usr/bin/etcd is not installed (scripts/install-deps installs etcd-server)");
  return false;
}

TEST_CASE("KvClient speaks etcd's v3 API: Put, Range, Txn and Status", "[etcd][integration]") {
  if (!HaveEtcd()) return;
  testing::TempDir dir;
  LoopbackEtcd etcd(dir.path().string());
  REQUIRE(etcd.pid() > 0);
  REQUIRE(etcd.AwaitReady());
  std::unique_ptr<KvClient> kv = ConnectEtcd(etcd.endpoint(), {.timeout = 2s});

  REQUIRE(kv->Put("r/1", "3").ok());
  REQUIRE(kv->Put("r/2", "4").ok());
  std::vector<KeyValue> found;
  REQUIRE(kv->Range({.key = "r/1"}, &found).ok());
  REQUIRE(found.size() == 1);
  CHECK(found[0].value == "3");
  CHECK(found[0].version == 1);
  int64_t rev = found[0].mod_revision;
  CHECK(rev > 0);
  REQUIRE(kv->Range({.key = "r/", .prefix = true, .serializable = true}, &found).ok());
  REQUIRE(found.size() == 2);
  CHECK(found[1].key == "r/2");
  REQUIRE(kv->Range({.key = "absent"}, &found).ok());
  CHECK(found.empty());

  // cas: compare the value; a failed guard writes nothing.
  TxnResult r;
  Txn cas{.compare = {{.key = "r/1", .value = "0"}},
          .success = {{.range = {.key = "r/1"}, .put = true, .value = "9"}}};
  REQUIRE(kv->Commit(cas, &r).ok());
  CHECK_FALSE(r.succeeded);
  cas.compare[0].value = "3";
  REQUIRE(kv->Commit(cas, &r).ok());
  CHECK(r.succeeded);
  REQUIRE(kv->Range({.key = "r/1"}, &found).ok());
  CHECK(found.at(0).value == "9");

  // A mod-revision guard (0: absent) and ranges in the branch that ran.
  Txn guarded{.compare = {{.key = "r/1", .target = Compare::Target::kModRevision, .mod_revision = rev},
                          {.key = "absent", .target = Compare::Target::kModRevision, .mod_revision = 0}},
              .success = {{.range = {.key = "absent"}, .put = true, .value = "x"}},
              .failure = {{.range = {.key = "r/1"}}, {.range = {.key = "r/2"}}}};
  REQUIRE(kv->Commit(guarded, &r).ok());
  CHECK_FALSE(r.succeeded);  // r/1 changed since `rev`
  REQUIRE(r.ranges.size() == 2);
  CHECK(r.ranges[0].at(0).value == "9");
  CHECK(r.ranges[1].at(0).value == "4");

  MemberStatus s;
  REQUIRE(kv->Status(&s).ok());
  CHECK(s.member_id != 0);
  CHECK(s.leader == s.member_id);  // a single member leads itself
  CHECK(s.version.rfind("3.", 0) == 0);
}

TEST_CASE("KvClient deadlines turn a paused member into timeouts, info for writes", "[etcd][integration]") {
  if (!HaveEtcd()) return;
  testing::TempDir dir;
  LoopbackEtcd etcd(dir.path().string());
  REQUIRE(etcd.pid() > 0);
  REQUIRE(etcd.AwaitReady());
  std::unique_ptr<KvClient> kv = ConnectEtcd(etcd.endpoint(), {.timeout = 300ms});
  std::vector<KeyValue> found;
  REQUIRE(kv->Range({.key = "warm"}, &found).ok());  // connected before the pause
  REQUIRE(::kill(etcd.pid(), SIGSTOP) == 0);
  auto start = std::chrono::steady_clock::now();
  RpcError e = kv->Put("k", "v");
  auto took = std::chrono::steady_clock::now() - start;
  ::kill(etcd.pid(), SIGCONT);
  CHECK(e.code == RpcCode::kDeadlineExceeded);
  CHECK(took < 2s);
  ErrorOutcome o = ClassifyError(e, true);
  CHECK(o.type == OpType::kInfo);
  CHECK(o.error.elements()[0].IsNamed("timeout"));
}

TEST_CASE("KvClient fails fast on a member nobody listens for, definitely", "[etcd][integration]") {
  // Port 1 on loopback: refused at once; the request was never sent.
  std::unique_ptr<KvClient> kv = ConnectEtcd("127.0.0.1:1", {.timeout = 2s});
  RpcError e = kv->Put("k", "v");
  REQUIRE(e.code == RpcCode::kUnavailable);
  ErrorOutcome o = ClassifyError(e, true);
  CHECK(o.type == OpType::kFail);
  CHECK(o.error.ToEdn().find(":connect-failed") != std::string::npos);
}

}  // namespace
}  // namespace jepsen::etcd
