// Mutex and MutexLock: std::mutex with clang thread-safety annotations, so members
// marked GUARDED_BY are checked by -Wthread-safety (libstdc++'s std::mutex carries no
// capability attribute, so annotating against it would not compile under -Werror).
//
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_) = 0;
//   void Add() { MutexLock lock(mu_); ++count_; }
//
// Thread safety: a Mutex is shared by design; a MutexLock belongs to one scope.
#ifndef JEPSEN_CONTROL_ANNOTATED_MUTEX_H_
#define JEPSEN_CONTROL_ANNOTATED_MUTEX_H_

#include <mutex>

#if defined(__clang__)
#define JEPSEN_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define JEPSEN_THREAD_ANNOTATION_(x)
#endif

#define CAPABILITY(x) JEPSEN_THREAD_ANNOTATION_(capability(x))
#define SCOPED_CAPABILITY JEPSEN_THREAD_ANNOTATION_(scoped_lockable)
#define GUARDED_BY(x) JEPSEN_THREAD_ANNOTATION_(guarded_by(x))
#define PT_GUARDED_BY(x) JEPSEN_THREAD_ANNOTATION_(pt_guarded_by(x))
#define REQUIRES(...) JEPSEN_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) JEPSEN_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) JEPSEN_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define RELEASE(...) JEPSEN_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define RETURN_CAPABILITY(x) JEPSEN_THREAD_ANNOTATION_(lock_returned(x))

namespace jepsen {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  std::mutex mu_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

}  // namespace jepsen

#endif  // JEPSEN_CONTROL_ANNOTATED_MUTEX_H_
