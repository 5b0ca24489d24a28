// The search, as in Porcupine's and Lowe's descriptions of Wing & Gong:
//
// Invocations ("calls") and ok completions ("returns") form a doubly linked list in
// history order. Walking from the head, every call met before the first return is an
// op that may take effect next. Linearizing an op unlinks its call and return and
// restarts the walk; reaching a return means the op it completes can no longer be
// ordered after everything that precedes it, so the search backtracks (relinks the last
// op and tries the next candidate after it). It succeeds when every ok op is
// linearized; crashed ops (no return) may be linearized or left out.
//
// Pruning, each sound (docs/linearizability.md has the argument):
//  1. Memo: a configuration (linearized set, state) already explored, or dominated by
//     one with fewer crashed ops, is skipped (MemoTable).
//  2. Symmetry: crashed ops with the same f and value are interchangeable once both
//     are invoked, so only the earliest unlinearized one of such a group is tried.
//  3. Deferral: a crashed op c2 right after a crashed op c1 is skipped when c2 alone
//     reaches the same state (c1 then had no effect worth keeping).
#include "checker/linear/search.h"

#include <algorithm>
#include <unordered_map>

#include "checker/linear/memo_table.h"
#include "checker/linear/state_table.h"

namespace jepsen::linear {
namespace {

constexpr uint32_t kCheckEvery = 4096;
constexpr size_t kMaxStates = 16;

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class Search {
 public:
  Search(const Model& model, std::span<const LinOp> ops, const SearchLimits& limits);
  ~Search() {
    if (limits_.memory != nullptr) (void)limits_.memory->Charge(-charged_);
  }
  SearchOutcome Run();

 private:
  struct Frame {
    int32_t call;   // the call node of the linearized op
    int32_t state;  // the state before it
    bool crashed_pass;  // it was tried in the pass over crashed ops
  };

  void BuildList();
  void Unlink(int32_t n) {
    next_[prev_[n]] = next_[n];
    prev_[next_[n]] = prev_[n];
  }
  void Relink(int32_t n) {
    next_[prev_[n]] = n;
    prev_[next_[n]] = n;
  }
  bool Linearized(int32_t op) const { return (bits_[op >> 6] >> (op & 63)) & 1; }
  void Flip(int32_t op) {
    bits_[op >> 6] ^= uint64_t{1} << (op & 63);
    if (!ops_[op].crashed()) hash_ ^= zobrist_[op];
  }
  bool OverLimits(SearchOutcome& out);
  void NoteBlocked(int32_t node, int32_t state);
  void Finish(SearchOutcome& out);

  std::span<const LinOp> ops_;
  const SearchLimits& limits_;
  StateTable states_;
  // The event list: node 0 is the head, node size-1 the tail, events between.
  std::vector<int32_t> next_, prev_, op_of_, return_of_;
  std::vector<uint8_t> is_call_;
  std::vector<uint64_t> bits_, crashed_, zobrist_;
  std::vector<int32_t> prev_same_;  // crashed ops: the previous interchangeable one
  uint64_t hash_ = 0;               // zobrist hash of the linearized ok ops
  std::vector<Frame> stack_;
  std::unique_ptr<MemoTable> memo_;
  int64_t charged_ = 0;
  // The furthest point reached: the op whose return blocked the search there.
  int64_t best_op_ = -1;
  std::vector<int32_t> best_states_;
  std::vector<uint32_t> best_linearized_;
};

Search::Search(const Model& model, std::span<const LinOp> ops, const SearchLimits& limits)
    : ops_(ops), limits_(limits), states_(model, ops) {
  size_t words = (ops.size() + 63) / 64;
  bits_.assign(words, 0);
  crashed_.assign(words, 0);
  zobrist_.resize(ops.size());
  prev_same_.assign(ops.size(), -1);
  std::unordered_map<Value, int32_t, ValueHash> last_of_kind;
  for (size_t i = 0; i < ops.size(); ++i) {
    zobrist_[i] = Mix(i * 0x2545F4914F6CDD1DULL + 7);
    if (!ops[i].crashed()) continue;
    crashed_[i >> 6] |= uint64_t{1} << (i & 63);
    auto [it, fresh] =
        last_of_kind.try_emplace(Value::Vector({ops[i].f, ops[i].value}), static_cast<int32_t>(i));
    if (!fresh) {
      prev_same_[i] = it->second;
      it->second = static_cast<int32_t>(i);
    }
  }
  memo_ = std::make_unique<MemoTable>(words, crashed_.data());
  BuildList();
}

void Search::BuildList() {
  struct Event {
    uint32_t pos;
    int32_t op;
    bool call;
  };
  std::vector<Event> events;
  for (size_t i = 0; i < ops_.size(); ++i) {
    events.push_back({ops_[i].invoke, static_cast<int32_t>(i), true});
    if (!ops_[i].crashed()) events.push_back({ops_[i].complete, static_cast<int32_t>(i), false});
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.pos < b.pos; });
  size_t n = events.size() + 2;
  next_.resize(n);
  prev_.resize(n);
  op_of_.assign(n, -1);
  is_call_.assign(n, 0);
  return_of_.assign(n, -1);
  std::vector<int32_t> call_node(ops_.size(), -1);
  for (size_t i = 0; i < n; ++i) {
    next_[i] = static_cast<int32_t>(std::min(i + 1, n - 1));
    prev_[i] = static_cast<int32_t>(i == 0 ? 0 : i - 1);
  }
  for (size_t e = 0; e < events.size(); ++e) {
    int32_t node = static_cast<int32_t>(e + 1);
    op_of_[node] = events[e].op;
    is_call_[node] = events[e].call;
    if (events[e].call) {
      call_node[events[e].op] = node;
    } else {
      return_of_[call_node[events[e].op]] = node;
    }
  }
}

bool Search::OverLimits(SearchOutcome& out) {
  if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) {
    out.unknown_reason = "cancelled";
    return true;
  }
  if (std::chrono::steady_clock::now() > limits_.deadline) {
    out.unknown_reason = "time limit";
    return true;
  }
  if (limits_.memory != nullptr) {
    int64_t now = static_cast<int64_t>(memo_->MemoryBytes() + states_.MemoryBytes() +
                                       stack_.capacity() * sizeof(Frame));
    int64_t delta = now - charged_;
    charged_ = now;
    if (!limits_.memory->Charge(delta)) {
      out.unknown_reason = "memory limit";
      return true;
    }
  }
  return false;
}

void Search::NoteBlocked(int32_t node, int32_t state) {
  int32_t op = op_of_[node];
  if (op < 0) return;  // the tail: cannot happen while ok ops remain
  if (best_op_ < 0 || ops_[op].complete > ops_[best_op_].complete) {
    best_op_ = op;
    best_states_.assign(1, state);
    best_linearized_.clear();
    for (const Frame& f : stack_) best_linearized_.push_back(static_cast<uint32_t>(op_of_[f.call]));
  } else if (op == best_op_ && best_states_.size() < kMaxStates &&
             std::find(best_states_.begin(), best_states_.end(), state) == best_states_.end()) {
    best_states_.push_back(state);
  }
}

void Search::Finish(SearchOutcome& out) {
  out.configurations = memo_->size();
  out.states = states_.size();
}

SearchOutcome Search::Run() {
  SearchOutcome out;
  int64_t remaining_ok = 0;
  for (const LinOp& op : ops_) remaining_ok += op.crashed() ? 0 : 1;
  if (remaining_ok == 0) {
    Finish(out);
    return out;
  }
  int32_t state = states_.initial();
  int32_t cur = next_[0];
  // Each configuration's candidates are tried in two passes: ok ops first, then crashed
  // ops. Configurations with fewer crashed ops are thereby explored (and memoized)
  // before those with more, which the memo then skips as dominated.
  bool any_crashed = remaining_ok < static_cast<int64_t>(ops_.size());
  bool crashed_pass = false;
  uint32_t ticks = 0;
  while (true) {
    if (++ticks == kCheckEvery) {
      ticks = 0;
      if (OverLimits(out)) {
        out.validity = Validity::kUnknown;
        break;
      }
    }
    if (is_call_[cur]) {
      int32_t op = op_of_[cur];
      bool crashed = ops_[op].crashed();
      if (crashed != crashed_pass) {
        cur = next_[cur];  // not this pass's kind of op
        continue;
      }
      if (crashed && prev_same_[op] >= 0 && !Linearized(prev_same_[op])) {
        cur = next_[cur];  // pruning 2: its earlier twin stands for it
        continue;
      }
      int32_t after = states_.Step(state, static_cast<uint32_t>(op));
      bool deferred = crashed && after >= 0 && !stack_.empty() &&
                      ops_[op_of_[stack_.back().call]].crashed() &&
                      states_.Step(stack_.back().state, static_cast<uint32_t>(op)) == after;
      if (after >= 0 && !deferred) {
        Flip(op);
        if (memo_->Insert(hash_ ^ Mix(static_cast<uint64_t>(after)), after, bits_.data())) {
          stack_.push_back({cur, state, crashed_pass});
          crashed_pass = false;
          state = after;
          Unlink(cur);
          if (return_of_[cur] >= 0) Unlink(return_of_[cur]);
          if (!crashed && --remaining_ok == 0) break;  // every ok op is placed
          cur = next_[0];
          continue;
        }
        Flip(op);
      }
      cur = next_[cur];
      continue;
    }
    // A return (or the tail): its op cannot come next. After the ok pass, try the
    // crashed ops; after both, backtrack.
    if (!crashed_pass && any_crashed) {
      crashed_pass = true;
      cur = next_[0];
      continue;
    }
    NoteBlocked(cur, state);
    if (stack_.empty()) {
      out.validity = Validity::kInvalid;
      out.offender = best_op_;
      out.linearized = best_linearized_;
      for (int32_t s : best_states_) out.states_before.push_back(states_.state(s));
      break;
    }
    Frame top = stack_.back();
    stack_.pop_back();
    int32_t op = op_of_[top.call];
    if (return_of_[top.call] >= 0) Relink(return_of_[top.call]);
    Relink(top.call);
    Flip(op);
    if (!ops_[op].crashed()) ++remaining_ok;
    state = top.state;
    crashed_pass = top.crashed_pass;
    cur = next_[top.call];
  }
  Finish(out);
  return out;
}

}  // namespace

SearchOutcome SearchLinearization(const Model& model, std::span<const LinOp> ops,
                                  const SearchLimits& limits) {
  Search search(model, ops, limits);
  return search.Run();
}

}  // namespace jepsen::linear
