// Private: a window over an input (a file descriptor or text in memory) that the
// history readers parse from, refill and advance, keeping line and column numbers.
#ifndef JEPSEN_SRC_INPUT_BUFFER_H_
#define JEPSEN_SRC_INPUT_BUFFER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "jepsen/status.h"

namespace jepsen::internal {

class InputBuffer {
 public:
  // Reads from `fd`, closing it at destruction when `owns_fd`.
  InputBuffer(int fd, std::string name, bool owns_fd);
  // The whole input is `text` (borrowed; must outlive the buffer).
  explicit InputBuffer(std::string_view text);
  ~InputBuffer();
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;

  // The unconsumed bytes held now.
  const char* begin() const { return data_ + begin_; }
  const char* end() const { return data_ + end_; }
  size_t size() const { return end_ - begin_; }
  // True when no bytes follow end().
  bool eof() const { return eof_; }

  // Reads more input after end(), moving the unconsumed bytes to the front (pointers
  // into the buffer are invalidated) and growing the buffer when it is full.
  Status Fill();
  // Fills until at least `n` bytes are held or the input ends.
  Status FillHead(size_t n);
  // Marks [begin(), to) consumed.
  void Consume(const char* to);
  // 1-based line and column of `at` (in [begin(), end()]).
  std::pair<int64_t, int64_t> Locate(const char* at) const;

 private:
  int fd_ = -1;
  bool owns_fd_ = false;
  std::string name_;
  std::string storage_;         // file mode: the buffer
  const char* data_ = nullptr;  // storage_.data(), or the borrowed text
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;  // at begin_
  int64_t column_ = 1;
};

}  // namespace jepsen::internal

#endif  // JEPSEN_SRC_INPUT_BUFFER_H_
