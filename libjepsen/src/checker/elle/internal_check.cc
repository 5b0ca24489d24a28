#include "checker/elle/internal_check.h"

#include <algorithm>

#include <fmt/format.h>

#include "checker/elle/explain.h"

namespace jepsen::elle {
namespace {

struct KeyState {
  uint32_t key;
  const Value* last_read = nullptr;  // list: the previous read; register: last known
  std::vector<const Value*> appended;  // list appends since last_read
};

void Report(const TxnHistory& th, Findings* findings, Anomaly type, uint32_t t,
            std::string what) {
  if (!findings->Count(type)) return;
  std::string text = fmt::format("{}: {}.\n  T1 = {}\n", AnomalyName(type), what,
                                 DescribeTxn(th, t));
  findings->Add({.type = type, .txns = {t}, .explanation = std::move(text)});
}

// Does a later write or append of `key` in mops[after+1..] produce `v`?
bool WrittenLater(std::span<const Mop> mops, size_t after, uint32_t key, const Value& v) {
  for (size_t j = after + 1; j < mops.size(); ++j) {
    if (mops[j].kind != MopKind::kRead && mops[j].key == key && *mops[j].value == v) return true;
  }
  return false;
}

void CheckListRead(const TxnHistory& th, Findings* findings, uint32_t t, KeyState& s,
                   const Mop& mop) {
  std::span<const Value> read = mop.value->elements();
  bool ok;
  std::string expected;
  if (s.last_read) {
    std::span<const Value> prev = s.last_read->elements();
    ok = read.size() == prev.size() + s.appended.size() &&
         std::equal(prev.begin(), prev.end(), read.begin());
    for (size_t i = 0; ok && i < s.appended.size(); ++i) {
      ok = read[prev.size() + i] == *s.appended[i];
    }
    std::vector<Value> e(prev.begin(), prev.end());
    for (const Value* v : s.appended) e.push_back(*v);
    expected = Abbreviate(Value::Vector(std::move(e)));
  } else {
    ok = read.size() >= s.appended.size();
    for (size_t i = 0; ok && i < s.appended.size(); ++i) {
      ok = read[read.size() - s.appended.size() + i] == *s.appended[i];
    }
    std::vector<Value> e;
    for (const Value* v : s.appended) e.push_back(*v);
    expected = "a list ending in " + Abbreviate(Value::Vector(std::move(e)));
  }
  if (!ok) {
    Report(th, findings, Anomaly::kInternal, t,
           fmt::format("T1 read key {} = {}, but its own earlier reads and appends imply {}",
                       th.key(mop.key), Abbreviate(*mop.value), expected));
  }
  s.last_read = mop.value;
  s.appended.clear();
}

}  // namespace

void CheckInternal(const TxnHistory& th, const AnomalySet& wanted, Findings* findings) {
  const bool internal = wanted[Index(Anomaly::kInternal)];
  const bool future = wanted[Index(Anomaly::kFutureRead)];
  if (!internal && !future) return;
  // Reused across transactions (only the first `used` are live) so that the
  // appended vectors keep their capacity: no allocation per transaction.
  std::vector<KeyState> states;
  for (uint32_t t = 0; t < th.size(); ++t) {
    if (!th[t].committed()) continue;
    std::span<const Mop> mops = th.mops(t);
    size_t used = 0;
    for (size_t i = 0; i < mops.size(); ++i) {
      const Mop& mop = mops[i];
      size_t at = 0;
      while (at < used && states[at].key != mop.key) ++at;
      if (at == used) {
        if (used == states.size()) states.emplace_back();
        states[used].key = mop.key;
        states[used].last_read = nullptr;
        states[used].appended.clear();
        ++used;
      }
      KeyState& s = states[at];
      switch (mop.kind) {
        case MopKind::kAppend: s.appended.push_back(mop.value); break;
        case MopKind::kWrite: s.last_read = mop.value; break;
        case MopKind::kRead:
          if (future) {
            bool list = mop.value->is_sequential();
            std::span<const Value> seen =
                list ? mop.value->elements() : std::span<const Value>(mop.value, 1);
            for (const Value& v : seen) {
              if (v.is_nil() || !WrittenLater(mops, i, mop.key, v)) continue;
              Report(th, findings, Anomaly::kFutureRead, t,
                     fmt::format("T1 read key {} = {}, including {}, which T1 itself only "
                                 "writes later",
                                 th.key(mop.key), Abbreviate(*mop.value), v));
              break;
            }
          }
          if (!internal) break;
          if (mop.value->is_sequential()) {
            CheckListRead(th, findings, t, s, mop);
          } else if (!s.appended.empty() || (s.last_read && s.last_read->is_sequential())) {
            // A list key read as nil: the read's value is unknown, nothing to check.
          } else if (s.last_read && !(*s.last_read == *mop.value)) {
            Report(th, findings, Anomaly::kInternal, t,
                   fmt::format("T1 read key {} = {}, but it last wrote or read {} there",
                               th.key(mop.key), Abbreviate(*mop.value),
                               Abbreviate(*s.last_read)));
            s.last_read = mop.value;
          } else {
            s.last_read = mop.value;
          }
          break;
      }
    }
  }
}

}  // namespace jepsen::elle
