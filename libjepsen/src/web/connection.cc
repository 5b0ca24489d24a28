#include "connection.h"

#include <errno.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace jepsen::web {
namespace {

using Clock = std::chrono::steady_clock;

// End of the head in `buf` (searching from `from`): the index just past the empty
// line, and in *head_len the length of the head without it; npos if not there yet.
size_t FindHeadEnd(const std::string& buf, size_t from, size_t* head_len) {
  for (size_t i = from; i < buf.size(); ++i) {
    if (buf[i] != '\n') continue;
    if (i >= 1 && buf[i - 1] == '\n') {  // LF LF
      *head_len = i - 1;
      return i + 1;
    }
    if (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n') {  // LF CR LF
      *head_len = i - 1;
      if (*head_len > 0 && buf[*head_len - 1] == '\r') --*head_len;
      return i + 1;
    }
  }
  return std::string::npos;
}

}  // namespace

Connection::Connection(int fd, std::chrono::milliseconds write_timeout)
    : fd_(fd), write_timeout_(write_timeout) {
  int flags = ::fcntl(fd_, F_GETFL, 0);
  if (flags >= 0) (void)::fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

Connection::~Connection() {
  // Closing a socket with unread input makes the kernel send RST, which can destroy
  // the response still on its way (a 400 or 431 after a request the server stopped
  // reading). So: send FIN, drain what the client still sends for a moment, then close.
  struct pollfd p {
    .fd = fd_, .events = POLLIN, .revents = 0
  };
  bool unread = linger_ && (!buffer_.empty() || ::poll(&p, 1, 0) > 0);
  if (unread && ::shutdown(fd_, SHUT_WR) == 0) {
    auto deadline = Clock::now() + std::chrono::milliseconds(500);
    char scratch[16384];
    size_t drained = 0;
    while (drained < (1u << 20) && WaitFor(POLLIN, deadline)) {
      ssize_t n = ::recv(fd_, scratch, sizeof(scratch), 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) break;
      drained += static_cast<size_t>(n);
    }
  }
  ::close(fd_);
}

bool Connection::WaitFor(short events, Clock::time_point deadline) {
  for (;;) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    struct pollfd p {
      .fd = fd_, .events = events, .revents = 0
    };
    int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1'000'000)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    return true;  // readable, writable, or an error/hangup the next call reports
  }
}

Connection::HeadOutcome Connection::ReadHead(std::string* head,
                                             std::chrono::milliseconds first_byte,
                                             std::chrono::milliseconds whole,
                                             size_t max_bytes) {
  auto start = Clock::now();
  size_t scanned = 0;
  for (;;) {
    // Blank lines before a request line are allowed (RFC 9112 2.2).
    size_t blank = 0;
    while (blank < buffer_.size() && (buffer_[blank] == '\r' || buffer_[blank] == '\n'))
      ++blank;
    if (blank > 0) {
      buffer_.erase(0, blank);
      scanned = 0;
    }
    size_t head_len = 0;
    size_t end = FindHeadEnd(buffer_, scanned > 2 ? scanned - 2 : 0, &head_len);
    if (end != std::string::npos) {
      if (end > max_bytes) return HeadOutcome::kTooLarge;
      head->assign(buffer_, 0, head_len);
      buffer_.erase(0, end);
      return HeadOutcome::kHead;
    }
    scanned = buffer_.size();
    if (buffer_.size() > max_bytes) return HeadOutcome::kTooLarge;
    auto deadline = start + (buffer_.empty() ? first_byte : whole);
    if (!WaitFor(POLLIN, deadline)) {
      return buffer_.empty() ? HeadOutcome::kClosed : HeadOutcome::kTimeout;
    }
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return HeadOutcome::kClosed;
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

Status Connection::Write(std::string_view bytes) {
  auto deadline = Clock::now() + write_timeout_;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      bytes_sent_ += static_cast<uint64_t>(n);
      deadline = Clock::now() + write_timeout_;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(POLLOUT, deadline))
        return DeadlineExceededError("the client stopped reading");
      continue;
    }
    return IoError(fmt::format("send: {}", n < 0 ? std::strerror(errno) : "closed"));
  }
  return OkStatus();
}

Status Connection::SendFile(int file_fd, off_t offset, uint64_t count) {
  auto deadline = Clock::now() + write_timeout_;
  while (count > 0) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(count, 1u << 30));
    ssize_t n = ::sendfile(fd_, file_fd, &offset, want);
    if (n > 0) {
      count -= static_cast<uint64_t>(n);
      bytes_sent_ += static_cast<uint64_t>(n);
      deadline = Clock::now() + write_timeout_;
      continue;
    }
    if (n == 0) return IoError("the file shrank while it was sent");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitFor(POLLOUT, deadline))
        return DeadlineExceededError("the client stopped reading");
      continue;
    }
    return IoError(fmt::format("sendfile: {}", std::strerror(errno)));
  }
  return OkStatus();
}

}  // namespace jepsen::web
