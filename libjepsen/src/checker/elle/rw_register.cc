// Read-write registers: version orders from what the history allows.
//
// A register read shows one version, so orders come from rules, not from the reads:
// the initial nil precedes every write, a transaction's write of a key follows the
// version it read of that key (writes follow reads), and optionally real-time or
// process order between writes (ElleOptions::linearizable_keys, sequential_keys).
// Each order step v1 < v2 gives writer(v1) ww-> writer(v2) and reader(v1) rw->
// writer(v2); each read gives writer(v) wr-> reader.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "checker/elle/big_vector.h"
#include "checker/elle/run_check.h"
#include "checker/elle/value_index.h"
#include "jepsen/checker/elle_rw_register.h"

namespace jepsen::elle {
namespace {

// Readers of nil x writers per key beyond which we stop adding those rw edges.
constexpr size_t kMaxInitialEdges = size_t{1} << 20;

class RwRegister final : public Workload {
 public:
  RwRegister(const TxnHistory& th, const ElleOptions& options)
      : th_(th), options_(options), writes_(th, th.mop_count() / 2) {}

  void Analyze(const AnomalySet& wanted, Findings* findings, DepGraph* graph) override {
    findings_ = findings;
    graph_ = graph;
    IndexMops();
    CheckReads();
    AddVersionOrder();
    if (wanted[Index(Anomaly::kLostUpdate)]) FindLostUpdates();
  }

  size_t MemoryBytes() const override {
    return writes_.MemoryBytes() +
           (mop_txn_.capacity() + ext_read_.capacity()) * sizeof(uint32_t) +
           (readers_.capacity() + wfr_.capacity()) * sizeof(std::pair<uint32_t, uint32_t>);
  }

  std::string ExplainData(uint32_t from, uint32_t to, uint8_t rel, std::string_view a,
                          std::string_view b) const override;

 private:
  uint32_t TxnOf(uint32_t m) const { return mop_txn_[m]; }

  // A txn's external reads: its first read of a key, before any write of it there.
  void IndexMops() {
    mop_txn_.resize(th_.mop_count());
    ext_read_.assign(th_.mop_count(), 0);
    for (uint32_t t = 0; t < th_.size(); ++t) {
      for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
        mop_txn_[m] = t;
        const Mop& mop = th_.mop(m);
        if (mop.kind == MopKind::kWrite) {
          (void)writes_.Insert(m);
        } else if (mop.kind == MopKind::kRead && mop.first_read && th_[t].committed()) {
          bool wrote_before = false;
          for (uint32_t j = th_[t].mop_begin; j < m; ++j) {
            wrote_before |= th_.mop(j).kind != MopKind::kRead && th_.mop(j).key == mop.key;
          }
          ext_read_[m] = !wrote_before;
        }
      }
    }
  }

  void CheckReads() {
    for (uint32_t m = 0; m < th_.mop_count(); ++m) {
      if (!ext_read_[m]) continue;
      const Mop& mop = th_.mop(m);
      const uint32_t t = TxnOf(m);
      if (mop.value->is_nil()) {
        initial_readers_.push_back({mop.key, t});
        continue;
      }
      uint32_t w = writes_.Find(mop.key, *mop.value);
      if (w == kNone) {
        Report(Anomaly::kGarbageRead, {t},
               fmt::format("T1 read key {} = {}, which no transaction wrote", th_.key(mop.key),
                           *mop.value));
        continue;
      }
      const uint32_t wt = TxnOf(w);
      if (wt == t) continue;  // a future read: internal_check reports it
      if (!th_[wt].maybe_committed()) {
        Report(Anomaly::kG1a, {t, wt},
               fmt::format("T1 read key {} = {}, written by T2, which failed (aborted)",
                           th_.key(mop.key), *mop.value));
        continue;
      }
      if (!th_.mop(w).final_write) {
        Report(Anomaly::kG1b, {t, wt},
               fmt::format("T1 read key {} = {}, an intermediate value: T2 wrote it and then "
                           "wrote key {} again",
                           th_.key(mop.key), *mop.value, th_.key(mop.key)));
      }
      graph_->Add(wt, t, kWr);
      readers_.push_back({w, t});
    }
    std::sort(readers_.begin(), readers_.end());
  }

  // The version order steps, as (earlier write mop or kNone for nil, later write mop).
  void AddVersionOrder() {
    // Writes follow reads: a txn that read v of k and then wrote k.
    for (uint32_t m = 0; m < th_.mop_count(); ++m) {
      if (!ext_read_[m]) continue;
      const Mop& read = th_.mop(m);
      const uint32_t t = TxnOf(m);
      uint32_t w = FinalWrite(t, read.key);
      if (w == kNone) continue;
      uint32_t before = read.value->is_nil() ? kNone : writes_.Find(read.key, *read.value);
      if (read.value->is_nil() || (before != kNone && TxnOf(before) != t)) {
        if (before != kNone) Step(before, w);
        wfr_.push_back({read.key, t});
      }
    }
    if (options_.linearizable_keys || options_.sequential_keys) AddAssumedOrders();
    // The initial nil precedes every write: its readers anti-depend on every writer.
    std::sort(initial_readers_.begin(), initial_readers_.end());
    std::vector<std::pair<uint32_t, uint32_t>> writers;
    for (uint32_t m = 0; m < th_.mop_count(); ++m) {
      const Mop& mop = th_.mop(m);
      if (mop.kind == MopKind::kWrite && mop.final_write && th_[TxnOf(m)].maybe_committed()) {
        writers.push_back({mop.key, TxnOf(m)});
      }
    }
    std::sort(writers.begin(), writers.end());
    AddKeyCrossEdges(initial_readers_, writers, kRw, kMaxInitialEdges, graph_);
  }

  // Linearizable keys: a write that completed before another began precedes it.
  // Sequential keys: a process's writes are in its order. Only final writes of
  // committed txns take part; successive pairs suffice (ww chains give the rest).
  void AddAssumedOrders() {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> by_key;  // key, invoke pos, mop
    for (uint32_t m = 0; m < th_.mop_count(); ++m) {
      const Mop& mop = th_.mop(m);
      if (mop.kind != MopKind::kWrite || !mop.final_write || !th_[TxnOf(m)].committed()) continue;
      by_key.push_back({mop.key, th_[TxnOf(m)].invoke_pos, m});
    }
    std::sort(by_key.begin(), by_key.end());
    for (size_t i = 0; i + 1 < by_key.size(); ++i) {
      auto [key, inv, m] = by_key[i];
      for (size_t j = i + 1; j < by_key.size() && std::get<0>(by_key[j]) == key; ++j) {
        uint32_t m2 = std::get<2>(by_key[j]);
        const Txn& a = th_[TxnOf(m)];
        const Txn& b = th_[TxnOf(m2)];
        bool ordered = (options_.linearizable_keys && a.complete_pos < b.invoke_pos) ||
                       (options_.sequential_keys && a.process == b.process);
        if (ordered) {
          Step(m, m2);
          break;
        }
      }
    }
  }

  void Step(uint32_t before, uint32_t after) {
    const uint32_t a = TxnOf(before), b = TxnOf(after);
    if (!th_[a].maybe_committed() || !th_[b].maybe_committed()) return;
    graph_->Add(a, b, kWw);
    auto it = std::lower_bound(readers_.begin(), readers_.end(), std::pair{before, 0u});
    for (; it != readers_.end() && it->first == before; ++it) graph_->Add(it->second, b, kRw);
  }

  uint32_t FinalWrite(uint32_t t, uint32_t key) const {
    for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
      if (th_.mop(m).kind == MopKind::kWrite && th_.mop(m).key == key && th_.mop(m).final_write) {
        return m;
      }
    }
    return kNone;
  }

  // Committed txns that read the same version of a key and then wrote it.
  void FindLostUpdates() {
    std::vector<std::tuple<uint32_t, Value, uint32_t>> candidates;
    for (auto [key, t] : wfr_) {
      if (!th_[t].committed()) continue;
      for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
        if (ext_read_[m] && th_.mop(m).key == key) candidates.push_back({key, *th_.mop(m).value, t});
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) {
      if (std::get<0>(x) != std::get<0>(y)) return std::get<0>(x) < std::get<0>(y);
      int c = Compare(std::get<1>(x), std::get<1>(y));
      return c != 0 ? c < 0 : std::get<2>(x) < std::get<2>(y);
    });
    for (size_t i = 0; i < candidates.size();) {
      size_t j = i + 1;
      while (j < candidates.size() && std::get<0>(candidates[j]) == std::get<0>(candidates[i]) &&
             std::get<1>(candidates[j]) == std::get<1>(candidates[i])) {
        ++j;
      }
      if (j - i >= 2) {
        std::vector<uint32_t> txns;
        for (size_t x = i; x < j && txns.size() < 4; ++x) txns.push_back(std::get<2>(candidates[x]));
        Report(Anomaly::kLostUpdate, txns,
               fmt::format("{} committed transactions read key {} = {} and each wrote it: all "
                           "but one update was lost",
                           j - i, th_.key(std::get<0>(candidates[i])), std::get<1>(candidates[i])));
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

  // The external read of `key` by t, or kNone.
  uint32_t ExtRead(uint32_t t, uint32_t key) const {
    for (uint32_t m = th_[t].mop_begin; m < th_[t].mop_end; ++m) {
      if (ext_read_[m] && th_.mop(m).key == key) return m;
    }
    return kNone;
  }

  const TxnHistory& th_;
  const ElleOptions& options_;
  ValueIndex writes_;
  Findings* findings_ = nullptr;
  DepGraph* graph_ = nullptr;
  BigVector<uint32_t> mop_txn_;
  BigVector<uint8_t> ext_read_;                         // by mop: an external read
  std::vector<std::pair<uint32_t, uint32_t>> readers_;    // (write mop, reader txn)
  std::vector<std::pair<uint32_t, uint32_t>> initial_readers_;  // (key, txn)
  std::vector<std::pair<uint32_t, uint32_t>> wfr_;        // (key, txn) read then wrote
};

std::string RwRegister::ExplainData(uint32_t from, uint32_t to, uint8_t rel, std::string_view a,
                                    std::string_view b) const {
  for (uint32_t m = th_[to].mop_begin; m < th_[to].mop_end && rel != kRw; ++m) {
    const Mop& mop = th_.mop(m);
    if (!ext_read_[m] || mop.value->is_nil()) continue;
    uint32_t w = writes_.Find(mop.key, *mop.value);
    if (w == kNone || TxnOf(w) != from) continue;
    if (rel == kWr) {
      return fmt::format("{} read key {} = {}, which {} wrote", b, th_.key(mop.key), *mop.value, a);
    }
    uint32_t mine = FinalWrite(to, mop.key);
    if (mine != kNone) {
      return fmt::format("{} wrote key {} = {}, which {} read before writing {}", a,
                         th_.key(mop.key), *mop.value, b, *th_.mop(mine).value);
    }
  }
  if (rel == kWw) {
    for (uint32_t m = th_[to].mop_begin; m < th_[to].mop_end; ++m) {
      const Mop& mop = th_.mop(m);
      uint32_t prev = mop.kind == MopKind::kWrite ? FinalWrite(from, mop.key) : kNone;
      if (prev != kNone) {
        return fmt::format("{} wrote key {} = {} before {} wrote {} (assumed key order)", a,
                           th_.key(mop.key), *th_.mop(prev).value, b, *mop.value);
      }
    }
  }
  if (rel == kRw) {
    for (uint32_t m = th_[from].mop_begin; m < th_[from].mop_end; ++m) {
      const Mop& mop = th_.mop(m);
      if (!ext_read_[m]) continue;
      uint32_t w = FinalWrite(to, mop.key);
      if (w == kNone) continue;
      if (mop.value->is_nil()) {
        return fmt::format("{} read key {} = nil, the initial version, which precedes {}'s "
                           "write of {}",
                           a, th_.key(mop.key), b, *th_.mop(w).value);
      }
      uint32_t r = ExtRead(to, mop.key);
      if (r != kNone && *th_.mop(r).value == *mop.value) {
        return fmt::format("{} read key {} = {}, and {} read that version too before "
                           "overwriting it with {}",
                           a, th_.key(mop.key), *mop.value, b, *th_.mop(w).value);
      }
      return fmt::format("{} read key {} = {}, which {}'s write of {} follows", a,
                         th_.key(mop.key), *mop.value, b, *th_.mop(w).value);
    }
  }
  return fmt::format("{} precedes {} ({})", a, b, RelName(rel));
}

class RwRegisterChecker final : public Checker {
 public:
  explicit RwRegisterChecker(ElleOptions options) : options_(std::move(options)) {}
  CheckResult Check(const CheckContext& context, const History& history) override {
    return RunElleCheck(context, history, options_,
                        [](const TxnHistory& th,
                           const ElleOptions& o) -> std::unique_ptr<Workload> {
                          return std::make_unique<RwRegister>(th, o);
                        });
  }

 private:
  ElleOptions options_;
};

}  // namespace

std::unique_ptr<Checker> MakeRwRegisterChecker(ElleOptions options) {
  return std::make_unique<RwRegisterChecker>(std::move(options));
}

}  // namespace jepsen::elle
