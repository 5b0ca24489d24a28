// KvClient over etcd's gRPC API: the generated stubs stay in this file. Each call gets
// its own ClientContext with the deadline; the channel fails fast (no wait_for_ready)
// so an unreachable member costs one failed call, not a hang.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <optional>
#include <string>

#include "etcd/rpc.grpc.pb.h"
#include "jepsen/etcd/kv_client.h"

namespace jepsen::etcd {
namespace {

namespace pb = ::etcdserverpb;

RpcError FromGrpc(const grpc::Status& s) {
  return {static_cast<RpcCode>(s.error_code()), s.error_message()};
}

// etcd's range_end for "every key starting with `prefix`": the prefix with its last
// byte incremented (trailing 0xff bytes dropped); "\0" (every key) if none is left.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last < 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(1, '\0');
}

void FillRange(const RangeSpec& spec, pb::RangeRequest* r) {
  r->set_key(spec.key);
  if (spec.prefix) r->set_range_end(PrefixEnd(spec.key));
  r->set_serializable(spec.serializable);
}

std::vector<KeyValue> Kvs(const pb::RangeResponse& r) {
  std::vector<KeyValue> out;
  out.reserve(static_cast<size_t>(r.kvs_size()));
  for (const auto& kv : r.kvs()) {
    out.push_back({kv.key(), kv.value(), kv.mod_revision(), kv.version()});
  }
  return out;
}

void FillRequest(const TxnRequest& t, pb::RequestOp* op) {
  if (t.put) {
    pb::PutRequest* p = op->mutable_request_put();
    p->set_key(t.range.key);
    p->set_value(t.value);
  } else {
    FillRange(t.range, op->mutable_request_range());
  }
}

std::shared_ptr<grpc::Channel> Channel(const std::string& endpoint) {
  grpc::ChannelArguments args;
  // A killed or partitioned member comes back within a second or two; gRPC's default
  // reconnect backoff (up to 120 s) would leave the client dark long after.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  // (The connect timeout, GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, stays at gRPC's 20 s:
  // shorter ones made connection attempts to etcd fail over and over on a loaded
  // machine. A starting etcd listens before it serves, and a connection made in
  // between can hang until that timeout; callers that must not wait, like the DB's
  // health check, use a fresh client per attempt.)
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  // Each client its own connection, as each Jepsen client has: a connection stuck
  // behind a partition does not stall the clients opened after it.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args);
}

// How long calls may keep failing to connect before the client starts over with a new
// channel (see GrpcKvClient::Checked).
constexpr std::chrono::milliseconds kFreshChannelAfter{1000};

class GrpcKvClient : public KvClient {
 public:
  GrpcKvClient(const std::string& endpoint, KvClientOptions options)
      : options_(options), endpoint_(endpoint) {
    NewChannel();
  }

  RpcError Range(const RangeSpec& range, std::vector<KeyValue>* found) override {
    pb::RangeRequest req;
    FillRange(range, &req);
    pb::RangeResponse resp;
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    grpc::Status s = kv_->Range(&ctx, req, &resp);
    if (s.ok()) *found = Kvs(resp);
    return Checked(s);
  }

  RpcError Put(const std::string& key, const std::string& value) override {
    pb::PutRequest req;
    req.set_key(key);
    req.set_value(value);
    pb::PutResponse resp;
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    return Checked(kv_->Put(&ctx, req, &resp));
  }

  RpcError Commit(const Txn& txn, TxnResult* result) override {
    pb::TxnRequest req;
    for (const Compare& c : txn.compare) {
      pb::Compare* pc = req.add_compare();
      pc->set_key(c.key);
      pc->set_result(pb::Compare::EQUAL);
      if (c.target == Compare::Target::kValue) {
        pc->set_target(pb::Compare::VALUE);
        pc->set_value(c.value);
      } else {
        pc->set_target(pb::Compare::MOD);
        pc->set_mod_revision(c.mod_revision);
      }
    }
    for (const TxnRequest& t : txn.success) FillRequest(t, req.add_success());
    for (const TxnRequest& t : txn.failure) FillRequest(t, req.add_failure());
    pb::TxnResponse resp;
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    grpc::Status s = kv_->Txn(&ctx, req, &resp);
    if (!s.ok()) return Checked(s);
    result->succeeded = resp.succeeded();
    result->revision = resp.header().revision();
    result->ranges.clear();
    for (const pb::ResponseOp& r : resp.responses()) {
      result->ranges.push_back(r.has_response_range() ? Kvs(r.response_range())
                                                      : std::vector<KeyValue>{});
    }
    return {};
  }

  RpcError Status(MemberStatus* status) override {
    pb::StatusRequest req;
    pb::StatusResponse resp;
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    grpc::Status s = maintenance_->Status(&ctx, req, &resp);
    if (!s.ok()) return Checked(s);
    *status = {.member_id = resp.header().member_id(),
               .leader = resp.leader(),
               .raft_term = resp.raftterm(),
               .version = resp.version()};
    return {};
  }

 private:
  void SetDeadline(grpc::ClientContext& ctx) const {
    ctx.set_deadline(std::chrono::system_clock::now() + options_.timeout);
  }

  void NewChannel() {
    channel_ = Channel(endpoint_);
    kv_ = pb::KV::NewStub(channel_);
    maintenance_ = pb::Maintenance::NewStub(channel_);
  }

  // The call's outcome, after noting connection failures. A member that was killed
  // and restarts accepts TCP connections before it serves gRPC; a connection attempt
  // made in that window waits for HTTP/2 settings until gRPC's connect timeout (20 s),
  // and the channel fails every call meanwhile, long after the member serves (seen in
  // CI: a kill of every member at the start of a run left clients failing for the
  // whole run). So once calls have failed to connect for a second, the next call gets
  // a fresh channel and a fresh attempt. Only calls that were never sent count, so this
  // never hides an outcome.
  RpcError Checked(const grpc::Status& s) {
    bool never_connected = s.error_code() == grpc::StatusCode::UNAVAILABLE &&
                           s.error_message().find("failed to connect") != std::string::npos;
    auto now = std::chrono::steady_clock::now();
    if (!never_connected) {
      failing_since_.reset();
    } else if (!failing_since_) {
      failing_since_ = now;
    } else if (now - *failing_since_ >= kFreshChannelAfter) {
      NewChannel();
      failing_since_.reset();
    }
    return FromGrpc(s);
  }

  KvClientOptions options_;
  std::string endpoint_;
  std::optional<std::chrono::steady_clock::time_point> failing_since_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::KV::Stub> kv_;
  std::unique_ptr<pb::Maintenance::Stub> maintenance_;
};

}  // namespace

std::unique_ptr<KvClient> ConnectEtcd(const std::string& endpoint, KvClientOptions options) {
  return std::make_unique<GrpcKvClient>(endpoint, options);
}

}  // namespace jepsen::etcd
