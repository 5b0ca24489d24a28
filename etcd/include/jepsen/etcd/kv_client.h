// KvClient: a connection to one etcd member through etcd's v3 gRPC API (KV Range, Put
// and Txn; Maintenance Status), with a deadline on every call. The workloads' clients
// and the DB automation (health, leader) use it; gRPC stays behind this interface.
//
//   std::unique_ptr<KvClient> kv = ConnectEtcd("10.77.0.1:2379", {.timeout = 2s});
//   std::vector<KeyValue> found;
//   RpcError e = kv->Range({.key = "r/1", .serializable = false}, &found);
//   if (!e.ok()) ... ClassifyError(e, ...)  (errors.h)
//
// A call never blocks longer than the timeout: it fails with DEADLINE_EXCEEDED (the
// channel does not wait for a connection: an unreachable member fails at once with
// UNAVAILABLE).
//
// Thread safety: a KvClient may be used from several threads at once.
#ifndef JEPSEN_ETCD_KV_CLIENT_H_
#define JEPSEN_ETCD_KV_CLIENT_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "jepsen/etcd/errors.h"

namespace jepsen::etcd {

struct KeyValue {
  std::string key;
  std::string value;
  int64_t mod_revision = 0;
  int64_t version = 0;
};

// A Range: one key, or every key starting with `key` when `prefix`.
struct RangeSpec {
  std::string key;
  bool prefix = false;
  // Served by the member alone, without a quorum (etcd's serializable reads: possibly
  // stale). Default: linearizable.
  bool serializable = false;
};

// One comparison of a Txn's guard; all must hold for the success branch.
struct Compare {
  enum class Target { kValue, kModRevision };
  std::string key;
  Target target = Target::kValue;
  // Equal to this value (kValue) or mod revision (kModRevision; 0: the key is absent).
  std::string value;
  int64_t mod_revision = 0;
};

// A request inside a Txn branch: a Range, or a Put when `put` is set.
struct TxnRequest {
  RangeSpec range;
  bool put = false;
  std::string value;  // for puts; the key is range.key
};

struct Txn {
  std::vector<Compare> compare;
  std::vector<TxnRequest> success;
  std::vector<TxnRequest> failure;
};

struct TxnResult {
  // Whether the guard held (the success branch ran).
  bool succeeded = false;
  // For each request of the branch that ran, in order: what its Range found (empty for
  // puts and absent keys).
  std::vector<std::vector<KeyValue>> ranges;
  // The store revision the transaction ran at.
  int64_t revision = 0;
};

// What Maintenance.Status says about the member that answers.
struct MemberStatus {
  uint64_t member_id = 0;
  // The member it believes is the leader (0: none).
  uint64_t leader = 0;
  uint64_t raft_term = 0;
  std::string version;
};

class KvClient {
 public:
  virtual ~KvClient() = default;
  KvClient() = default;
  KvClient(const KvClient&) = delete;
  KvClient& operator=(const KvClient&) = delete;

  // Keys found, in key order.
  virtual RpcError Range(const RangeSpec& range, std::vector<KeyValue>* found) = 0;
  virtual RpcError Put(const std::string& key, const std::string& value) = 0;
  virtual RpcError Commit(const Txn& txn, TxnResult* result) = 0;
  virtual RpcError Status(MemberStatus* status) = 0;
};

struct KvClientOptions {
  // Every call's deadline.
  std::chrono::milliseconds timeout{2000};
};

// A client of the member at `endpoint` ("host:port"). Connects lazily: never fails
// here; calls fail while the member is unreachable.
std::unique_ptr<KvClient> ConnectEtcd(const std::string& endpoint, KvClientOptions options = {});

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_KV_CLIENT_H_
