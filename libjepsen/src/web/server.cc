#include "jepsen/web/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "connection.h"
#include "handler.h"

namespace jepsen::web {
namespace {

// sendfile(2) raises SIGPIPE on a socket the client closed (it has no MSG_NOSIGNAL);
// blocked in the server's threads, the signal stays pending there and the call fails
// with EPIPE instead of killing the process.
void BlockSigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

// The listening socket, the accept thread and the worker pool. Accepted sockets wait
// in a bounded queue for a worker; each worker serves one connection at a time, all its
// kept-alive requests, then takes the next.
class Server::Impl {
 public:
  Impl(ServerOptions options, std::string root)
      : options_(std::move(options)), handler_(std::move(root), options_.store_dir) {}
  ~Impl() { Stop(); }

  Status Bind();
  void StartThreads();
  void Stop();
  int port() const { return port_; }
  std::string url() const {
    bool v6 = options_.host.find(':') != std::string::npos;
    return fmt::format("http://{}{}{}:{}/", v6 ? "[" : "", options_.host, v6 ? "]" : "",
                       port_);
  }

 private:
  void AcceptLoop();
  void WorkerLoop();
  void Serve(int fd);

  ServerOptions options_;
  Handler handler_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};  // written by Stop to wake the accept thread
  int port_ = 0;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::atomic<bool> stopping_{false};
  bool stopped_ = false;  // Stop() ran; owner thread only

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> queue_;  // accepted, not yet served; guarded by mu_
  std::set<int> active_;   // being served, shut down by Stop; guarded by mu_
};

Status Server::Impl::Bind() {
  struct addrinfo hints {};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  struct addrinfo* found = nullptr;
  std::string port = std::to_string(options_.port);
  int rc = ::getaddrinfo(options_.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) {
    return InvalidArgumentError(
        fmt::format("cannot bind {}: {}", options_.host, ::gai_strerror(rc)));
  }
  std::string error = "no address";
  for (struct addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      error = std::strerror(errno);
      continue;
    }
    int one = 1;
    (void)::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 128) != 0) {
      error = std::strerror(errno);
      ::close(fd);
      continue;
    }
    struct sockaddr_storage bound {};
    socklen_t len = sizeof(bound);
    ::getsockname(fd, reinterpret_cast<struct sockaddr*>(&bound), &len);
    port_ = bound.ss_family == AF_INET6
                ? ntohs(reinterpret_cast<struct sockaddr_in6*>(&bound)->sin6_port)
                : ntohs(reinterpret_cast<struct sockaddr_in*>(&bound)->sin_port);
    listen_fd_ = fd;
    break;
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) {
    return UnavailableError(
        fmt::format("cannot bind {}:{}: {}", options_.host, options_.port, error));
  }
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return IoError(fmt::format("pipe: {}", std::strerror(errno)));
  }
  return OkStatus();
}

void Server::Impl::StartThreads() {
  int n = options_.threads > 0 ? options_.threads : 1;
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

void Server::Impl::AcceptLoop() {
  BlockSigpipe();
  while (!stopping_) {
    struct pollfd p[2] = {{.fd = listen_fd_, .events = POLLIN, .revents = 0},
                          {.fd = wake_pipe_[0], .events = POLLIN, .revents = 0}};
    int n = ::poll(p, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || stopping_) break;
    if (!(p[0].revents & POLLIN)) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      // EMFILE and friends: back off instead of spinning on a full descriptor table.
      if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      continue;
    }
    int one = 1;
    (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    bool queued = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.size() < static_cast<size_t>(std::max(options_.max_queued, 0))) {
        queue_.push_back(fd);
        queued = true;
      }
    }
    if (queued) {
      cv_.notify_one();
      continue;
    }
    Connection busy(fd, std::chrono::milliseconds(100));  // closes fd
    busy.CloseWithoutLinger();
    (void)Handler::SendError(busy, 503, "the server is busy; try again", false);
  }
}

void Server::Impl::WorkerLoop() {
  BlockSigpipe();
  for (;;) {
    int fd;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      fd = queue_.front();
      queue_.pop_front();
      active_.insert(fd);
    }
    Serve(fd);
    std::lock_guard<std::mutex> lock(mu_);
    active_.erase(fd);
  }
}

void Server::Impl::Serve(int fd) {
  // The Connection closes fd when this returns; active_ still lists it until the
  // caller erases it, so Stop must only shut sockets down, never close them.
  Connection conn(fd, options_.write_timeout);
  bool first = true;
  while (!stopping_) {
    std::string head;
    auto wait = first ? options_.header_timeout : options_.idle_timeout;
    first = false;
    Connection::HeadOutcome got =
        conn.ReadHead(&head, wait, options_.header_timeout, options_.max_header_bytes);
    if (got == Connection::HeadOutcome::kClosed || stopping_) return;
    Handler::Outcome out;
    std::string target = "-";
    std::string method = "-";
    uint64_t before = conn.bytes_sent();
    if (got == Connection::HeadOutcome::kTimeout) {
      out =
          Handler::SendError(conn, 408, "the request head did not arrive in time", false);
    } else if (got == Connection::HeadOutcome::kTooLarge) {
      out = Handler::SendError(conn, 431,
                               fmt::format("the request head is larger than {} bytes",
                                           options_.max_header_bytes),
                               false);
    } else {
      HttpParse parsed = ParseRequestHead(head);
      if (parsed.status != 0) {
        out = Handler::SendError(conn, parsed.status, parsed.reason, false);
      } else {
        method = parsed.request.method;
        target = parsed.request.target;
        out = handler_.Handle(conn, parsed.request);
      }
    }
    if (options_.access_log) {
      options_.access_log(fmt::format("{} {} {} {}", method, target, out.status,
                                      conn.bytes_sent() - before));
    }
    if (!out.keep_alive) return;
  }
}

void Server::Impl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (int fd : active_) ::shutdown(fd, SHUT_RDWR);  // wakes their polls
  }
  cv_.notify_all();
  if (wake_pipe_[1] >= 0) {
    char c = 1;
    (void)::write(wake_pipe_[1], &c, 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  for (int fd : queue_) ::close(fd);
  queue_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  for (int& fd : wake_pipe_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

Result<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::canonical(options.store_dir, ec);
  if (ec || !std::filesystem::is_directory(root, ec)) {
    return NotFoundError(
        fmt::format("the store directory {} does not exist", options.store_dir));
  }
  auto impl = std::make_unique<Impl>(std::move(options), root.string());
  JEPSEN_RETURN_IF_ERROR(impl->Bind());
  impl->StartThreads();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { Stop(); }
int Server::port() const { return impl_->port(); }
std::string Server::url() const { return impl_->url(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace jepsen::web
