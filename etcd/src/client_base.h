// ClientBase: what every workload client shares: the options, one KvClient to the node
// the worker thread is bound to, and the reopen logic of client.h (Open returns a copy
// of the prototype connected to the node).
#ifndef JEPSEN_ETCD_SRC_CLIENT_BASE_H_
#define JEPSEN_ETCD_SRC_CLIENT_BASE_H_

#include <charconv>
#include <memory>
#include <optional>
#include <string>

#include "jepsen/client.h"
#include "jepsen/etcd/errors.h"
#include "jepsen/etcd/kv_client.h"
#include "jepsen/etcd/workloads.h"

namespace jepsen::etcd {

// Derived is the concrete client; it must be constructible from (WorkloadOptions).
template <typename Derived>
class ClientBase : public Client {
 public:
  explicit ClientBase(WorkloadOptions options) : options_(std::move(options)) {}

  Result<std::unique_ptr<Client>> Open(const Test&, const std::string& node) override {
    auto c = std::make_unique<Derived>(options_);
    c->kv_ = ConnectEtcd(options_.topology.ClientEndpoint(node),
                         {.timeout = options_.request_timeout});
    return std::unique_ptr<Client>(std::move(c));
  }

 protected:
  // Only valid on an opened client.
  KvClient& kv() { return *kv_; }
  const WorkloadOptions& options() const { return options_; }

 private:
  WorkloadOptions options_;
  std::unique_ptr<KvClient> kv_;
};

// A decimal integer stored by our own clients, or nullopt.
inline std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace jepsen::etcd

#endif  // JEPSEN_ETCD_SRC_CLIENT_BASE_H_
