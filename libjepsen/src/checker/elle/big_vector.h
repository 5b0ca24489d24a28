// BigVector: std::vector for the checker's large arrays, backed by transparent huge
// pages where the kernel offers them.
//
// A million-transaction check touches about a gigabyte of fresh memory; with 4 KiB
// pages that is a quarter of a million page faults, which on virtual machines cost
// more than the analysis itself. Blocks of 4 MiB and more are aligned to 2 MiB and
// marked MADV_HUGEPAGE, so they fault in 2 MiB at a time. Smaller blocks come from
// the ordinary heap.
//
// Thread safety: as std::allocator.
#ifndef JEPSEN_SRC_CHECKER_ELLE_BIG_VECTOR_H_
#define JEPSEN_SRC_CHECKER_ELLE_BIG_VECTOR_H_

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace jepsen::elle {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kHuge = size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < 2 * kHuge) {
      return static_cast<T*>(::operator new(bytes));
    }
    size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < 2 * kHuge) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_BIG_VECTOR_H_
