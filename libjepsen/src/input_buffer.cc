#include "input_buffer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jepsen::internal {
namespace {

constexpr size_t kInitialSize = 1 << 20;

// Line and column after advancing over [p, end) from (line, column).
std::pair<int64_t, int64_t> Advance(const char* p, const char* end, int64_t line,
                                    int64_t column) {
  const char* last_nl = nullptr;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++line;
    last_nl = static_cast<const char*>(nl);
    p = last_nl + 1;
  }
  if (last_nl != nullptr) return {line, end - last_nl};
  return {line, column + (end - p)};
}

}  // namespace

InputBuffer::InputBuffer(int fd, std::string name, bool owns_fd)
    : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)) {
  storage_.resize(kInitialSize);
  data_ = storage_.data();
}

InputBuffer::InputBuffer(std::string_view text)
    : data_(text.data()), end_(text.size()), eof_(true) {}

InputBuffer::~InputBuffer() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
}

Status InputBuffer::Fill() {
  if (eof_) return OkStatus();
  if (begin_ > 0) {
    std::memmove(storage_.data(), storage_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == storage_.size()) storage_.resize(storage_.size() * 2);
  data_ = storage_.data();
  for (;;) {
    ssize_t n = ::read(fd_, storage_.data() + end_, storage_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(fmt::format("reading {}: {}", name_, std::strerror(errno)));
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return OkStatus();
  }
}

Status InputBuffer::FillHead(size_t n) {
  while (size() < n && !eof_) JEPSEN_RETURN_IF_ERROR(Fill());
  return OkStatus();
}

void InputBuffer::Consume(const char* to) {
  std::tie(line_, column_) = Advance(begin(), to, line_, column_);
  begin_ = static_cast<size_t>(to - data_);
}

std::pair<int64_t, int64_t> InputBuffer::Locate(const char* at) const {
  return Advance(begin(), at, line_, column_);
}

}  // namespace jepsen::internal
