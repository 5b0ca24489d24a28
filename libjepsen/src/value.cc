#include "jepsen/value.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <mutex>
#include <new>
#include <unordered_map>

#include "jepsen/check.h"
#include "jepsen/edn.h"
#include "value_internal.h"

namespace jepsen {
namespace {

using internal::Boxed;
using internal::Counted;
using internal::Interned;
using internal::kIndexThreshold;

constexpr int64_t kMinSmallInt = -(int64_t{1} << 62);
constexpr int64_t kMaxSmallInt = (int64_t{1} << 62) - 1;
constexpr uint64_t kFalseBits = 0x0E;
constexpr uint64_t kTrueBits = 0x1E;
constexpr uint64_t kCharSubtag = 0x2E;

void* Allocate(size_t bytes) {
  void* p = ::operator new(bytes);
  JEPSEN_CHECK((reinterpret_cast<uintptr_t>(p) & 0xF) == 0, "heap object not 16-aligned");
  return p;
}

template <typename T>
T* Ptr(uint64_t bits) {
  return reinterpret_cast<T*>(bits & ~uint64_t{0xF});
}

// ---- Layout helpers --------------------------------------------------------------

Value* SeqData(Counted* c) { return reinterpret_cast<Value*>(c + 1); }
MapEntry* MapData(Counted* c) { return reinterpret_cast<MapEntry*>(c + 1); }
char* StringData(Counted* c) { return reinterpret_cast<char*>(c + 1); }

// The hash index of a map or set with more than kIndexThreshold entries sits right
// after them: a power-of-two capacity, then that many slots (entry position + 1, or 0).
uint32_t* IndexOf(Counted* c, size_t entry_bytes) {
  return reinterpret_cast<uint32_t*>(reinterpret_cast<char*>(c + 1) +
                                     c->size * entry_bytes);
}
uint32_t IndexCapacity(uint32_t n) { return std::bit_ceil(n * 2); }
size_t IndexBytes(uint32_t n) {
  return n > kIndexThreshold ? (1 + IndexCapacity(n)) * sizeof(uint32_t) : 0;
}

template <typename T>
T* BoxedPayload(Boxed* b) {
  return reinterpret_cast<T*>(reinterpret_cast<char*>(b) + 16);
}

// ---- Interning --------------------------------------------------------------------

class InternTable {
 public:
  const Interned* Intern(std::string_view text, ValueKind kind) {
    size_t h = std::hash<std::string_view>()(text);
    Shard& shard = shards_[(h ^ static_cast<size_t>(kind)) % kShards];
    std::lock_guard<std::mutex> lock(shard.mu);
    auto& map = kind == ValueKind::kKeyword ? shard.keywords : shard.symbols;
    auto it = map.find(text);
    if (it != map.end()) return it->second;
    size_t bytes = offsetof(Interned, text) + text.size() + 1;
    auto* in = static_cast<Interned*>(Allocate(bytes));
    in->size = static_cast<uint32_t>(text.size());
    in->kind = kind;
    std::memcpy(in->text, text.data(), text.size());
    in->text[text.size()] = '\0';
    map.emplace(std::string_view(in->text, in->size), in);
    return in;
  }

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string_view, const Interned*> keywords;
    std::unordered_map<std::string_view, const Interned*> symbols;
  };
  Shard shards_[kShards];
};

InternTable& Interns() {
  // Never destroyed: interned names live as long as the process, and stay reachable
  // for leak checkers.
  static auto* table = new InternTable();
  return *table;
}

// A per-thread, direct-mapped cache in front of the shared table: parsers intern the
// same few keywords millions of times, and a hit takes no lock.
const Interned* InternCached(std::string_view text, ValueKind kind) {
  struct Slot {
    const Interned* interned = nullptr;
  };
  thread_local Slot cache[512];
  size_t h = std::hash<std::string_view>()(text) ^ static_cast<size_t>(kind);
  Slot& slot = cache[h % 512];
  const Interned* in = slot.interned;
  if (in != nullptr && in->kind == kind && std::string_view(in->text, in->size) == text) {
    return in;
  }
  in = Interns().Intern(text, kind);
  slot.interned = in;
  return in;
}

// ---- Destruction ------------------------------------------------------------------

// Drops one reference held by a child; returns true if the child must now be freed.
bool ReleaseChild(const Value& child, std::vector<uint64_t>& work) {
  uint64_t bits = child.raw_bits();
  if ((bits & 1) || bits == 0 || (bits & 0xF) > 0xA) return false;
  auto* refs = Ptr<std::atomic<uint32_t>>(bits);
  if (refs->fetch_sub(1, std::memory_order_acq_rel) == 1) work.push_back(bits);
  return true;
}

// Frees one object whose count reached zero; children that also reach zero are queued,
// so destroying a deeply nested value never recurses.
void FreeObject(uint64_t bits, std::vector<uint64_t>& work) {
  uint64_t tag = bits & 0xF;
  if (tag == 0x4 || tag == 0x6 || tag == 0xA) {
    auto* c = Ptr<Counted>(bits);
    for (uint32_t i = 0; i < c->size; ++i) ReleaseChild(SeqData(c)[i], work);
  } else if (tag == 0x8) {
    auto* c = Ptr<Counted>(bits);
    for (uint32_t i = 0; i < c->size; ++i) {
      ReleaseChild(MapData(c)[i].key, work);
      ReleaseChild(MapData(c)[i].value, work);
    }
  } else if (tag == 0x0) {
    auto* b = Ptr<Boxed>(bits);
    if (b->kind == ValueKind::kTagged) ReleaseChild(BoxedPayload<Value>(b)[1], work);
  }
  ::operator delete(Ptr<void>(bits));
}

}  // namespace

// ---- Reference counting -----------------------------------------------------------

void Value::RefSlow() const noexcept {
  Ptr<std::atomic<uint32_t>>(bits_)->fetch_add(1, std::memory_order_relaxed);
}

void Value::UnrefSlow() noexcept {
  auto* refs = Ptr<std::atomic<uint32_t>>(bits_);
  if (refs->fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  std::vector<uint64_t> work{bits_};
  while (!work.empty()) {
    uint64_t next = work.back();
    work.pop_back();
    FreeObject(next, work);
  }
  bits_ = 0;
}

// ---- Construction -----------------------------------------------------------------

Value Value::MakeInt(int64_t i) {
  if (i >= kMinSmallInt && i <= kMaxSmallInt) {
    return Value((static_cast<uint64_t>(i) << 1) | 1, 0);
  }
  auto* b = static_cast<Boxed*>(Allocate(24));
  new (&b->refs) std::atomic<uint32_t>(1);
  b->kind = ValueKind::kInt;
  *BoxedPayload<int64_t>(b) = i;
  return Value(reinterpret_cast<uint64_t>(b) | kBoxedTag, 0);
}

Value::Value(double d) : bits_(0) {
  auto* b = static_cast<Boxed*>(Allocate(24));
  new (&b->refs) std::atomic<uint32_t>(1);
  b->kind = ValueKind::kDouble;
  *BoxedPayload<double>(b) = d;
  bits_ = reinterpret_cast<uint64_t>(b) | kBoxedTag;
}

Value Value::Bool(bool b) { return Value(b ? kTrueBits : kFalseBits, 0); }

Value Value::Char(char32_t code_point) {
  return Value((static_cast<uint64_t>(code_point) << 32) | kCharSubtag, 0);
}

Value Value::String(std::string_view utf8) {
  JEPSEN_CHECK(utf8.size() < UINT32_MAX, "string of {} bytes is too long", utf8.size());
  auto* c = static_cast<Counted*>(Allocate(sizeof(Counted) + utf8.size() + 1));
  new (&c->refs) std::atomic<uint32_t>(1);
  c->size = static_cast<uint32_t>(utf8.size());
  if (!utf8.empty()) std::memcpy(StringData(c), utf8.data(), utf8.size());
  StringData(c)[utf8.size()] = '\0';
  return Value(reinterpret_cast<uint64_t>(c) | kStringTag, 0);
}

Value Value::Keyword(std::string_view name) {
  return Value(
      reinterpret_cast<uint64_t>(InternCached(name, ValueKind::kKeyword)) | kInternedTag,
      0);
}

Value Value::Symbol(std::string_view name) {
  return Value(
      reinterpret_cast<uint64_t>(InternCached(name, ValueKind::kSymbol)) | kInternedTag,
      0);
}

Value Value::BigInt(std::string_view digits) {
  std::string_view body = digits;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty() || !std::all_of(body.begin(), body.end(),
                                   [](char ch) { return ch >= '0' && ch <= '9'; })) {
    return Value();
  }
  while (body.size() > 1 && body[0] == '0') body.remove_prefix(1);
  // Fits in int64? Compare digit strings against the limits.
  std::string_view limit = negative ? "9223372036854775808" : "9223372036854775807";
  if (body.size() < limit.size() || (body.size() == limit.size() && body <= limit)) {
    uint64_t magnitude = 0;
    for (char ch : body) magnitude = magnitude * 10 + static_cast<uint64_t>(ch - '0');
    return MakeInt(negative ? static_cast<int64_t>(0 - magnitude)
                            : static_cast<int64_t>(magnitude));
  }
  std::string text = negative ? "-" : "";
  text.append(body);
  auto* b = static_cast<Boxed*>(Allocate(16 + sizeof(uint32_t) + text.size() + 1));
  new (&b->refs) std::atomic<uint32_t>(1);
  b->kind = ValueKind::kBigInt;
  auto* len = BoxedPayload<uint32_t>(b);
  *len = static_cast<uint32_t>(text.size());
  std::memcpy(len + 1, text.c_str(), text.size() + 1);
  return Value(reinterpret_cast<uint64_t>(b) | kBoxedTag, 0);
}

Value Value::Tagged(std::string_view tag, Value value) {
  auto* b = static_cast<Boxed*>(Allocate(16 + 2 * sizeof(Value)));
  new (&b->refs) std::atomic<uint32_t>(1);
  b->kind = ValueKind::kTagged;
  new (BoxedPayload<Value>(b)) Value(Symbol(tag));
  new (BoxedPayload<Value>(b) + 1) Value(std::move(value));
  return Value(reinterpret_cast<uint64_t>(b) | kBoxedTag, 0);
}

namespace {

// Allocates a sequence object of `n` values (plus an index when `indexed`) and moves
// the values in.
uint64_t NewSeq(std::span<Value> elements, uint64_t tag, bool indexed) {
  uint32_t n = static_cast<uint32_t>(elements.size());
  size_t bytes = sizeof(Counted) + n * sizeof(Value) + (indexed ? IndexBytes(n) : 0);
  auto* c = static_cast<Counted*>(Allocate(bytes));
  new (&c->refs) std::atomic<uint32_t>(1);
  c->size = n;
  for (uint32_t i = 0; i < n; ++i) new (SeqData(c) + i) Value(std::move(elements[i]));
  return reinterpret_cast<uint64_t>(c) | tag;
}

// Finds `key` among the first `count` keys through the index (or by scanning);
// returns its position or -1. `key_at(i)` yields the i-th key.
template <typename KeyAt>
int64_t Lookup(const Value& key, uint32_t count, const uint32_t* index, KeyAt key_at) {
  if (index == nullptr) {
    for (uint32_t i = 0; i < count; ++i) {
      if (key_at(i) == key) return i;
    }
    return -1;
  }
  uint32_t cap = index[0];
  const uint32_t* slots = index + 1;
  for (size_t s = key.Hash() & (cap - 1);; s = (s + 1) & (cap - 1)) {
    if (slots[s] == 0) return -1;
    if (key_at(slots[s] - 1) == key) return slots[s] - 1;
  }
}

void IndexInsert(uint32_t* index, const Value& key, uint32_t position) {
  uint32_t cap = index[0];
  uint32_t* slots = index + 1;
  size_t s = key.Hash() & (cap - 1);
  while (slots[s] != 0) s = (s + 1) & (cap - 1);
  slots[s] = position + 1;
}

// Removes later duplicates from `items` (sets: drop; maps: the later value replaces
// the earlier one). Returns true if there were any.
bool Dedupe(std::vector<Value>& keys_and_values, size_t stride) {
  size_t n = keys_and_values.size() / stride;
  std::unordered_map<Value, size_t, ValueHash> seen;
  std::vector<Value> out;
  bool dup = false;
  for (size_t i = 0; i < n; ++i) {
    Value& key = keys_and_values[i * stride];
    auto [it, inserted] = seen.emplace(key, out.size() / stride);
    if (!inserted) {
      dup = true;
      if (stride == 2) out[it->second * 2 + 1] = std::move(keys_and_values[i * 2 + 1]);
      continue;
    }
    for (size_t j = 0; j < stride; ++j)
      out.push_back(std::move(keys_and_values[i * stride + j]));
  }
  keys_and_values = std::move(out);
  return dup;
}

uint64_t NewIndexedSeq(std::span<Value> elements, uint64_t tag) {
  uint64_t bits = NewSeq(elements, tag, elements.size() > kIndexThreshold);
  auto* c = Ptr<Counted>(bits);
  if (c->size > kIndexThreshold) {
    uint32_t* index = IndexOf(c, sizeof(Value));
    index[0] = IndexCapacity(c->size);
    std::fill(index + 1, index + 1 + index[0], 0u);
    for (uint32_t i = 0; i < c->size; ++i) IndexInsert(index, SeqData(c)[i], i);
  }
  return bits;
}

uint64_t NewMap(std::span<Value> kvs) {
  uint32_t n = static_cast<uint32_t>(kvs.size() / 2);
  size_t bytes = sizeof(Counted) + n * sizeof(MapEntry) + IndexBytes(n);
  auto* c = static_cast<Counted*>(Allocate(bytes));
  new (&c->refs) std::atomic<uint32_t>(1);
  c->size = n;
  for (uint32_t i = 0; i < n; ++i) {
    new (MapData(c) + i) MapEntry{std::move(kvs[2 * i]), std::move(kvs[2 * i + 1])};
  }
  if (n > kIndexThreshold) {
    uint32_t* index = IndexOf(c, sizeof(MapEntry));
    index[0] = IndexCapacity(n);
    std::fill(index + 1, index + 1 + index[0], 0u);
    for (uint32_t i = 0; i < n; ++i) IndexInsert(index, MapData(c)[i].key, i);
  }
  return reinterpret_cast<uint64_t>(c) | 0x8;
}

// True if the keys at stride positions of `items` repeat (small inputs: pairwise).
bool HasDuplicateKeys(std::span<const Value> items, size_t stride) {
  size_t n = items.size() / stride;
  if (n <= 32) {
    for (size_t i = 1; i < n; ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (items[i * stride] == items[j * stride]) return true;
      }
    }
    return false;
  }
  std::unordered_map<Value, int, ValueHash> seen;
  for (size_t i = 0; i < n; ++i) {
    if (!seen.emplace(items[i * stride], 0).second) return true;
  }
  return false;
}

}  // namespace

Value ValueBuilder::MoveVector(std::span<Value> elements) {
  return Value(NewSeq(elements, Value::kVectorTag, false), 0);
}

Value ValueBuilder::MoveList(std::span<Value> elements) {
  return Value(NewSeq(elements, Value::kListTag, false), 0);
}

Value ValueBuilder::MoveSet(std::span<Value> elements, bool* had_duplicates) {
  bool dup = HasDuplicateKeys(elements, 1);
  if (had_duplicates) *had_duplicates = dup;
  if (!dup) return Value(NewIndexedSeq(elements, Value::kSetTag), 0);
  std::vector<Value> items(std::make_move_iterator(elements.begin()),
                           std::make_move_iterator(elements.end()));
  Dedupe(items, 1);
  return Value(NewIndexedSeq(items, Value::kSetTag), 0);
}

Value ValueBuilder::MoveMap(std::span<Value> kvs, bool* had_duplicates) {
  JEPSEN_CHECK(kvs.size() % 2 == 0, "map needs key-value pairs, got {} items",
               kvs.size());
  bool dup = HasDuplicateKeys(kvs, 2);
  if (had_duplicates) *had_duplicates = dup;
  if (!dup) return Value(NewMap(kvs), 0);
  std::vector<Value> items(std::make_move_iterator(kvs.begin()),
                           std::make_move_iterator(kvs.end()));
  Dedupe(items, 2);
  return Value(NewMap(items), 0);
}

Value Value::Vector(std::vector<Value> elements) {
  return ValueBuilder::MoveVector(elements);
}
Value Value::Vector(std::initializer_list<Value> elements) {
  return Vector(std::vector<Value>(elements));
}
Value Value::List(std::vector<Value> elements) {
  return ValueBuilder::MoveList(elements);
}
Value Value::List(std::initializer_list<Value> elements) {
  return List(std::vector<Value>(elements));
}
Value Value::Set(std::vector<Value> elements, bool* had_duplicates) {
  return ValueBuilder::MoveSet(elements, had_duplicates);
}
Value Value::Map(std::vector<MapEntry> entries, bool* had_duplicates) {
  std::vector<Value> kvs;
  kvs.reserve(entries.size() * 2);
  for (auto& e : entries) {
    kvs.push_back(std::move(e.key));
    kvs.push_back(std::move(e.value));
  }
  return ValueBuilder::MoveMap(kvs, had_duplicates);
}
Value Value::Map(std::initializer_list<MapEntry> entries) {
  return Map(std::vector<MapEntry>(entries));
}

// ---- Inspection -------------------------------------------------------------------

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNil:
      return "nil";
    case ValueKind::kBool:
      return "boolean";
    case ValueKind::kInt:
      return "integer";
    case ValueKind::kBigInt:
      return "big integer";
    case ValueKind::kDouble:
      return "double";
    case ValueKind::kChar:
      return "character";
    case ValueKind::kString:
      return "string";
    case ValueKind::kKeyword:
      return "keyword";
    case ValueKind::kSymbol:
      return "symbol";
    case ValueKind::kVector:
      return "vector";
    case ValueKind::kList:
      return "list";
    case ValueKind::kMap:
      return "map";
    case ValueKind::kSet:
      return "set";
    case ValueKind::kTagged:
      return "tagged element";
  }
  return "unknown";
}

ValueKind Value::kind() const {
  switch (Tag()) {
    case 1:
      return ValueKind::kInt;
    case kBoxedTag:
      return bits_ == 0 ? ValueKind::kNil : Ptr<Boxed>(bits_)->kind;
    case kStringTag:
      return ValueKind::kString;
    case kVectorTag:
      return ValueKind::kVector;
    case kListTag:
      return ValueKind::kList;
    case kMapTag:
      return ValueKind::kMap;
    case kSetTag:
      return ValueKind::kSet;
    case kInternedTag:
      return Ptr<Interned>(bits_)->kind;
    default:
      return (bits_ & 0xF0) == 0x20 ? ValueKind::kChar : ValueKind::kBool;
  }
}

bool Value::is_number() const {
  ValueKind k = kind();
  return k == ValueKind::kInt || k == ValueKind::kDouble || k == ValueKind::kBigInt;
}

bool Value::IsKeyword(std::string_view name) const {
  if (Tag() != kInternedTag) return false;
  const Interned* in = Ptr<Interned>(bits_);
  return in->kind == ValueKind::kKeyword && std::string_view(in->text, in->size) == name;
}

bool Value::IsNamed(std::string_view name) const {
  return (Tag() == kInternedTag || Tag() == kStringTag) && AsString() == name;
}

bool Value::AsBool() const {
  JEPSEN_CHECK(kind() == ValueKind::kBool, "AsBool of a {}", ValueKindName(kind()));
  return bits_ == kTrueBits;
}

int64_t Value::AsInt() const {
  if (bits_ & 1) return static_cast<int64_t>(bits_) >> 1;
  JEPSEN_CHECK(kind() == ValueKind::kInt, "AsInt of a {}", ValueKindName(kind()));
  return *BoxedPayload<int64_t>(Ptr<Boxed>(bits_));
}

double Value::AsDouble() const {
  if (is_int()) return static_cast<double>(AsInt());
  JEPSEN_CHECK(kind() == ValueKind::kDouble, "AsDouble of a {}", ValueKindName(kind()));
  return *BoxedPayload<double>(Ptr<Boxed>(bits_));
}

char32_t Value::AsChar() const {
  JEPSEN_CHECK(kind() == ValueKind::kChar, "AsChar of a {}", ValueKindName(kind()));
  return static_cast<char32_t>(bits_ >> 32);
}

std::string_view Value::AsString() const {
  if (Tag() == kStringTag) {
    auto* c = Ptr<Counted>(bits_);
    return {StringData(c), c->size};
  }
  if (Tag() == kInternedTag) {
    auto* in = Ptr<Interned>(bits_);
    return {in->text, in->size};
  }
  JEPSEN_CHECK(kind() == ValueKind::kBigInt, "AsString of a {}", ValueKindName(kind()));
  auto* len = BoxedPayload<uint32_t>(Ptr<Boxed>(bits_));
  return {reinterpret_cast<const char*>(len + 1), *len};
}

size_t Value::size() const {
  switch (Tag()) {
    case kStringTag:
    case kVectorTag:
    case kListTag:
    case kMapTag:
    case kSetTag:
      return bits_ == 0 ? 0 : Ptr<Counted>(bits_)->size;
    default:
      return 0;
  }
}

std::span<const Value> Value::elements() const {
  uint64_t t = Tag();
  if (t != kVectorTag && t != kListTag && t != kSetTag) return {};
  auto* c = Ptr<Counted>(bits_);
  return {SeqData(c), c->size};
}

const Value& Value::operator[](size_t i) const {
  JEPSEN_CHECK(is_sequential() && i < size(), "element {} of a {} of size {}", i,
               ValueKindName(kind()), size());
  return SeqData(Ptr<Counted>(bits_))[i];
}

std::span<const MapEntry> Value::entries() const {
  if (Tag() != kMapTag) return {};
  auto* c = Ptr<Counted>(bits_);
  return {MapData(c), c->size};
}

const Value* Value::Find(const Value& key) const {
  if (Tag() != kMapTag) return nullptr;
  auto* c = Ptr<Counted>(bits_);
  const uint32_t* index =
      c->size > kIndexThreshold ? IndexOf(c, sizeof(MapEntry)) : nullptr;
  MapEntry* data = MapData(c);
  int64_t at = Lookup(key, c->size, index,
                      [&](uint32_t i) -> const Value& { return data[i].key; });
  return at < 0 ? nullptr : &data[at].value;
}

const Value* Value::Find(std::string_view keyword) const {
  if (Tag() != kMapTag) return nullptr;
  auto* c = Ptr<Counted>(bits_);
  if (c->size > kIndexThreshold) return Find(Keyword(keyword));
  for (uint32_t i = 0; i < c->size; ++i) {
    if (MapData(c)[i].key.IsKeyword(keyword)) return &MapData(c)[i].value;
  }
  return nullptr;
}

bool Value::Contains(const Value& v) const {
  if (Tag() == kMapTag) return Find(v) != nullptr;
  if (Tag() != kSetTag) return false;
  auto* c = Ptr<Counted>(bits_);
  const uint32_t* index = c->size > kIndexThreshold ? IndexOf(c, sizeof(Value)) : nullptr;
  Value* data = SeqData(c);
  return Lookup(v, c->size, index, [&](uint32_t i) -> const Value& { return data[i]; }) >=
         0;
}

std::string_view Value::tag() const {
  JEPSEN_CHECK(is_tagged(), "tag() of a {}", ValueKindName(kind()));
  return BoxedPayload<Value>(Ptr<Boxed>(bits_))[0].AsString();
}

const Value& Value::tagged_value() const {
  JEPSEN_CHECK(is_tagged(), "tagged_value() of a {}", ValueKindName(kind()));
  return BoxedPayload<Value>(Ptr<Boxed>(bits_))[1];
}

std::string Value::ToEdn() const {
  std::string out;
  AppendEdn(out, *this);
  return out;
}

}  // namespace jepsen
