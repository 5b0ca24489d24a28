// Value: the dynamic data of Jepsen operations, with EDN's data model.
//
// Jepsen ops carry arbitrary Clojure data in :f, :value and :error: keywords, numbers,
// vectors of micro-ops, maps of node names... Value holds that data so histories
// round-trip through history.edn without loss: nil, boolean, integer (int64; larger
// integers as a BigInt kind), double, character, string, keyword, symbol, vector, list,
// map, set, and tagged elements (#inst "...", #jepsen.history.Op{...}).
//
//   Value v = Value::Vector({Value::Keyword("append"), 1, 2});
//   v.ToEdn()          // "[:append 1 2]"
//   v[0].IsKeyword("append")  // true
//
// Representation: one 64-bit word. Small integers, booleans, characters and nil live in
// the word; keywords and symbols are interned (copying one is copying a pointer);
// strings, containers and the rare kinds are immutable, reference-counted heap objects.
// Copying is therefore cheap for every value, and free for the small ones.
//
// Equality, hashing and ordering follow Clojure where checkers depend on them: vectors
// and lists with equal elements are equal (and hash alike); 1 and 1.0 are not equal;
// maps and sets compare by content; vectors order by length, then element by element.
// Values of different kinds order by a fixed rank (nil < boolean < number < char <
// string < keyword < symbol < vector/list < set < map < tagged), which makes the order
// total, so Values can be keys of sorted containers.
//
// Thread safety: a Value is immutable. Any number of threads may read and copy the same
// Value concurrently (reference counts are atomic).
#ifndef JEPSEN_VALUE_H_
#define JEPSEN_VALUE_H_

#include <fmt/format.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace jepsen {

enum class ValueKind : uint8_t {
  kNil,
  kBool,
  kInt,     // fits in int64
  kBigInt,  // an integer beyond int64, kept as its decimal digits
  kDouble,
  kChar,    // a Unicode code point
  kString,  // UTF-8
  kKeyword,
  kSymbol,
  kVector,
  kList,
  kMap,     // keeps insertion order; equality ignores order
  kSet,     // keeps insertion order; equality ignores order
  kTagged,  // #tag value
};

// "nil", "int", "keyword", ... for error messages.
std::string_view ValueKindName(ValueKind kind);

struct MapEntry;

class Value {
 public:
  // nil.
  constexpr Value() noexcept : bits_(0) {}
  Value(const Value& other) noexcept : bits_(other.bits_) { Ref(); }
  Value(Value&& other) noexcept : bits_(other.bits_) { other.bits_ = 0; }
  Value& operator=(const Value& other) noexcept {
    Value copy(other);
    std::swap(bits_, copy.bits_);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    std::swap(bits_, other.bits_);
    return *this;
  }
  ~Value() { Unref(); }

  // Integers and doubles convert implicitly, so that literals read naturally:
  // Value::Vector({Value::Keyword("r"), 1, Value()}).
  template <typename I,
            std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                 !std::is_same_v<I, char>,
                             int> = 0>
  Value(I i) : Value(MakeInt(static_cast<int64_t>(i))) {}  // NOLINT: implicit
  Value(double d);                                         // NOLINT: implicit

  static Value Nil() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i) { return MakeInt(i); }
  static Value Double(double d) { return Value(d); }
  static Value Char(char32_t code_point);
  static Value String(std::string_view utf8);
  // A keyword by its name without the colon: Keyword("append"), Keyword("jepsen/op").
  static Value Keyword(std::string_view name);
  static Value Symbol(std::string_view name);
  // An integer from its decimal digits with an optional sign. Integers that fit in
  // int64 become kInt. Returns nil if `digits` is not a decimal integer.
  static Value BigInt(std::string_view digits);
  static Value Vector(std::vector<Value> elements);
  static Value Vector(std::initializer_list<Value> elements);
  static Value List(std::vector<Value> elements);
  static Value List(std::initializer_list<Value> elements);
  // Duplicates are dropped, keeping the first. Sets `*had_duplicates` when given.
  static Value Set(std::vector<Value> elements, bool* had_duplicates = nullptr);
  // For duplicate keys the last value wins, at the first key's position.
  static Value Map(std::vector<MapEntry> entries, bool* had_duplicates = nullptr);
  static Value Map(std::initializer_list<MapEntry> entries);
  // #tag value. `tag` is the tag's symbol name, e.g. "inst" or "jepsen.history.Op".
  static Value Tagged(std::string_view tag, Value value);

  ValueKind kind() const;

  bool is_nil() const { return bits_ == 0; }
  bool is_bool() const { return kind() == ValueKind::kBool; }
  bool is_int() const { return (bits_ & 1) != 0 || kind() == ValueKind::kInt; }
  bool is_double() const { return kind() == ValueKind::kDouble; }
  bool is_number() const;
  bool is_string() const { return Tag() == kStringTag; }
  bool is_keyword() const { return kind() == ValueKind::kKeyword; }
  bool is_symbol() const { return kind() == ValueKind::kSymbol; }
  bool is_vector() const { return Tag() == kVectorTag; }
  bool is_list() const { return Tag() == kListTag; }
  // A vector or a list.
  bool is_sequential() const { return Tag() == kVectorTag || Tag() == kListTag; }
  bool is_map() const { return Tag() == kMapTag; }
  bool is_set() const { return Tag() == kSetTag; }
  bool is_tagged() const { return kind() == ValueKind::kTagged; }

  // True if this is the keyword with that name (no colon).
  bool IsKeyword(std::string_view name) const;
  // True if this is a keyword, symbol or string with that name. Histories written by
  // non-Clojure tools spell :read as "read"; checkers accept both through this.
  bool IsNamed(std::string_view name) const;

  // Accessors abort if the kind is wrong: check the kind first.
  bool AsBool() const;
  int64_t AsInt() const;
  double AsDouble() const;  // an int or a double
  char32_t AsChar() const;
  // The text of a string, keyword or symbol (keywords without the colon; "ns/name"
  // with a namespace), or the digits of a BigInt.
  std::string_view AsString() const;

  // Elements of a vector, list or set; entries of a map; bytes of a string; else 0.
  size_t size() const;
  bool empty() const { return size() == 0; }
  // Elements of a vector, list or set, in order (sets: insertion order).
  std::span<const Value> elements() const;
  // The i-th element of a vector or list; aborts when out of range.
  const Value& operator[](size_t i) const;
  // Entries of a map, in insertion order.
  std::span<const MapEntry> entries() const;
  // The value at `key` in a map, or nullptr. For a keyword key, Find("type") is a
  // shortcut for Find(Value::Keyword("type")).
  const Value* Find(const Value& key) const;
  const Value* Find(std::string_view keyword) const;
  // Set membership, or presence of a map key.
  bool Contains(const Value& v) const;
  // The tag and the element of a tagged value.
  std::string_view tag() const;
  const Value& tagged_value() const;

  // Clojure-compatible hash (consistent with ==).
  size_t Hash() const;
  // The EDN text of this value, as Clojure's pr-str prints it.
  std::string ToEdn() const;

  friend bool operator==(const Value& a, const Value& b);
  // Total order: negative, zero or positive.
  friend int Compare(const Value& a, const Value& b);
  friend bool operator<(const Value& a, const Value& b) { return Compare(a, b) < 0; }

  // The raw word, for hashing containers of values. Not stable across runs.
  uint64_t raw_bits() const { return bits_; }

 private:
  // The low four bits of bits_ say what it holds (see value.cc for the layout).
  static constexpr uint64_t kTagMask = 0xF;
  static constexpr uint64_t kBoxedTag = 0x0;  // nil when the word is 0
  static constexpr uint64_t kStringTag = 0x2;
  static constexpr uint64_t kVectorTag = 0x4;
  static constexpr uint64_t kListTag = 0x6;
  static constexpr uint64_t kMapTag = 0x8;
  static constexpr uint64_t kSetTag = 0xA;
  static constexpr uint64_t kInternedTag = 0xC;
  static constexpr uint64_t kImmediateTag = 0xE;

  friend class ValueBuilder;
  explicit Value(uint64_t bits, int /*raw*/) : bits_(bits) {}

  static Value MakeInt(int64_t i);
  uint64_t Tag() const { return (bits_ & 1) ? 1 : (bits_ & kTagMask); }
  // Heap objects are everything reference-counted: boxed kinds, strings, containers.
  bool IsCounted() const { return (bits_ & 1) == 0 && bits_ != 0 && Tag() <= kSetTag; }
  void Ref() const noexcept {
    if (IsCounted()) RefSlow();
  }
  void Unref() noexcept {
    if (IsCounted()) UnrefSlow();
  }
  void RefSlow() const noexcept;
  void UnrefSlow() noexcept;

  uint64_t bits_;
};

struct MapEntry {
  Value key;
  Value value;
  friend bool operator==(const MapEntry&, const MapEntry&) = default;
};

struct ValueHash {
  size_t operator()(const Value& v) const { return v.Hash(); }
};

}  // namespace jepsen

// Values format as EDN: fmt::format("{}", v).
template <>
struct fmt::formatter<jepsen::Value> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const jepsen::Value& v, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(v.ToEdn(), ctx);
  }
};

#endif  // JEPSEN_VALUE_H_
