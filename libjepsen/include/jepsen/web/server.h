// Server: the results browser, an HTTP/1.1 server over a store directory (see
// jepsen/store.h for the layout), as `jepsen serve` runs it.
//
//   JEPSEN_ASSIGN_OR_RETURN(auto server, Server::Start({.store_dir = "store", .port =
//   0})); fmt::print("{}\n", server->url());  // http://127.0.0.1:41234/
//   ... server->Stop();
//
// Pages:
//   /                          every run, newest first, coloured by verdict
//   /runs/<test>/<time>/       the run's index.html if it has one, else its files
//   /runs/<test>/<time>/?list  the run's files even when it has an index.html
//   /runs/<path>               any file of the store (streamed with sendfile, Range
//                              requests served), any directory listed
//   /zip/<test>/<time>         the run as a zip (also /runs/<test>/<time>/?zip)
// GET and HEAD only. Paths are refused (403) when they try to leave the store: ".."
// and any other segment starting with '.', %-encoded '/', '\\' or NUL, empty segments,
// symlinks resolving outside the store. Malformed requests get 400, oversized heads
// 431, a head that does not arrive in time 408; nothing a client sends crashes or
// stalls the server for others.
//
// Thread safety: Start, Stop and the destructor from one thread; requests are served
// by a fixed pool of worker threads.
#ifndef JEPSEN_WEB_SERVER_H_
#define JEPSEN_WEB_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "jepsen/status.h"

namespace jepsen::web {

struct ServerOptions {
  // The store directory to serve (must exist).
  std::string store_dir = "store";
  // The address to bind: loopback unless asked otherwise. An IPv4 or IPv6 literal or
  // a host name from /etc/hosts.
  std::string host = "127.0.0.1";
  // The port; 0 picks a free one (see Server::port()).
  int port = 8080;
  // Connections served at once; more wait in a queue of max_queued, beyond which a
  // connection gets 503 at once.
  int threads = 8;
  int max_queued = 64;
  // A request head must be complete this long after its first byte arrives (or after
  // the connection opens), else 408 and the connection is closed.
  std::chrono::milliseconds header_timeout{10'000};
  // A kept-alive connection with no new request for this long is closed.
  std::chrono::milliseconds idle_timeout{5'000};
  // A response that makes no progress for this long (the client stopped reading) is
  // abandoned and the connection closed.
  std::chrono::milliseconds write_timeout{30'000};
  // The largest request head accepted (431 beyond).
  size_t max_header_bytes = 16 * 1024;
  // Called once per answered request with "GET /path 200 1234" (method, target,
  // status, body bytes sent), from worker threads; may be empty.
  std::function<void(std::string_view line)> access_log;
};

class Server {
 public:
  // Binds, starts the worker threads and returns. Errors: the store directory does not
  // exist (kNotFound), the address cannot be bound (kUnavailable, naming it).
  static Result<std::unique_ptr<Server>> Start(ServerOptions options);
  // Stops as Stop() does.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the real one when options.port was 0).
  int port() const;
  // "http://<host>:<port>/" (IPv6 literals in brackets).
  std::string url() const;
  // Stops accepting, closes every open connection and joins the threads. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_SERVER_H_
