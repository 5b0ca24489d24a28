// Simulate: runs a generator without threads, nodes or a clock, for tests.
//
// The simulator plays the interpreter's part on a simulated clock: it asks the
// generator for ops, "invokes" them, and completes them after a scripted latency with
// a scripted outcome, feeding every invocation and completion back through Update. It
// is deterministic for a given seed, so generator tests compare whole histories.
//
//   std::vector<Op> h = Simulate(test, Limit(4, Repeat(Invoke("read"))), {.concurrency = 2});
//
// Thread safety: a plain function.
#ifndef JEPSEN_GENERATOR_SIMULATE_H_
#define JEPSEN_GENERATOR_SIMULATE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "jepsen/generator.h"

namespace jepsen {

struct SimulateOptions {
  // Client threads (the nemesis thread comes on top).
  int concurrency = 2;
  uint64_t seed = 0;
  // Stop after recording this many ops (invocations and completions).
  int64_t max_ops = 10000;
  // Latency of an invocation in nanoseconds (default: 0).
  std::function<int64_t(const Op& invocation)> latency;
  // The completion of an invocation (default: :ok with the invocation's value).
  // Only type, value and error are taken from it.
  std::function<Op(const Op& invocation)> complete;
};

struct SimulateResult {
  // Invocations and completions as the interpreter would record them.
  std::vector<Op> history;
  // Messages of Log ops, with their times.
  std::vector<std::pair<int64_t, std::string>> logs;
  // True if the generator was left pending with nothing in flight (it would wait
  // forever), rather than exhausted.
  bool stuck = false;
};

SimulateResult Simulate(const Test& test, Gen gen, const SimulateOptions& options = {});

}  // namespace jepsen

#endif  // JEPSEN_GENERATOR_SIMULATE_H_
