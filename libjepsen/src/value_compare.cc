// Equality, ordering and hashing of Values, following Clojure's semantics where
// checkers depend on them (see value.h).
#include <algorithm>
#include <bit>
#include <cmath>
#include <compare>
#include <functional>

#include "jepsen/value.h"

namespace jepsen {
namespace {

uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Kinds that compare with each other share a rank.
int Rank(ValueKind k) {
  switch (k) {
    case ValueKind::kNil:
      return 0;
    case ValueKind::kBool:
      return 1;
    case ValueKind::kInt:
    case ValueKind::kBigInt:
    case ValueKind::kDouble:
      return 2;
    case ValueKind::kChar:
      return 3;
    case ValueKind::kString:
      return 4;
    case ValueKind::kKeyword:
      return 5;
    case ValueKind::kSymbol:
      return 6;
    case ValueKind::kVector:
    case ValueKind::kList:
      return 7;
    case ValueKind::kSet:
      return 8;
    case ValueKind::kMap:
      return 9;
    case ValueKind::kTagged:
      return 10;
  }
  return 11;
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareDoubles(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return Cmp(std::isnan(a), std::isnan(b));
  return Cmp(a, b);
}

// Exact comparison of an int64 with a double; at a tie the int sorts first (1 < 1.0),
// keeping the order consistent with equality.
int CompareIntDouble(int64_t i, double d) {
  if (std::isnan(d)) return -1;
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double t = std::trunc(d);
  auto ti = static_cast<int64_t>(t);
  if (i != ti) return Cmp(i, ti);
  return d - t > 0 ? -1 : (d - t < 0 ? 1 : -1);
}

// BigInts hold integers outside int64; compare by sign, then digit count, then digits.
int CompareBigInts(std::string_view a, std::string_view b) {
  bool na = a[0] == '-', nb = b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  if (na) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  int magnitude = a.size() != b.size() ? Cmp(a.size(), b.size()) : Cmp(a, b);
  return na ? -magnitude : magnitude;
}

double BigIntToDouble(std::string_view digits) { return std::stod(std::string(digits)); }

int CompareNumbers(const Value& a, const Value& b) {
  ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::kInt && kb == ValueKind::kInt) return Cmp(a.AsInt(), b.AsInt());
  if (ka == ValueKind::kDouble && kb == ValueKind::kDouble) {
    return CompareDoubles(a.AsDouble(), b.AsDouble());
  }
  if (ka == ValueKind::kBigInt && kb == ValueKind::kBigInt) {
    return CompareBigInts(a.AsString(), b.AsString());
  }
  if (ka == ValueKind::kInt && kb == ValueKind::kDouble) {
    return CompareIntDouble(a.AsInt(), b.AsDouble());
  }
  if (ka == ValueKind::kDouble && kb == ValueKind::kInt) {
    return -CompareIntDouble(b.AsInt(), a.AsDouble());
  }
  // One side is a BigInt, outside int64: its sign decides against an int.
  if (ka == ValueKind::kBigInt && kb == ValueKind::kInt)
    return a.AsString()[0] == '-' ? -1 : 1;
  if (ka == ValueKind::kInt && kb == ValueKind::kBigInt)
    return b.AsString()[0] == '-' ? 1 : -1;
  double da = ka == ValueKind::kBigInt ? BigIntToDouble(a.AsString()) : a.AsDouble();
  double db = kb == ValueKind::kBigInt ? BigIntToDouble(b.AsString()) : b.AsDouble();
  int c = CompareDoubles(da, db);
  return c != 0 ? c : (ka == ValueKind::kBigInt ? -1 : 1);
}

// Keywords and symbols: namespace first (none sorts first), then name, as Clojure.
int CompareNames(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) -> std::pair<std::string_view, std::string_view> {
    size_t slash = s.find('/');
    if (slash == std::string_view::npos || slash == 0 || s.size() == 1) return {{}, s};
    return {s.substr(0, slash), s.substr(slash + 1)};
  };
  auto [nsa, namea] = split(a);
  auto [nsb, nameb] = split(b);
  if (nsa.empty() != nsb.empty()) return nsa.empty() ? -1 : 1;
  int c = Cmp(nsa, nsb);
  return c != 0 ? c : Cmp(namea, nameb);
}

std::vector<Value> Sorted(std::span<const Value> values) {
  std::vector<Value> out(values.begin(), values.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<MapEntry> SortedEntries(std::span<const MapEntry> entries) {
  std::vector<MapEntry> out(entries.begin(), entries.end());
  std::sort(out.begin(), out.end(), [](const MapEntry& x, const MapEntry& y) {
    int c = Compare(x.key, y.key);
    return c != 0 ? c < 0 : Compare(x.value, y.value) < 0;
  });
  return out;
}

}  // namespace

bool operator==(const Value& a, const Value& b) {
  if (a.raw_bits() == b.raw_bits()) return true;
  ValueKind ka = a.kind(), kb = b.kind();
  bool seq_a = ka == ValueKind::kVector || ka == ValueKind::kList;
  bool seq_b = kb == ValueKind::kVector || kb == ValueKind::kList;
  if (seq_a && seq_b) {
    auto ea = a.elements(), eb = b.elements();
    return std::equal(ea.begin(), ea.end(), eb.begin(), eb.end());
  }
  if (ka != kb) return false;
  switch (ka) {
    case ValueKind::kInt:
      return a.AsInt() == b.AsInt();
    case ValueKind::kDouble: {
      double x = a.AsDouble(), y = b.AsDouble();
      return x == y || (std::isnan(x) && std::isnan(y));
    }
    case ValueKind::kBigInt:
    case ValueKind::kString:
      return a.AsString() == b.AsString();
    case ValueKind::kMap: {
      if (a.size() != b.size()) return false;
      for (const MapEntry& e : a.entries()) {
        const Value* other = b.Find(e.key);
        if (other == nullptr || !(*other == e.value)) return false;
      }
      return true;
    }
    case ValueKind::kSet: {
      if (a.size() != b.size()) return false;
      for (const Value& e : a.elements()) {
        if (!b.Contains(e)) return false;
      }
      return true;
    }
    case ValueKind::kTagged:
      return a.tag() == b.tag() && a.tagged_value() == b.tagged_value();
    default:  // nil, bool, char, keyword, symbol: equal only when the words are.
      return false;
  }
}

int Compare(const Value& a, const Value& b) {
  if (a.raw_bits() == b.raw_bits()) return 0;
  ValueKind ka = a.kind(), kb = b.kind();
  int ra = Rank(ka), rb = Rank(kb);
  if (ra != rb) return Cmp(ra, rb);
  switch (ka) {
    case ValueKind::kNil:
      return 0;
    case ValueKind::kBool:
      return Cmp(a.AsBool(), b.AsBool());
    case ValueKind::kInt:
    case ValueKind::kBigInt:
    case ValueKind::kDouble:
      return CompareNumbers(a, b);
    case ValueKind::kChar:
      return Cmp(a.AsChar(), b.AsChar());
    case ValueKind::kString:
      return Cmp(a.AsString(), b.AsString());
    case ValueKind::kKeyword:
    case ValueKind::kSymbol:
      return CompareNames(a.AsString(), b.AsString());
    case ValueKind::kVector:
    case ValueKind::kList: {
      if (a.size() != b.size()) return Cmp(a.size(), b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        if (int c = Compare(a[i], b[i]); c != 0) return c;
      }
      return 0;
    }
    case ValueKind::kSet: {
      if (a.size() != b.size()) return Cmp(a.size(), b.size());
      auto sa = Sorted(a.elements()), sb = Sorted(b.elements());
      for (size_t i = 0; i < sa.size(); ++i) {
        if (int c = Compare(sa[i], sb[i]); c != 0) return c;
      }
      return 0;
    }
    case ValueKind::kMap: {
      if (a.size() != b.size()) return Cmp(a.size(), b.size());
      auto sa = SortedEntries(a.entries()), sb = SortedEntries(b.entries());
      for (size_t i = 0; i < sa.size(); ++i) {
        if (int c = Compare(sa[i].key, sb[i].key); c != 0) return c;
        if (int c = Compare(sa[i].value, sb[i].value); c != 0) return c;
      }
      return 0;
    }
    case ValueKind::kTagged: {
      if (int c = Cmp(a.tag(), b.tag()); c != 0) return c;
      return Compare(a.tagged_value(), b.tagged_value());
    }
  }
  return 0;
}

size_t Value::Hash() const {
  switch (kind()) {
    case ValueKind::kNil:
      return 0x6e696c;
    case ValueKind::kBool:
      return AsBool() ? 1231 : 1237;
    case ValueKind::kInt:
      return Mix64(static_cast<uint64_t>(AsInt()));
    case ValueKind::kDouble: {
      double d = AsDouble();
      if (std::isnan(d)) return 0x7ff8;
      if (d == 0) d = 0;  // -0.0 == 0.0
      return Mix64(std::bit_cast<uint64_t>(d) ^ 0xd0b1e);
    }
    case ValueKind::kChar:
      return Mix64(AsChar() ^ 0xc4a2ULL);
    case ValueKind::kBigInt:
    case ValueKind::kString:
      return std::hash<std::string_view>()(AsString());
    case ValueKind::kKeyword:
    case ValueKind::kSymbol:
      return Mix64(std::hash<std::string_view>()(AsString()) ^
                   (kind() == ValueKind::kKeyword ? 0x3a : 0x27));
    case ValueKind::kVector:
    case ValueKind::kList: {
      uint64_t h = 1;
      for (const Value& e : elements()) h = 31 * h + e.Hash();
      return Mix64(h);
    }
    case ValueKind::kSet: {
      uint64_t h = 0x5e7;
      for (const Value& e : elements()) h += e.Hash();
      return h;
    }
    case ValueKind::kMap: {
      uint64_t h = 0x3a9;
      for (const MapEntry& e : entries()) h += Mix64(e.key.Hash()) ^ e.value.Hash();
      return h;
    }
    case ValueKind::kTagged:
      return Mix64(std::hash<std::string_view>()(tag()) * 31 + tagged_value().Hash());
  }
  return 0;
}

}  // namespace jepsen
