// Client servers as child processes of the harness (Boost.Process v1). Each child's
// stderr is a pipe read by a thread that forwards lines to the run's log; stdout goes
// to /dev/null (the seed's server logs to stderr).
#include "jepsen/tikv/client_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/io.hpp>
#include <boost/process/pipe.hpp>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "jepsen/runner.h"

namespace jepsen::tikv {
namespace bp = boost::process;

namespace {

// True if something accepts TCP connections on 127.0.0.1:port.
bool PortOpen(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool open = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return open;
}

}  // namespace

int ClientServerPort(const Test& test, const std::string& node) {
  auto it = std::find(test.nodes.begin(), test.nodes.end(), node);
  if (it == test.nodes.end()) return -1;
  return 8000 + static_cast<int>(it - test.nodes.begin()) + 1;
}

std::string ClientServerAddress(const Test& test, const std::string& node) {
  return fmt::format("127.0.0.1:{}", ClientServerPort(test, node));
}

std::vector<std::string> ClientServerArgs(const Test& test, const std::string& node,
                                          const std::string& pd_endpoint,
                                          const std::string& type) {
  std::string host = pd_endpoint;
  std::string port = "2379";
  if (size_t colon = pd_endpoint.rfind(':'); colon != std::string::npos) {
    host = pd_endpoint.substr(0, colon);
    port = pd_endpoint.substr(colon + 1);
  }
  std::vector<std::string> args = {"--node", host, "--port",
                                   std::to_string(ClientServerPort(test, node)), "--type", type};
  if (port != "2379") {
    args.push_back("--pd");
    args.push_back(pd_endpoint);
  }
  return args;
}

// One running server: the child, its stderr pipe and the thread draining it.
struct Server {
  std::string node;
  int port = 0;
  bp::ipstream err;
  bp::child child;
  std::thread reader;
  // The log to forward to; null once the run's log may be gone.
  std::mutex mu;
  Logger* logger = nullptr;    // guarded by mu
  std::deque<std::string> tail;  // last lines, for error messages; guarded by mu

  void Read() {
    std::string line;
    while (std::getline(err, line)) {
      std::lock_guard<std::mutex> lock(mu);
      if (logger != nullptr) logger->Info("rpc-server {}: {}", node, line);
      tail.push_back(line);
      if (tail.size() > 5) tail.pop_front();
    }
  }
  std::string Tail() {
    std::lock_guard<std::mutex> lock(mu);
    std::string out;
    for (const auto& l : tail) out += "\n  " + l;
    return out;
  }
  // SIGTERM, then SIGKILL after `grace`; reaps the child and joins the reader.
  int Stop(std::chrono::milliseconds grace) {
    int pid = child.id();
    if (child.running()) {
      ::kill(pid, SIGTERM);
      auto deadline = std::chrono::steady_clock::now() + grace;
      while (child.running() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (child.running()) ::kill(pid, SIGKILL);
    }
    std::error_code ec;
    child.wait(ec);
    if (reader.joinable()) reader.join();
    return child.exit_code();
  }
};

struct ClientServers::Impl {
  ClientServerOptions options;
  mutable std::mutex mu;
  std::vector<std::unique_ptr<Server>> servers;  // guarded by mu

  Status StartOne(const Test& test, const std::string& node, const std::string& pd) {
    auto s = std::make_unique<Server>();
    s->node = node;
    s->port = ClientServerPort(test, node);
    if (PortOpen(s->port)) {
      return FailedPreconditionError(fmt::format(
          "port {} for {}'s client server is already in use (a leftover rpc-server?)", s->port,
          node));
    }
    s->logger = test.logger;
    std::vector<std::string> args = ClientServerArgs(test, node, pd, options.type);
    test.log().Info("starting client server for {}: {} {}", node, options.program,
                    fmt::join(args, " "));
    try {
      s->child = bp::child(bp::exe = options.program, bp::args = args, bp::std_in < bp::null,
                           bp::std_out > bp::null, bp::std_err > s->err);
    } catch (const std::exception& e) {
      return NotFoundError(
          fmt::format("cannot start --rpc-server {}: {}", options.program, e.what()));
    }
    Server* raw = s.get();
    s->reader = std::thread([raw] { raw->Read(); });
    {
      std::lock_guard<std::mutex> lock(mu);
      servers.push_back(std::move(s));
    }
    auto deadline = std::chrono::steady_clock::now() + options.start_timeout;
    while (!PortOpen(raw->port)) {
      if (!raw->child.running()) {
        std::error_code ec;
        raw->child.wait(ec);
        if (raw->reader.joinable()) raw->reader.join();
        return UnavailableError(fmt::format("client server for {} exited with code {}:{}", node,
                                            raw->child.exit_code(), raw->Tail()));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return DeadlineExceededError(fmt::format(
            "client server for {} did not listen on port {} within {} ms:{}", node, raw->port,
            options.start_timeout.count(), raw->Tail()));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    test.log().Info("client server for {} listening on 127.0.0.1:{} (pid {})", node, raw->port,
                    raw->child.id());
    return OkStatus();
  }

  void StopAll(Logger* log) {
    std::vector<std::unique_ptr<Server>> all;
    {
      std::lock_guard<std::mutex> lock(mu);
      all.swap(servers);
    }
    for (auto& s : all) {
      if (log == nullptr) {
        std::lock_guard<std::mutex> lock(s->mu);
        s->logger = nullptr;
      }
      int pid = s->child.id();
      int code = s->Stop(options.stop_grace);
      if (log != nullptr) log->Info("client server for {} (pid {}) stopped, exit {}", s->node, pid, code);
    }
  }
};

ClientServers::ClientServers(ClientServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

ClientServers::~ClientServers() { impl_->StopAll(nullptr); }

Status ClientServers::StartAll(const Test& test, const std::vector<std::string>& pd_endpoints) {
  if (pd_endpoints.empty()) return InvalidArgumentError("no PD endpoints for the client servers");
  for (size_t i = 0; i < test.nodes.size(); ++i) {
    Status s = impl_->StartOne(test, test.nodes[i], pd_endpoints[i % pd_endpoints.size()]);
    if (!s.ok()) {
      impl_->StopAll(test.logger);
      return s;
    }
  }
  return OkStatus();
}

void ClientServers::StopAll(const Test& test) { impl_->StopAll(test.logger); }

std::vector<int> ClientServers::Pids() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<int> pids;
  for (const auto& s : impl_->servers) pids.push_back(s->child.id());
  return pids;
}

}  // namespace jepsen::tikv
