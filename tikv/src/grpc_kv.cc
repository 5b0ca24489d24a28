// gRPC implementations of RawKv and TxnKv: the only place that sees the generated
// stubs. Each call gets its own ClientContext with the deadline.
#include <grpcpp/grpcpp.h>

#include "kv.h"
#include "reply_error.h"
#include "tikv/rawkv.grpc.pb.h"
#include "tikv/txnkv.grpc.pb.h"

namespace jepsen::tikv {
namespace {

// Fills the transport fields of `r` from a failed gRPC status.
void FromStatus(const grpc::Status& status, CallResult& r) {
  if (status.ok()) return;
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) r.unimplemented = true;
  r.transport_failed = true;
  r.timed_out = status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
  r.transport_message = "grpc status " + std::to_string(status.error_code()) + ": " +
                        status.error_message();
}

template <typename Reply>
void FromReply(const Reply& reply, CallResult& r) {
  if (reply.has_error()) r.error = FromProto(reply.error());
}

class Deadlined {
 protected:
  explicit Deadlined(std::chrono::milliseconds deadline) : deadline_(deadline) {}
  void Arm(grpc::ClientContext& ctx) const {
    ctx.set_deadline(std::chrono::system_clock::now() + deadline_);
  }
  std::chrono::milliseconds deadline_;
};

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  grpc::ChannelArguments args;
  // Fail fast and reconnect quickly after the client server or the network recovers.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

class GrpcRawKv : public RawKv, Deadlined {
 public:
  GrpcRawKv(const std::string& address, std::chrono::milliseconds deadline)
      : Deadlined(deadline), stub_(::tikv::raw::Client::NewStub(Channel(address))) {}

  CallResult Get(const std::string& key) override {
    grpc::ClientContext ctx;
    Arm(ctx);
    ::tikv::raw::GetRequest req;
    req.set_key(key);
    ::tikv::raw::GetReply reply;
    CallResult r;
    FromStatus(stub_->Get(&ctx, req, &reply), r);
    if (!r.transport_failed) {
      FromReply(reply, r);
      r.value = reply.value();
    }
    return r;
  }
  CallResult Put(const std::string& key, const std::string& value) override {
    grpc::ClientContext ctx;
    Arm(ctx);
    ::tikv::raw::PutRequest req;
    req.set_key(key);
    req.set_value(value);
    ::tikv::raw::PutReply reply;
    CallResult r;
    FromStatus(stub_->Put(&ctx, req, &reply), r);
    if (!r.transport_failed) FromReply(reply, r);
    return r;
  }
  CallResult Cas(const std::string& key, const std::optional<std::string>& previous,
                 const std::string& value) override {
    grpc::ClientContext ctx;
    Arm(ctx);
    ::tikv::raw::CasRequest req;
    req.set_key(key);
    if (previous) {
      req.set_previous_value(*previous);
    } else {
      req.set_previous_not_exist(true);
    }
    req.set_value(value);
    ::tikv::raw::CasReply reply;
    CallResult r;
    FromStatus(stub_->Cas(&ctx, req, &reply), r);
    if (!r.transport_failed) {
      FromReply(reply, r);
      r.succeed = reply.succeed();
      r.value = reply.previous_value();
    }
    return r;
  }

 private:
  std::unique_ptr<::tikv::raw::Client::Stub> stub_;
};

class GrpcTxnKv : public TxnKv, Deadlined {
 public:
  GrpcTxnKv(const std::string& address, std::chrono::milliseconds deadline)
      : Deadlined(deadline), stub_(::tikv::txn::Client::NewStub(Channel(address))) {}

  CallResult Begin(bool pessimistic) override {
    ::tikv::txn::BeginTxnRequest req;
    req.set_type(pessimistic ? ::tikv::txn::BeginTxnRequest::PESSIMISTIC
                             : ::tikv::txn::BeginTxnRequest::OPTIMISTIC);
    ::tikv::txn::BeginTxnReply reply;
    CallResult r = Call(&::tikv::txn::Client::Stub::BeginTxn, req, reply);
    r.txn_id = reply.txn_id();
    return r;
  }
  CallResult Get(uint32_t txn, const std::string& key) override {
    ::tikv::txn::GetRequest req;
    req.set_txn_id(txn);
    req.set_key(key);
    ::tikv::txn::GetReply reply;
    CallResult r = Call(&::tikv::txn::Client::Stub::Get, req, reply);
    r.value = reply.value();
    return r;
  }
  CallResult Put(uint32_t txn, const std::string& key, const std::string& value) override {
    ::tikv::txn::PutRequest req;
    req.set_txn_id(txn);
    req.set_key(key);
    req.set_value(value);
    ::tikv::txn::PutReply reply;
    return Call(&::tikv::txn::Client::Stub::Put, req, reply);
  }
  CallResult Commit(uint32_t txn) override {
    ::tikv::txn::CommitRequest req;
    req.set_txn_id(txn);
    ::tikv::txn::CommitReply reply;
    return Call(&::tikv::txn::Client::Stub::Commit, req, reply);
  }
  CallResult Rollback(uint32_t txn) override {
    ::tikv::txn::RollbackRequest req;
    req.set_txn_id(txn);
    ::tikv::txn::RollbackReply reply;
    return Call(&::tikv::txn::Client::Stub::Rollback, req, reply);
  }

 private:
  using Stub = ::tikv::txn::Client::Stub;
  template <typename Req, typename Reply>
  CallResult Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Reply*),
                  const Req& req, Reply& reply) {
    grpc::ClientContext ctx;
    Arm(ctx);
    CallResult r;
    FromStatus((stub_.get()->*method)(&ctx, req, &reply), r);
    if (!r.transport_failed) FromReply(reply, r);
    return r;
  }

  std::unique_ptr<Stub> stub_;
};

}  // namespace

std::unique_ptr<RawKv> MakeGrpcRawKv(const std::string& address,
                                     std::chrono::milliseconds deadline) {
  return std::make_unique<GrpcRawKv>(address, deadline);
}

std::unique_ptr<TxnKv> MakeGrpcTxnKv(const std::string& address,
                                     std::chrono::milliseconds deadline) {
  return std::make_unique<GrpcTxnKv>(address, deadline);
}

}  // namespace jepsen::tikv
