// tikv-test-server: the TiKV protocol test server. It takes the seed's rpc-server
// arguments (--node HOST --port P --type raw|txn, plus --pd ENDPOINT) and serves
// tikv.raw (with Cas) or tikv.txn over gRPC on 127.0.0.1:P from an in-memory store
// shared by every server process of a test through a file (tikv_test_store.h).
//
// Environment:
//   TIKV_TEST_SERVER_STORE   the shared store file (required)
//   TIKV_TEST_SERVER_FAULTS  comma-separated switches, each NAME=PROBABILITY or NAME:
//     undetermined=P  reply "undetermined"; writes and commits apply half the time
//     aborted=P       reply "aborted" without applying anything
//     lost=P          apply (writes half the time), then reply only after
//                     TIKV_TEST_SERVER_LOST_DELAY_MS (default 2000), past the deadline
//     stale-read=P    a read returns the version before the one it should (a bug)
//     no-cas          Cas answers UNIMPLEMENTED, as the seed's server does
//   TIKV_TEST_SERVER_SEED    seed of the fault choices (default: pid)
//
// Exit: 0 after SIGTERM/SIGINT, 2 on bad arguments.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "support/tikv_test_store.h"
#include "tikv/rawkv.grpc.pb.h"
#include "tikv/txnkv.grpc.pb.h"

namespace {

using jepsen::testing::FileStore;
using jepsen::testing::StoreData;
using jepsen::testing::Version;

std::atomic<bool> g_stop{false};

// What happens to one call.
enum class Fate { kNormal, kUndetermined, kAborted, kLost };

class Faults {
 public:
  Faults(const std::string& spec, uint64_t seed) : rng_(seed) {
    size_t start = 0;
    while (start < spec.size()) {
      size_t comma = spec.find(',', start);
      if (comma == std::string::npos) comma = spec.size();
      std::string item = spec.substr(start, comma - start);
      start = comma + 1;
      if (item.empty()) continue;
      size_t eq = item.find('=');
      std::string name = item.substr(0, eq);
      double p = eq == std::string::npos ? 1.0 : std::stod(item.substr(eq + 1));
      if (name == "undetermined") undetermined_ = p;
      else if (name == "aborted") aborted_ = p;
      else if (name == "lost") lost_ = p;
      else if (name == "stale-read") stale_ = p;
      else if (name == "no-cas") no_cas_ = true;
      else throw std::invalid_argument("unknown fault '" + name + "' in TIKV_TEST_SERVER_FAULTS");
    }
    if (const char* d = std::getenv("TIKV_TEST_SERVER_LOST_DELAY_MS")) lost_delay_ms_ = std::atoi(d);
  }
  Fate Choose() {
    double x = Uniform();
    if ((x -= undetermined_) < 0) return Fate::kUndetermined;
    if ((x -= aborted_) < 0) return Fate::kAborted;
    if ((x -= lost_) < 0) return Fate::kLost;
    return Fate::kNormal;
  }
  bool Coin() { return Uniform() < 0.5; }
  bool StaleRead() { return stale_ > 0 && Uniform() < stale_; }
  bool no_cas() const { return no_cas_; }
  void LoseReply() const { std::this_thread::sleep_for(std::chrono::milliseconds(lost_delay_ms_)); }

 private:
  double Uniform() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::uniform_real_distribution<double>(0, 1)(rng_);
  }
  std::mutex mu_;
  std::mt19937_64 rng_;  // guarded by mu_
  double undetermined_ = 0, aborted_ = 0, lost_ = 0, stale_ = 0;
  bool no_cas_ = false;
  int lost_delay_ms_ = 2000;
};

template <typename Reply>
void SetError(Reply* reply, Fate fate, const std::string& what) {
  auto* e = reply->mutable_error();
  if (fate == Fate::kUndetermined) e->set_undetermined(what + ": injected undetermined error");
  if (fate == Fate::kAborted) e->set_aborted(what + ": injected abort");
}

class RawService final : public tikv::raw::Client::Service {
 public:
  RawService(FileStore& store, Faults& faults) : store_(store), faults_(faults) {}

  grpc::Status Get(grpc::ServerContext*, const tikv::raw::GetRequest* req,
                   tikv::raw::GetReply* reply) override {
    Fate fate = faults_.Choose();
    if (fate == Fate::kUndetermined || fate == Fate::kAborted) {
      SetError(reply, fate, "get");
      return grpc::Status::OK;
    }
    bool stale = faults_.StaleRead();
    std::optional<std::string> v = store_.Apply([&](StoreData& d, bool&) -> std::optional<std::string> {
      bool too_old = false;
      const Version* ver = d.AtOrBefore(req->key(), d.ts, stale ? 1 : 0, &too_old);
      return ver ? std::optional<std::string>(ver->value) : std::nullopt;
    });
    if (v) reply->set_value(*v);
    else reply->mutable_error()->set_not_found("key is not found");
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

  grpc::Status Put(grpc::ServerContext*, const tikv::raw::PutRequest* req,
                   tikv::raw::PutReply* reply) override {
    Fate fate = faults_.Choose();
    if (fate != Fate::kAborted && (fate == Fate::kNormal || faults_.Coin())) {
      store_.Apply([&](StoreData& d, bool& changed) {
        d.Write(req->key(), req->value(), ++d.ts);
        changed = true;
        return 0;
      });
    }
    SetError(reply, fate, "put");
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

  grpc::Status Cas(grpc::ServerContext*, const tikv::raw::CasRequest* req,
                   tikv::raw::CasReply* reply) override {
    if (faults_.no_cas()) return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "cas is disabled");
    Fate fate = faults_.Choose();
    if (fate == Fate::kAborted) {
      SetError(reply, fate, "cas");
      return grpc::Status::OK;
    }
    bool apply = fate == Fate::kNormal || faults_.Coin();
    store_.Apply([&](StoreData& d, bool& changed) {
      const Version* cur = d.Latest(req->key());
      bool matches = req->previous_not_exist() ? cur == nullptr
                                               : cur != nullptr && cur->value == req->previous_value();
      if (!matches) {
        if (cur) reply->set_previous_value(cur->value);
        reply->set_previous_not_exist(cur == nullptr);
        return 0;
      }
      if (apply) {
        d.Write(req->key(), req->value(), ++d.ts);
        changed = true;
      }
      reply->set_succeed(true);
      return 0;
    });
    SetError(reply, fate, "cas");
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

 private:
  FileStore& store_;
  Faults& faults_;
};

class TxnService final : public tikv::txn::Client::Service {
 public:
  TxnService(FileStore& store, Faults& faults) : store_(store), faults_(faults) {}

  grpc::Status BeginTxn(grpc::ServerContext*, const tikv::txn::BeginTxnRequest* req,
                        tikv::txn::BeginTxnReply* reply) override {
    // Say once per mode which transaction modes clients asked for, so tests can see
    // that --txn-mode reaches the wire.
    const bool pessimistic = req->type() == tikv::txn::BeginTxnRequest::PESSIMISTIC;
    if (!seen_mode_[pessimistic].exchange(true)) {
      std::cerr << "first BeginTxn of type " << (pessimistic ? "PESSIMISTIC" : "OPTIMISTIC")
                << std::endl;
    }
    Fate fate = faults_.Choose();
    if (fate == Fate::kUndetermined || fate == Fate::kAborted) {
      SetError(reply, fate, "begin");
      return grpc::Status::OK;
    }
    int64_t start = store_.Apply([](StoreData& d, bool&) { return d.ts; });
    std::lock_guard<std::mutex> lock(mu_);
    uint32_t id = next_id_++;
    txns_[id] = Txn{.start_ts = start};
    reply->set_txn_id(id);
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

  grpc::Status Get(grpc::ServerContext*, const tikv::txn::GetRequest* req,
                   tikv::txn::GetReply* reply) override {
    Fate fate = faults_.Choose();
    if (fate == Fate::kUndetermined || fate == Fate::kAborted) {
      SetError(reply, fate, "txn get");
      return grpc::Status::OK;
    }
    std::optional<Txn> txn = Find(req->txn_id());
    if (!txn) {
      reply->mutable_error()->set_aborted("no such transaction");
      return grpc::Status::OK;
    }
    if (auto w = txn->writes.find(req->key()); w != txn->writes.end()) {
      reply->set_value(w->second);
      return grpc::Status::OK;
    }
    bool stale = faults_.StaleRead();
    bool too_old = false;
    std::optional<std::string> v = store_.Apply([&](StoreData& d, bool&) -> std::optional<std::string> {
      const Version* ver = d.AtOrBefore(req->key(), txn->start_ts, stale ? 1 : 0, &too_old);
      return ver ? std::optional<std::string>(ver->value) : std::nullopt;
    });
    if (v) reply->set_value(*v);
    else if (too_old) reply->mutable_error()->set_aborted("snapshot too old");
    else reply->mutable_error()->set_not_found("key is not found");
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

  grpc::Status Put(grpc::ServerContext*, const tikv::txn::PutRequest* req,
                   tikv::txn::PutReply* reply) override {
    Fate fate = faults_.Choose();
    if (fate == Fate::kUndetermined || fate == Fate::kAborted) {
      SetError(reply, fate, "txn put");
      return grpc::Status::OK;
    }
    std::lock_guard<std::mutex> lock(mu_);
    auto it = txns_.find(req->txn_id());
    if (it == txns_.end()) {
      reply->mutable_error()->set_aborted("no such transaction");
      return grpc::Status::OK;
    }
    it->second.writes[req->key()] = req->value();
    return grpc::Status::OK;
  }

  grpc::Status Commit(grpc::ServerContext*, const tikv::txn::CommitRequest* req,
                      tikv::txn::CommitReply* reply) override {
    std::optional<Txn> txn = Take(req->txn_id());
    if (!txn) {
      reply->mutable_error()->set_aborted("no such transaction");
      return grpc::Status::OK;
    }
    Fate fate = faults_.Choose();
    if (fate == Fate::kAborted) {
      SetError(reply, fate, "commit");
      return grpc::Status::OK;
    }
    bool apply = fate == Fate::kNormal || faults_.Coin();
    bool conflict = store_.Apply([&](StoreData& d, bool& changed) {
      for (const auto& [key, value] : txn->writes) {
        const Version* latest = d.Latest(key);
        if (latest && latest->ts > txn->start_ts) return true;  // first committer wins
      }
      if (apply && !txn->writes.empty()) {
        int64_t ts = ++d.ts;
        for (const auto& [key, value] : txn->writes) d.Write(key, value, ts);
        changed = true;
      }
      return false;
    });
    if (conflict) {
      reply->mutable_error()->set_aborted("write conflict");
      return grpc::Status::OK;
    }
    SetError(reply, fate, "commit");
    if (fate == Fate::kLost) faults_.LoseReply();
    return grpc::Status::OK;
  }

  grpc::Status Rollback(grpc::ServerContext*, const tikv::txn::RollbackRequest* req,
                        tikv::txn::RollbackReply*) override {
    Take(req->txn_id());
    return grpc::Status::OK;
  }

 private:
  struct Txn {
    int64_t start_ts = 0;
    std::map<std::string, std::string> writes;
  };
  std::optional<Txn> Find(uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = txns_.find(id);
    if (it == txns_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Txn> Take(uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = txns_.find(id);
    if (it == txns_.end()) return std::nullopt;
    Txn t = std::move(it->second);
    txns_.erase(it);
    return t;
  }

  FileStore& store_;
  Faults& faults_;
  std::atomic<bool> seen_mode_[2] = {false, false};
  std::mutex mu_;
  std::map<uint32_t, Txn> txns_;  // guarded by mu_
  uint32_t next_id_ = 1;          // guarded by mu_
};

int Usage(const std::string& why) {
  std::cerr << "tikv-test-server: " << why
            << "\nusage: tikv-test-server --node HOST --port PORT --type raw|txn [--pd HOST:PORT]\n"
               "  (TIKV_TEST_SERVER_STORE must name the store file shared by a test's servers)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0 || i + 1 >= argc) return Usage("bad argument '" + a + "'");
    args[a.substr(2)] = argv[++i];
  }
  for (const char* required : {"node", "port", "type"}) {
    if (!args.count(required)) return Usage(std::string("missing --") + required);
  }
  for (const auto& [name, value] : args) {
    if (name != "node" && name != "port" && name != "type" && name != "pd") {
      return Usage("unknown option --" + name);
    }
  }
  const std::string type = args["type"];
  if (type != "raw" && type != "txn") return Usage("--type must be raw or txn");
  const char* store_path = std::getenv("TIKV_TEST_SERVER_STORE");
  if (store_path == nullptr || *store_path == '\0') return Usage("TIKV_TEST_SERVER_STORE is not set");
  const char* spec = std::getenv("TIKV_TEST_SERVER_FAULTS");
  const char* seed = std::getenv("TIKV_TEST_SERVER_SEED");
  uint64_t s = seed ? std::strtoull(seed, nullptr, 10) + std::stoull(args["port"])
                    : static_cast<uint64_t>(::getpid());
  try {
    FileStore store(store_path);
    Faults faults(spec ? spec : "", s);
    RawService raw(store, faults);
    TxnService txn(store, faults);
    std::string address = "127.0.0.1:" + args["port"];
    grpc::ServerBuilder builder;
    int bound = 0;
    builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound);
    if (type == "raw") builder.RegisterService(&raw);
    else builder.RegisterService(&txn);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || bound == 0) {
      std::cerr << "tikv-test-server: cannot listen on " << address << "\n";
      return 1;
    }
    signal(SIGTERM, [](int) { g_stop = true; });
    signal(SIGINT, [](int) { g_stop = true; });
    std::cerr << "serving tikv." << type << " on " << address << " for node " << args["node"]
              << " (pd " << (args.count("pd") ? args["pd"] : args["node"] + ":2379")
              << "), faults '" << (spec ? spec : "") << "'" << std::endl;
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
    std::cerr << "stopped" << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "tikv-test-server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
