// Independent keys: many small histories in one test (Jepsen's jepsen.independent).
//
// Linearizability checking is exponential in concurrency, so register tests work on
// many keys, each with a short history of its own. These generators wrap each op's
// value as a [key value] tuple; checkers split the history by key (--independent).
//
//   Gen g = gen::IndependentConcurrent(
//       10, IntegerKeys(), [](const Value& k) { return gen::Limit(100, RegisterOps()); });
//
// Thread safety: as generators (immutable values).
#ifndef JEPSEN_GENERATOR_INDEPENDENT_H_
#define JEPSEN_GENERATOR_INDEPENDENT_H_

#include <functional>
#include <optional>
#include <vector>

#include "jepsen/generator.h"

namespace jepsen {

// The i-th key of a key sequence, or nullopt past its end.
using KeySeq = std::function<std::optional<Value>(int64_t i)>;
// 0, 1, 2, ... forever.
KeySeq IntegerKeys(int64_t from = 0);
// The given keys, then no more.
KeySeq KeyList(std::vector<Value> keys);

// The generator of one key.
using KeyGen = std::function<Gen(const Value& key)>;

// [key value] tuple of an op's value, and back.
Value KeyedValue(const Value& key, const Value& value);
// If `v` is a [key value] tuple, its parts.
std::optional<std::pair<Value, Value>> SplitKeyedValue(const Value& v);

namespace gen {

// Keys one after another: all threads work on fgen(k1) until it is exhausted, then on
// fgen(k2), ...
Gen IndependentSequential(KeySeq keys, KeyGen fgen);

// Client threads in groups of `threads_per_key` (threads 0..n-1, n..2n-1, ...), each
// group working on its own key; when a group's generator is exhausted, the group takes
// the next key. Ends when the keys run out and every group is done. The concurrency
// must be at least `threads_per_key`; leftover threads beyond the last full group stay
// idle, as in Jepsen.
Gen IndependentConcurrent(int threads_per_key, KeySeq keys, KeyGen fgen);

}  // namespace gen
}  // namespace jepsen

#endif  // JEPSEN_GENERATOR_INDEPENDENT_H_
