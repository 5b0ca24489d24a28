// ChunkedVector<T>: an append-only sequence stored in fixed-size chunks.
//
// Unlike std::vector it never moves its elements when it grows: no copy stalls while a
// history grows to millions of ops, no doubling slack in memory, and references to
// elements stay valid across appends. Indexing is two loads.
//
// Thread safety: as std::vector (concurrent reads are safe; writes need exclusion).
#ifndef JEPSEN_CHUNKED_VECTOR_H_
#define JEPSEN_CHUNKED_VECTOR_H_

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace jepsen {

template <typename T, size_t kChunkBits = 12>
class ChunkedVector {
 public:
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;

  ChunkedVector() = default;
  ChunkedVector(ChunkedVector&&) noexcept = default;
  ChunkedVector& operator=(ChunkedVector&&) noexcept = default;
  ChunkedVector(const ChunkedVector& other) { *this = other; }
  ChunkedVector& operator=(const ChunkedVector& other) {
    if (this == &other) return *this;
    chunks_.clear();
    size_ = 0;
    for (const T& t : other) push_back(t);
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
  const T& operator[](size_t i) const {
    return chunks_[i >> kChunkBits][i & (kChunkSize - 1)];
  }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  void push_back(T t) {
    if ((size_ & (kChunkSize - 1)) == 0 && (size_ >> kChunkBits) == chunks_.size()) {
      chunks_.push_back(std::make_unique<T[]>(kChunkSize));
    }
    (*this)[size_] = std::move(t);
    ++size_;
  }

  // Bytes held by the chunks (for memory accounting).
  size_t capacity_bytes() const { return chunks_.size() * kChunkSize * sizeof(T); }

  template <typename Ref>
  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::remove_reference_t<Ref>*;
    using reference = Ref;
    using Owner = std::conditional_t<std::is_const_v<std::remove_reference_t<Ref>>,
                                     const ChunkedVector, ChunkedVector>;

    Iterator() = default;
    Iterator(Owner* v, size_t i) : v_(v), i_(i) {}
    Ref operator*() const { return (*v_)[i_]; }
    pointer operator->() const { return &(*v_)[i_]; }
    Ref operator[](difference_type n) const { return (*v_)[i_ + n]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator t = *this;
      ++i_;
      return t;
    }
    Iterator& operator--() {
      --i_;
      return *this;
    }
    Iterator operator--(int) {
      Iterator t = *this;
      --i_;
      return t;
    }
    Iterator& operator+=(difference_type n) {
      i_ += n;
      return *this;
    }
    Iterator& operator-=(difference_type n) {
      i_ -= n;
      return *this;
    }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.i_ == b.i_; }
    friend auto operator<=>(const Iterator& a, const Iterator& b) {
      return a.i_ <=> b.i_;
    }

   private:
    Owner* v_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iterator<T&>;
  using const_iterator = Iterator<const T&>;

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace jepsen

#endif  // JEPSEN_CHUNKED_VECTOR_H_
