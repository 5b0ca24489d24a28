// Private: shared helpers of the generator implementations.
#ifndef JEPSEN_SRC_GENERATOR_MAKE_H_
#define JEPSEN_SRC_GENERATOR_MAKE_H_

#include <memory>
#include <utility>

#include "jepsen/generator.h"

namespace jepsen::internal {

template <typename T, typename... Args>
Gen MakeGen(Args&&... args) {
  return Gen(std::make_shared<const T>(std::forward<Args>(args)...));
}

// True if `a` should be taken before `b`: the earlier op (ties: the first offered).
inline bool Sooner(const GenResult& a, const GenResult& b) { return a.op.time < b.op.time; }

// Any over `reserved` parts and `rest`, breaking ties between ops offered for the same
// time at random, weighted by each part's thread count (the rest: the clients from
// `rest_start` on), as Jepsen's reserve does.
Gen ReservedAny(std::vector<std::pair<int, Gen>> reserved, int rest_start, Gen rest);

}  // namespace jepsen::internal

#endif  // JEPSEN_SRC_GENERATOR_MAKE_H_
