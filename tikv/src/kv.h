// Private: connections to the TiKV client server (the seed's rpc-server), one per
// worker, as small interfaces so workload clients can be tested against fakes and no
// gRPC type leaks out of grpc_kv.cc.
//
// Every call carries a deadline; a call either gets a reply (possibly carrying the
// server's tikv.error.Error) or fails in transport (connection refused, deadline
// passed, server crashed), which CallResult says apart.
//
// Thread safety: a connection is used by one worker thread at a time.
#ifndef JEPSEN_TIKV_SRC_KV_H_
#define JEPSEN_TIKV_SRC_KV_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "jepsen/tikv/outcome.h"

namespace jepsen::tikv {

struct CallResult {
  // The server's error when it replied (empty on success).
  ReplyError error;
  // No reply arrived: transport_message says why. `timed_out` when the deadline passed.
  bool transport_failed = false;
  bool timed_out = false;
  // The server does not implement the call (gRPC UNIMPLEMENTED).
  bool unimplemented = false;
  std::string transport_message;
  // Get: the value; Cas: the value found when the swap did not happen.
  std::string value;
  // Cas: whether the swap happened.
  bool succeed = false;
  // BeginTxn: the transaction's id.
  uint32_t txn_id = 0;
};

// The outcome of a call of kind `kind`: transport failures are fail for reads and
// transaction steps before commit, info for writes and commits (docs/tikv.md).
Outcome ClassifyCall(const CallResult& result, CallKind kind);

// tikv.raw.Client.
class RawKv {
 public:
  virtual ~RawKv() = default;
  virtual CallResult Get(const std::string& key) = 0;
  virtual CallResult Put(const std::string& key, const std::string& value) = 0;
  // Swaps in `value` if the key holds `previous` (nullopt: if the key has no value).
  virtual CallResult Cas(const std::string& key, const std::optional<std::string>& previous,
                         const std::string& value) = 0;
};

// tikv.txn.Client.
class TxnKv {
 public:
  virtual ~TxnKv() = default;
  virtual CallResult Begin(bool pessimistic) = 0;
  virtual CallResult Get(uint32_t txn, const std::string& key) = 0;
  virtual CallResult Put(uint32_t txn, const std::string& key, const std::string& value) = 0;
  virtual CallResult Commit(uint32_t txn) = 0;
  virtual CallResult Rollback(uint32_t txn) = 0;
};

// Connections to the client server at `address` ("127.0.0.1:8001"); every call gives
// up after `deadline`. The channel connects lazily, so these never fail.
std::unique_ptr<RawKv> MakeGrpcRawKv(const std::string& address,
                                     std::chrono::milliseconds deadline);
std::unique_ptr<TxnKv> MakeGrpcTxnKv(const std::string& address,
                                     std::chrono::milliseconds deadline);

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_KV_H_
