// Private: the heap layout of Value and a builder that moves elements straight into it.
//
// The word (Value::bits_), by its low four bits:
//   xxx1  an integer in the upper 63 bits (arithmetic shift right by one)
//   0000  nil when the whole word is 0; else a Boxed object (int64, double, BigInt,
//         tagged) whose kind is in its header
//   0010  String      0100 Vector      0110 List      1000 Map      1010 Set
//   1100  an Interned keyword or symbol (never freed, not counted)
//   1110  an immediate: bool (bits 4..7 = 0 false, 1 true) or char (bits 4..7 = 2,
//         code point in bits 32..63)
// Every heap object is 16-byte aligned (operator new's default on x86-64 and aarch64),
// so the tag bits are free, and starts with an atomic reference count.
#ifndef JEPSEN_SRC_VALUE_INTERNAL_H_
#define JEPSEN_SRC_VALUE_INTERNAL_H_

#include <atomic>
#include <cstdint>
#include <span>

#include "jepsen/value.h"

namespace jepsen::internal {

// Header of strings and containers: the element (or byte) count follows the count.
struct Counted {
  std::atomic<uint32_t> refs;
  uint32_t size;
};

// Maps and sets above this size get a hash index after their entries.
inline constexpr uint32_t kIndexThreshold = 8;

// Header of boxed kinds; the payload follows at offset 8.
struct Boxed {
  std::atomic<uint32_t> refs;
  ValueKind kind;
  uint8_t pad[3];
};

struct Interned {
  uint32_t size;
  ValueKind kind;  // kKeyword or kSymbol
  uint8_t pad[3];
  char text[1];  // `size` bytes, NUL-terminated
};

}  // namespace jepsen::internal

namespace jepsen {

// Builds containers by moving elements in, without an intermediate std::vector copy.
// The parsers use it with a scratch stack of Values.
class ValueBuilder {
 public:
  // Each moves the given values out (they are left nil).
  static Value MoveVector(std::span<Value> elements);
  static Value MoveList(std::span<Value> elements);
  // `kvs` alternates keys and values. Returns false in *had_duplicates on a repeat.
  static Value MoveMap(std::span<Value> kvs, bool* had_duplicates);
  static Value MoveSet(std::span<Value> elements, bool* had_duplicates);
};

}  // namespace jepsen

#endif  // JEPSEN_SRC_VALUE_INTERNAL_H_
