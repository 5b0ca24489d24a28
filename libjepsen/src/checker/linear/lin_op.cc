#include "checker/linear/lin_op.h"

#include <unordered_map>

#include <fmt/format.h>

namespace jepsen::linear {
namespace {

std::string Where(const History& h, size_t pos) {
  return fmt::format("op {} ({})", h[pos].index, h[pos]);
}

}  // namespace

Result<Partition> PartitionHistory(const History& history, const Model& model,
                                   bool independent) {
  Partition p;
  std::unordered_map<Value, size_t, ValueHash> key_slot;
  if (!independent) {
    p.keys.push_back(Value());
    p.ops.emplace_back();
  }
  HistoryView clients = history.Clients();
  for (size_t i = 0; i < clients.size(); ++i) {
    size_t pos = clients.position(i);
    const Op& inv = history[pos];
    if (!inv.is_invoke()) continue;
    int64_t partner = history.Partner(pos);
    const Op* done = partner == History::kNoPartner ? nullptr : &history[partner];
    if (done != nullptr && done->is_fail()) {
      ++p.fail_count;
      continue;
    }
    bool ok = done != nullptr && done->is_ok();
    LinOp op{.f = inv.f,
             .value = ok ? done->value : inv.value,
             .process = inv.process,
             .invoke = static_cast<uint32_t>(pos),
             .complete = ok ? static_cast<uint32_t>(partner) : kCrashed,
             .info = (!ok && done != nullptr) ? partner : -1};
    size_t slot = 0;
    if (independent) {
      const Value& tuple = inv.value;
      if (!tuple.is_sequential() || tuple.size() != 2) {
        return InvalidArgumentError(fmt::format(
            "--independent needs [key value] tuples; {} has value {}", Where(history, pos),
            tuple));
      }
      if (ok && (!op.value.is_sequential() || op.value.size() != 2 || op.value[0] != tuple[0])) {
        return InvalidArgumentError(fmt::format(
            "--independent: completion of {} has value {}, not [{} value]",
            Where(history, pos), op.value, tuple[0]));
      }
      op.value = op.value[1];
      auto [it, fresh] = key_slot.try_emplace(tuple[0], p.keys.size());
      if (fresh) {
        p.keys.push_back(tuple[0]);
        p.ops.emplace_back();
      }
      slot = it->second;
    }
    if (op.crashed() && model.IsReadOnly(op.f)) {
      ++p.dropped_count;
      continue;
    }
    if (Status s = model.Validate(op.f, op.value); !s.ok()) {
      return InvalidArgumentError(fmt::format("{}: {}", Where(history, pos), s.message()));
    }
    (op.crashed() ? p.crashed_count : p.ok_count)++;
    p.ops[slot].push_back(std::move(op));
  }
  return p;
}

}  // namespace jepsen::linear
