// Connection: one accepted client socket with deadlines on every read and write, so a
// slow or silent client costs a worker at most a timeout.
//
// Thread safety: one Connection belongs to the worker thread serving it. The socket
// may be shut down from another thread (Server::Stop) to wake it.
#ifndef JEPSEN_WEB_CONNECTION_H_
#define JEPSEN_WEB_CONNECTION_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "jepsen/status.h"

namespace jepsen::web {

class Connection {
 public:
  enum class HeadOutcome {
    kHead,      // a complete head is in *head
    kClosed,    // the client closed, or sent nothing in time: close silently
    kTimeout,   // part of a head arrived, the rest not in time: answer 408
    kTooLarge,  // the head passed the size limit: answer 431
  };

  // `fd` is a connected socket (made non-blocking here); the Connection closes it.
  Connection(int fd, std::chrono::milliseconds write_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return fd_; }
  // Closes without draining unread input (see the destructor): for answers that must
  // not hold the calling thread, such as 503 from the accept thread.
  void CloseWithoutLinger() { linger_ = false; }

  // Reads the next request head (without its final empty line). The first byte must
  // come within `first_byte`, the whole head within `whole` of the call; at most
  // `max_bytes`. Bytes after the head stay buffered for the next call (pipelining).
  HeadOutcome ReadHead(std::string* head, std::chrono::milliseconds first_byte,
                       std::chrono::milliseconds whole, size_t max_bytes);

  // Writes all of `bytes`; an error if the client stops reading for write_timeout or
  // the connection breaks.
  Status Write(std::string_view bytes);
  // Sends `count` bytes of file `file_fd` from `offset` with sendfile(2).
  Status SendFile(int file_fd, off_t offset, uint64_t count);

  // Bytes of bodies and heads written so far.
  uint64_t bytes_sent() const { return bytes_sent_; }

 private:
  // Waits until the socket is ready for `events`; false on timeout or error.
  bool WaitFor(short events, std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::chrono::milliseconds write_timeout_;
  std::string buffer_;  // received, not yet consumed
  uint64_t bytes_sent_ = 0;
  bool linger_ = true;
};

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_CONNECTION_H_
