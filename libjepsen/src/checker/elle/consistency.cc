// The anomaly names and the consistency-model lattice.
//
// The lattice follows Elle's (after Adya, Bailis et al. and Cerone et al.): each model
// lists the models directly below it and the anomalies it forbids beyond theirs.
// Anomalies that make a history meaningless for every model (garbage, duplicates,
// incompatible orders, internal inconsistency) sit at the bottom, in read-uncommitted.
#include <array>

#include <fmt/format.h>

#include "jepsen/checker/elle_consistency.h"
#include "jepsen/checker/elle_options.h"

namespace jepsen::elle {
namespace {

struct AnomalyInfo {
  Anomaly anomaly;
  std::string_view name;
  std::string_view description;
};

constexpr AnomalyInfo kAnomalies[] = {
    {Anomaly::kG0, "G0", "a cycle of write-write dependencies (dirty write)"},
    {Anomaly::kG0Process, "G0-process", "G0 closed by process order"},
    {Anomaly::kG0Realtime, "G0-realtime", "G0 closed by real-time order"},
    {Anomaly::kG1c, "G1c", "a cycle of write-write and write-read dependencies"},
    {Anomaly::kG1cProcess, "G1c-process", "G1c closed by process order"},
    {Anomaly::kG1cRealtime, "G1c-realtime", "G1c closed by real-time order"},
    {Anomaly::kGSingle, "G-single", "a cycle with exactly one read-write anti-dependency"},
    {Anomaly::kGSingleProcess, "G-single-process", "G-single closed by process order"},
    {Anomaly::kGSingleRealtime, "G-single-realtime", "G-single closed by real-time order"},
    {Anomaly::kGNonadjacent, "G-nonadjacent",
     "a cycle with several anti-dependencies, no two of them adjacent"},
    {Anomaly::kGNonadjacentProcess, "G-nonadjacent-process",
     "G-nonadjacent closed by process order"},
    {Anomaly::kGNonadjacentRealtime, "G-nonadjacent-realtime",
     "G-nonadjacent closed by real-time order"},
    {Anomaly::kG2Item, "G2-item", "a cycle with adjacent anti-dependencies (write skew)"},
    {Anomaly::kG2ItemProcess, "G2-item-process", "G2-item closed by process order"},
    {Anomaly::kG2ItemRealtime, "G2-item-realtime", "G2-item closed by real-time order"},
    {Anomaly::kG1a, "G1a", "a committed read of a value written by an aborted transaction"},
    {Anomaly::kG1b, "G1b", "a read of an intermediate value its writer later overwrote"},
    {Anomaly::kDirtyUpdate, "dirty-update", "a committed write built on an aborted write"},
    {Anomaly::kLostUpdate, "lost-update",
     "two committed transactions read the same version of a key and both wrote it"},
    {Anomaly::kInternal, "internal",
     "a transaction's read disagrees with its own earlier reads and writes"},
    {Anomaly::kFutureRead, "future-read", "a transaction read a value it writes later"},
    {Anomaly::kDuplicateElements, "duplicate-elements",
     "a read holds the same appended element twice"},
    {Anomaly::kIncompatibleOrder, "incompatible-order",
     "reads imply two different orders of a key's versions"},
    {Anomaly::kGarbageRead, "garbage-read", "a read of a value no transaction wrote"},
};
static_assert(std::size(kAnomalies) == kAnomalyCount);

using M = ConsistencyModel;
using A = Anomaly;

struct ModelInfo {
  ConsistencyModel model;
  std::string_view name;
  std::vector<ConsistencyModel> weaker;
  std::vector<Anomaly> forbids;
};

// Weakest first: every model's weaker models come before it.
const std::vector<ModelInfo>& Models() {
  static const std::vector<ModelInfo> models = {
      {M::kReadUncommitted, "read-uncommitted", {},
       {A::kG0, A::kInternal, A::kFutureRead, A::kDuplicateElements,
        A::kIncompatibleOrder, A::kGarbageRead}},
      {M::kReadCommitted, "read-committed", {M::kReadUncommitted},
       {A::kG1a, A::kG1b, A::kG1c, A::kDirtyUpdate}},
      // MAV forbids fractured reads, which no cycle here isolates from G-single; it is
      // ruled out exactly when read-committed is.
      {M::kMonotonicAtomicView, "monotonic-atomic-view", {M::kReadCommitted}, {}},
      {M::kCursorStability, "cursor-stability", {M::kReadCommitted}, {A::kLostUpdate}},
      {M::kRepeatableRead, "repeatable-read", {M::kCursorStability, M::kMonotonicAtomicView},
       {A::kGSingle, A::kGNonadjacent, A::kG2Item}},
      {M::kSnapshotIsolation, "snapshot-isolation",
       {M::kCursorStability, M::kMonotonicAtomicView}, {A::kGSingle, A::kGNonadjacent}},
      {M::kSerializable, "serializable", {M::kRepeatableRead, M::kSnapshotIsolation},
       {A::kG2Item}},
      {M::kStrongSessionSnapshotIsolation, "strong-session-snapshot-isolation",
       {M::kSnapshotIsolation},
       {A::kG0Process, A::kG1cProcess, A::kGSingleProcess, A::kGNonadjacentProcess}},
      {M::kStrongSnapshotIsolation, "strong-snapshot-isolation",
       {M::kStrongSessionSnapshotIsolation},
       {A::kG0Realtime, A::kG1cRealtime, A::kGSingleRealtime, A::kGNonadjacentRealtime}},
      {M::kStrongSessionSerializable, "strong-session-serializable",
       {M::kSerializable, M::kStrongSessionSnapshotIsolation}, {A::kG2ItemProcess}},
      {M::kStrictSerializable, "strict-serializable",
       {M::kStrongSessionSerializable, M::kStrongSnapshotIsolation}, {A::kG2ItemRealtime}},
  };
  return models;
}

const ModelInfo& InfoOf(ConsistencyModel m) {
  for (const ModelInfo& info : Models()) {
    if (info.model == m) return info;
  }
  JEPSEN_CHECK(false, "unknown model {}", static_cast<int>(m));
  return Models()[0];
}

template <typename T, typename F>
std::string JoinNames(const T& items, F name) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

}  // namespace

std::string_view AnomalyName(Anomaly a) { return kAnomalies[Index(a)].name; }
std::string_view AnomalyDescription(Anomaly a) { return kAnomalies[Index(a)].description; }

std::optional<Anomaly> ParseAnomaly(std::string_view name) {
  for (const AnomalyInfo& info : kAnomalies) {
    if (info.name == name) return info.anomaly;
  }
  return std::nullopt;
}

Result<AnomalySet> ParseAnomalies(std::span<const std::string> names) {
  AnomalySet set;
  for (const std::string& name : names) {
    if (name == "G1") {
      for (Anomaly a : {A::kG1a, A::kG1b, A::kG1c}) set.set(Index(a));
    } else if (name == "G2") {
      for (Anomaly a : {A::kGSingle, A::kGNonadjacent, A::kG2Item}) set.set(Index(a));
    } else if (std::optional<Anomaly> a = ParseAnomaly(name)) {
      set.set(Index(*a));
    } else {
      return InvalidArgumentError(fmt::format(
          "unknown anomaly '{}'; valid anomalies: G1, G2, {}", name,
          JoinNames(kAnomalies, [](const AnomalyInfo& i) { return i.name; })));
    }
  }
  return set;
}

std::span<const ConsistencyModel> AllModels() {
  static const std::vector<ConsistencyModel> all = [] {
    std::vector<ConsistencyModel> v;
    for (const ModelInfo& info : Models()) v.push_back(info.model);
    return v;
  }();
  return all;
}

std::string_view ModelName(ConsistencyModel m) { return InfoOf(m).name; }

std::optional<ConsistencyModel> ParseModel(std::string_view name) {
  if (name == "strong-serializable") return M::kStrictSerializable;
  for (const ModelInfo& info : Models()) {
    if (info.name == name) return info.model;
  }
  return std::nullopt;
}

Result<std::vector<ConsistencyModel>> ParseModels(std::span<const std::string> names) {
  std::vector<ConsistencyModel> models;
  for (const std::string& name : names) {
    std::optional<ConsistencyModel> m = ParseModel(name);
    if (!m) {
      return InvalidArgumentError(fmt::format(
          "unknown consistency model '{}'; valid models: {}", name,
          JoinNames(Models(), [](const ModelInfo& i) { return i.name; })));
    }
    models.push_back(*m);
  }
  return models;
}

std::span<const ConsistencyModel> WeakerModels(ConsistencyModel m) { return InfoOf(m).weaker; }

AnomalySet DirectlyForbiddenBy(ConsistencyModel m) {
  AnomalySet set;
  for (Anomaly a : InfoOf(m).forbids) set.set(Index(a));
  return set;
}

AnomalySet ForbiddenBy(ConsistencyModel m) {
  AnomalySet set = DirectlyForbiddenBy(m);
  for (ConsistencyModel w : WeakerModels(m)) set |= ForbiddenBy(w);
  return set;
}

RuledOutModels ModelsRuledOut(const AnomalySet& found) {
  RuledOutModels out;
  for (ConsistencyModel m : AllModels()) {
    if ((ForbiddenBy(m) & found).none()) continue;
    bool weaker_ruled_out = false;
    for (ConsistencyModel w : WeakerModels(m)) {
      weaker_ruled_out |= (ForbiddenBy(w) & found).any();
    }
    if (weaker_ruled_out) {
      out.stronger.push_back(m);
    } else {
      out.weakest.push_back(m);
      out.weakest_anomalies |= ForbiddenBy(m) & found;
    }
  }
  return out;
}

Result<ElleOptions> ParseElleOptions(std::span<const std::string> models,
                                     std::span<const std::string> anomalies) {
  ElleOptions options;
  Result<std::vector<ConsistencyModel>> m = ParseModels(models);
  if (!m.ok()) return m.status();
  options.consistency_models = *std::move(m);
  Result<AnomalySet> a = ParseAnomalies(anomalies);
  if (!a.ok()) return a.status();
  options.anomalies = *a;
  return options;
}

AnomalySet AnomaliesToFind(const ElleOptions& options) {
  AnomalySet set = options.anomalies;
  if (options.consistency_models.empty() && options.anomalies.none()) {
    set |= ForbiddenBy(M::kStrictSerializable);
  }
  for (ConsistencyModel m : options.consistency_models) set |= ForbiddenBy(m);
  return set;
}

}  // namespace jepsen::elle
