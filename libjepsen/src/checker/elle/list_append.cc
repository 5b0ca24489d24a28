// List-append: version orders from list reads, and the anomalies they reveal.
//
// Every read of a key is a prefix of the key's version order, so the longest read is
// the best known order; each other read must be a prefix of it (incompatible-order if
// not). A read's "prefix length" P (after stripping the reader's own trailing appends)
// names the version it observed: order[P-1] was written before it (wr) and order[P]
// after it (rw). Committed appends no read shows must come after the whole known
// order, so readers of the whole order anti-depend on them and the last known writer
// precedes them.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "checker/elle/big_vector.h"
#include "checker/elle/run_check.h"
#include "checker/elle/value_index.h"
#include "jepsen/checker/elle_list_append.h"

namespace jepsen::elle {
namespace {

// Pairs of (full-order readers x unobserved appenders) per key beyond which we stop
// adding those rw edges (they are sound but would be quadratic).
constexpr size_t kMaxUnobservedEdges = size_t{1} << 20;

struct KeyOrder {
  const Value* longest = nullptr;  // the longest read, or null when never read
  uint32_t longest_txn = kNone;
  uint32_t begin = 0;  // into writer_mop_
  uint32_t size = 0;
  uint32_t first_aborted = kNone;  // first position written by a failed txn
  uint32_t first_garbage = kNone;  // first position nobody wrote
};

class ListAppend final : public Workload {
 public:
  explicit ListAppend(const TxnHistory& th) : th_(th), appends_(th, th.mop_count() / 2) {}

  void Analyze(const AnomalySet& wanted, Findings* findings, DepGraph* graph) override {
    findings_ = findings;
    graph_ = graph;
    IndexMops();
    BuildOrders();
    CheckReads();
    AddWriteEdges();
    AddUnobservedReadEdges();
    if (wanted[Index(Anomaly::kLostUpdate)]) FindLostUpdates();
  }

  size_t MemoryBytes() const override {
    return appends_.MemoryBytes() + keys_.capacity() * sizeof(KeyOrder) +
           (writer_mop_.capacity() + mop_txn_.capacity() + mop_pos_.capacity()) *
               sizeof(uint32_t);
  }

  std::string ExplainData(uint32_t from, uint32_t to, uint8_t rel, std::string_view a,
                          std::string_view b) const override;

 private:
  uint32_t TxnOf(uint32_t mop) const { return mop_txn_[mop]; }
  uint32_t WriterTxn(const KeyOrder& k, uint32_t pos) const {
    uint32_t m = writer_mop_[k.begin + pos];
    return m == kNone ? kNone : mop_txn_[m];
  }
  const Value& Element(const KeyOrder& k, uint32_t pos) const { return (*k.longest)[pos]; }

  void IndexMops() {
    mop_txn_.reserve(th_.mop_count());
    mop_pos_.assign(th_.mop_count(), kNone);
    keys_.resize(th_.key_count());
    for (uint32_t t = 0; t < th_.size(); ++t) {
      for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
        mop_txn_.push_back(t);
        const Mop& mop = th_.mop(m);
        if (mop.kind == MopKind::kAppend) {
          (void)appends_.Insert(m);  // appends are unique; a repeat keeps the first
        } else if (mop.kind == MopKind::kRead && mop.value->is_sequential()) {
          KeyOrder& k = keys_[mop.key];
          if (k.longest == nullptr || mop.value->size() > k.longest->size()) {
            k.longest = mop.value;
            k.longest_txn = t;
          }
        }
      }
    }
  }

  void BuildOrders() {
    for (uint32_t key = 0; key < keys_.size(); ++key) {
      KeyOrder& k = keys_[key];
      if (k.longest == nullptr) continue;
      k.begin = static_cast<uint32_t>(writer_mop_.size());
      k.size = static_cast<uint32_t>(k.longest->size());
      bool reported_duplicate = false;
      for (uint32_t pos = 0; pos < k.size; ++pos) {
        uint32_t m = appends_.Find(key, Element(k, pos));
        writer_mop_.push_back(m);
        if (m == kNone) {
          if (k.first_garbage == kNone) {
            k.first_garbage = pos;
            Report(Anomaly::kGarbageRead, {k.longest_txn},
                   fmt::format("{} read key {} = {}, but no transaction appended {}",
                               "T1", th_.key(key), Abbreviate(*k.longest),
                               Element(k, pos)));
          }
          continue;
        }
        if (mop_pos_[m] != kNone) {
          if (!reported_duplicate) {
            reported_duplicate = true;
            Report(Anomaly::kDuplicateElements, {k.longest_txn},
                   fmt::format("T1 read key {} = {}, which holds {} twice", th_.key(key),
                               Abbreviate(*k.longest), Element(k, pos)));
          }
          continue;
        }
        mop_pos_[m] = pos;
        if (!th_[TxnOf(m)].maybe_committed() && k.first_aborted == kNone) {
          k.first_aborted = pos;
        }
      }
      CheckDirtyUpdate(key, k);
    }
  }

  void CheckDirtyUpdate(uint32_t key, const KeyOrder& k) {
    if (k.first_aborted == kNone) return;
    for (uint32_t pos = k.first_aborted + 1; pos < k.size; ++pos) {
      uint32_t w = WriterTxn(k, pos);
      if (w == kNone || !th_[w].maybe_committed()) continue;
      uint32_t aborted = WriterTxn(k, k.first_aborted);
      Report(Anomaly::kDirtyUpdate, {aborted, w},
             fmt::format("T1 failed after appending {} to key {}, yet T2 appended {} after "
                         "it: the committed version {} builds on an aborted write",
                         Element(k, k.first_aborted), th_.key(key), Element(k, pos),
                         Abbreviate(*k.longest)));
      return;
    }
  }

  void CheckReads() {
    for (uint32_t t = 0; t < th_.size(); ++t) {
      if (!th_[t].committed()) continue;
      for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
        const Mop& mop = th_.mop(m);
        if (mop.kind != MopKind::kRead || !mop.value->is_sequential()) continue;
        CheckRead(t, m, mop);
      }
    }
  }

  void CheckRead(uint32_t t, uint32_t m, const Mop& mop) {
    const KeyOrder& k = keys_[mop.key];
    std::span<const Value> read = mop.value->elements();
    const uint32_t len = static_cast<uint32_t>(read.size());
    if (mop.value != k.longest) {
      std::span<const Value> order = k.longest->elements();
      for (uint32_t i = 0; i < len; ++i) {
        // Equal words are equal values (small ints, keywords); else compare properly.
        if (read[i].raw_bits() == order[i].raw_bits() || read[i] == order[i]) continue;
        Report(Anomaly::kIncompatibleOrder, {t, k.longest_txn},
               fmt::format("T1 read key {} = {} and T2 read {}: neither is a prefix of the "
                           "other",
                           th_.key(mop.key), Abbreviate(*mop.value), Abbreviate(*k.longest)));
        CheckDuplicates(t, mop);
        return;
      }
    }
    if (len > 0 && k.first_aborted != kNone && k.first_aborted < len) {
      uint32_t w = WriterTxn(k, k.first_aborted);
      Report(Anomaly::kG1a, {t, w},
             fmt::format("T1 read key {} = {}, which includes {}, appended by T2, which "
                         "failed (aborted)",
                         th_.key(mop.key), Abbreviate(*mop.value), Element(k, k.first_aborted)));
    }
    uint32_t prefix = len;
    while (prefix > 0 && WriterTxn(k, prefix - 1) == t) --prefix;
    mop_pos_[m] = prefix;
    if (len > 0 && prefix == len) {
      uint32_t wm = writer_mop_[k.begin + len - 1];
      if (wm != kNone && !th_.mop(wm).final_write && TxnOf(wm) != t) {
        Report(Anomaly::kG1b, {t, TxnOf(wm)},
               fmt::format("T1 read key {} = {}, ending in {}, an intermediate value: T2 "
                           "appended it and then appended more to key {}",
                           th_.key(mop.key), Abbreviate(*mop.value), read.back(),
                           th_.key(mop.key)));
      }
    }
    if (!mop.first_read) return;
    if (prefix > 0) {
      uint32_t w = WriterTxn(k, prefix - 1);
      if (w != kNone && th_[w].maybe_committed()) graph_->Add(w, t, kWr);
    }
    if (prefix < k.size) {
      uint32_t w = WriterTxn(k, prefix);
      if (w != kNone && th_[w].maybe_committed()) graph_->Add(t, w, kRw);
    } else {
      full_readers_.push_back({mop.key, t});
    }
  }

  void CheckDuplicates(uint32_t t, const Mop& mop) {
    std::unordered_set<Value, ValueHash> seen;
    for (const Value& v : mop.value->elements()) {
      if (seen.insert(v).second) continue;
      Report(Anomaly::kDuplicateElements, {t},
             fmt::format("T1 read key {} = {}, which holds {} twice", th_.key(mop.key),
                         Abbreviate(*mop.value), v));
      return;
    }
  }

  // ww between consecutive versions, and from the last known version to each
  // committed append no read shows.
  void AddWriteEdges() {
    for (const KeyOrder& k : keys_) {
      for (uint32_t pos = 1; pos < k.size; ++pos) {
        uint32_t a = WriterTxn(k, pos - 1), b = WriterTxn(k, pos);
        if (a == kNone || b == kNone || a == b) continue;
        if (th_[a].maybe_committed() && th_[b].maybe_committed()) graph_->Add(a, b, kWw);
      }
    }
    for (uint32_t m = 0; m < th_.mop_count(); ++m) {
      const Mop& mop = th_.mop(m);
      if (mop.kind != MopKind::kAppend || mop_pos_[m] != kNone) continue;
      uint32_t t = TxnOf(m);
      // Info txns too: one that never committed has no outgoing edges (nobody read
      // its writes, it read nothing, and its process ends), so it closes no cycle;
      // one that did commit must be ordered like any other.
      if (!th_[t].maybe_committed() || appends_.Find(mop.key, *mop.value) != m) continue;
      unobserved_.push_back({mop.key, t});
      const KeyOrder& k = keys_[mop.key];
      if (k.size == 0) continue;
      uint32_t last = WriterTxn(k, k.size - 1);
      if (last != kNone && th_[last].maybe_committed()) graph_->Add(last, t, kWw);
    }
  }

  void AddUnobservedReadEdges() {
    std::sort(unobserved_.begin(), unobserved_.end());
    std::sort(full_readers_.begin(), full_readers_.end());
    AddKeyCrossEdges(full_readers_, unobserved_, kRw, kMaxUnobservedEdges, graph_);
  }

  // Committed txns that read the same version of a key and then appended to it.
  void FindLostUpdates() {
    struct Candidate {
      uint32_t key, prefix, txn;
      auto operator<=>(const Candidate&) const = default;
    };
    std::vector<Candidate> candidates;
    for (uint32_t t = 0; t < th_.size(); ++t) {
      if (!th_[t].committed()) continue;
      std::span<const Mop> mops = th_.mops(t);
      for (size_t i = 0; i < mops.size(); ++i) {
        uint32_t m = th_[t].mop_begin + static_cast<uint32_t>(i);
        if (!mops[i].first_read || mop_pos_[m] == kNone) continue;
        bool appends_later = std::any_of(mops.begin() + static_cast<ptrdiff_t>(i), mops.end(),
                                         [&](const Mop& x) {
                                           return x.kind == MopKind::kAppend &&
                                                  x.key == mops[i].key;
                                         });
        if (appends_later) candidates.push_back({mops[i].key, mop_pos_[m], t});
      }
    }
    std::sort(candidates.begin(), candidates.end());
    for (size_t i = 0; i + 1 < candidates.size();) {
      size_t j = i + 1;
      while (j < candidates.size() && candidates[j].key == candidates[i].key &&
             candidates[j].prefix == candidates[i].prefix) {
        ++j;
      }
      if (j - i >= 2) {
        const KeyOrder& k = keys_[candidates[i].key];
        std::string version = candidates[i].prefix == 0
                                  ? "[]"
                                  : fmt::format("the version ending in {}",
                                                Element(k, candidates[i].prefix - 1));
        std::vector<uint32_t> txns;
        for (size_t x = i; x < j && txns.size() < 4; ++x) txns.push_back(candidates[x].txn);
        Report(Anomaly::kLostUpdate, txns,
               fmt::format("{} committed transactions read key {} at {} and each appended "
                           "to it: all but one update was lost",
                           j - i, th_.key(candidates[i].key), version));
      }
      i = j;
    }
  }

  void Report(Anomaly type, std::vector<uint32_t> txns, std::string what) {
    if (!findings_->Count(type)) return;
    std::string text = fmt::format("{}: {}.\n", AnomalyName(type), what);
    for (size_t i = 0; i < txns.size(); ++i) {
      text += fmt::format("  T{} = {}\n", i + 1, DescribeTxn(th_, txns[i]));
    }
    findings_->Add({.type = type, .txns = std::move(txns), .explanation = std::move(text)});
  }

  const TxnHistory& th_;
  ValueIndex appends_;
  Findings* findings_ = nullptr;
  DepGraph* graph_ = nullptr;
  std::vector<KeyOrder> keys_;
  BigVector<uint32_t> writer_mop_;  // per version: the append that made it
  BigVector<uint32_t> mop_txn_;
  // Appends: position in the key's order (kNone if unobserved). Reads: prefix length
  // after stripping the reader's own appends (kNone if incompatible).
  BigVector<uint32_t> mop_pos_;
  std::vector<std::pair<uint32_t, uint32_t>> unobserved_;   // (key, txn)
  std::vector<std::pair<uint32_t, uint32_t>> full_readers_;  // (key, txn)
};

std::string ListAppend::ExplainData(uint32_t from, uint32_t to, uint8_t rel,
                                    std::string_view a, std::string_view b) const {
  const Txn& tf = th_[from];
  const Txn& tt = th_[to];
  if (rel == kWw) {
    for (uint32_t m = tt.mop_begin; m < tt.mop_end; ++m) {
      const Mop& mop = th_.mop(m);
      if (mop.kind != MopKind::kAppend) continue;
      const KeyOrder& k = keys_[mop.key];
      uint32_t pos = mop_pos_[m];
      if (pos != kNone && pos > 0 && WriterTxn(k, pos - 1) == from) {
        return fmt::format("{} appended {} to key {} just before {} appended {}", a,
                           Element(k, pos - 1), th_.key(mop.key), b, *mop.value);
      }
      if (pos == kNone && k.size > 0 && WriterTxn(k, k.size - 1) == from) {
        return fmt::format("{} appended {} to key {}, the last element any read shows, and "
                           "{}'s append of {} was never read, so it came later",
                           a, Element(k, k.size - 1), th_.key(mop.key), b, *mop.value);
      }
    }
  } else if (rel == kWr) {
    for (uint32_t m = tt.mop_begin; m < tt.mop_end; ++m) {
      const Mop& mop = th_.mop(m);
      if (!mop.first_read || mop_pos_[m] == kNone || mop_pos_[m] == 0) continue;
      const KeyOrder& k = keys_[mop.key];
      if (WriterTxn(k, mop_pos_[m] - 1) == from) {
        return fmt::format("{} read key {} = {}, observing {}'s append of {}", b,
                           th_.key(mop.key), Abbreviate(*mop.value), a,
                           Element(k, mop_pos_[m] - 1));
      }
    }
  } else if (rel == kRw) {
    for (uint32_t m = tf.mop_begin; m < tf.mop_end; ++m) {
      const Mop& mop = th_.mop(m);
      if (!mop.first_read || mop_pos_[m] == kNone) continue;
      const KeyOrder& k = keys_[mop.key];
      uint32_t p = mop_pos_[m];
      if (p < k.size && WriterTxn(k, p) == to) {
        return fmt::format("{} read key {} = {}, which does not include {}, appended next "
                           "by {}",
                           a, th_.key(mop.key), Abbreviate(*mop.value), Element(k, p), b);
      }
      if (p == k.size) {
        for (uint32_t w = tt.mop_begin; w < tt.mop_end; ++w) {
          if (th_.mop(w).kind == MopKind::kAppend && th_.mop(w).key == mop.key) {
            return fmt::format("{} read key {} = {}, which does not include {}'s append of "
                               "{} (no read shows it, so it came after every read)",
                               a, th_.key(mop.key), Abbreviate(*mop.value), b,
                               *th_.mop(w).value);
          }
        }
      }
    }
  }
  return fmt::format("{} precedes {} ({})", a, b, RelName(rel));
}

class ListAppendChecker final : public Checker {
 public:
  explicit ListAppendChecker(ElleOptions options) : options_(std::move(options)) {}
  CheckResult Check(const CheckContext& context, const History& history) override {
    return RunElleCheck(context, history, options_,
                        [](const TxnHistory& th, const ElleOptions&) -> std::unique_ptr<Workload> {
                          return std::make_unique<ListAppend>(th);
                        });
  }

 private:
  ElleOptions options_;
};

}  // namespace

std::unique_ptr<Checker> MakeListAppendChecker(ElleOptions options) {
  return std::make_unique<ListAppendChecker>(std::move(options));
}

}  // namespace jepsen::elle
