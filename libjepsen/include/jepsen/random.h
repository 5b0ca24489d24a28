// Random: the one seeded source of randomness of a test run.
//
// Every random choice a test makes (generators, nemesis targets, workload values)
// draws from a Random seeded from the test's --seed, which the run logs, so a run's
// choices can be replayed. xoshiro256** seeded through splitmix64.
//
//   Random rng(seed);
//   int64_t k = rng.Uniform(10);        // 0..9
//   double u = rng.UniformDouble();     // [0, 1)
//
// Thread safety: none. Give each thread its own (Fork) or guard it.
#ifndef JEPSEN_RANDOM_H_
#define JEPSEN_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace jepsen {

class Random {
 public:
  explicit Random(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, n); n must be positive.
  int64_t Uniform(int64_t n);
  // Uniform in [lo, hi].
  int64_t UniformIn(int64_t lo, int64_t hi) { return lo + Uniform(hi - lo + 1); }
  // Uniform in [0, 1).
  double UniformDouble();
  // True with probability p.
  bool Bernoulli(double p) { return UniformDouble() < p; }
  // A new generator whose sequence is determined by this one's next output.
  Random Fork() { return Random(Next()); }

  // Fisher-Yates shuffle.
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) {
      std::swap(v[i - 1], v[static_cast<size_t>(Uniform(static_cast<int64_t>(i)))]);
    }
  }

 private:
  uint64_t s_[4];
};

}  // namespace jepsen

#endif  // JEPSEN_RANDOM_H_
