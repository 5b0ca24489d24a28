// Client: how a test talks to the database under test.
//
// As Jepsen's client protocol. The runner keeps one prototype client; each worker
// thread Opens its own copy bound to a node (thread i uses node i mod n), Invokes
// operations on it one at a time, and Closes it. When an operation crashes (info, or
// an exception), the thread's process is retired and the thread Opens a fresh client.
// Setup and Teardown run once per test on one opened client.
//
//   class MyClient : public Client {
//     Result<std::unique_ptr<Client>> Open(const Test& t, const std::string& node) override;
//     Op Invoke(const Test& t, const Op& op) override;   // returns the completion
//   };
//
// Invoke returns the completion: the invocation with type kOk, kFail (it definitely
// did not happen) or kInfo (unknown), and the value read or an :error. It may throw;
// the interpreter records that as kInfo with the exception's message.
//
// Thread safety: a client returned by Open is used by one thread at a time.
#ifndef JEPSEN_CLIENT_H_
#define JEPSEN_CLIENT_H_

#include <memory>
#include <string>

#include "jepsen/op.h"
#include "jepsen/status.h"

namespace jepsen {

struct Test;

class Client {
 public:
  virtual ~Client() = default;
  Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A new client connected to `node`. Errors: the node cannot be reached (the worker
  // records its ops as failed and retries opening).
  virtual Result<std::unique_ptr<Client>> Open(const Test& test, const std::string& node) = 0;
  // Once per test, before any Invoke (e.g. create tables).
  virtual Status Setup(const Test&) { return OkStatus(); }
  // Performs `op` (an invocation) and returns its completion.
  virtual Op Invoke(const Test& test, const Op& op) = 0;
  // Once per test, after the last Invoke.
  virtual Status Teardown(const Test&) { return OkStatus(); }
  // Releases the connection. Called once per opened client.
  virtual void Close(const Test&) {}
};

// The completion of `invocation` with the given type, value and error.
Op Complete(const Op& invocation, OpType type, Value value, Value error = Value());
inline Op CompleteOk(const Op& invocation, Value value) {
  return Complete(invocation, OpType::kOk, std::move(value));
}
inline Op CompleteOk(const Op& invocation) { return CompleteOk(invocation, invocation.value); }
inline Op CompleteFail(const Op& invocation, Value error) {
  return Complete(invocation, OpType::kFail, invocation.value, std::move(error));
}
inline Op CompleteInfo(const Op& invocation, Value error) {
  return Complete(invocation, OpType::kInfo, invocation.value, std::move(error));
}

// A client that completes every op :ok with its value, touching nothing.
std::unique_ptr<Client> MakeNoopClient();

}  // namespace jepsen

#endif  // JEPSEN_CLIENT_H_
