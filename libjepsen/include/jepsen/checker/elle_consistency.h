// Elle's anomaly taxonomy and the lattice of consistency models that forbid them.
//
// The transactional checkers (elle_list_append.h, elle_rw_register.h) find anomalies:
// dependency cycles classified after Adya (G0, G1c, G-single, G-nonadjacent, G2-item,
// each with a -process and a -realtime variant when session or real-time order is needed
// to close the cycle), and non-cyclic ones (aborted and intermediate reads, internal
// inconsistency, garbage reads...). Each consistency model names the anomalies it
// forbids; a model also forbids everything its weaker models forbid. From the anomalies
// found, ModelsRuledOut says which models the history cannot satisfy, and which of those
// are the weakest.
//
//   AnomalySet found;
//   found.set(Index(Anomaly::kGSingle));
//   RuledOutModels r = ModelsRuledOut(found);
//   // r.weakest: {repeatable-read, snapshot-isolation}; r.stronger: {serializable, ...}
//
// Thread safety: pure functions over constant tables.
#ifndef JEPSEN_CHECKER_ELLE_CONSISTENCY_H_
#define JEPSEN_CHECKER_ELLE_CONSISTENCY_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/status.h"

namespace jepsen::elle {

enum class Anomaly : uint8_t {
  // Dependency cycles. The base kind uses only ww, wr and rw edges; -process also
  // needs a process (session) order edge, -realtime a real-time order edge.
  kG0,  // ww edges only: write cycle
  kG0Process,
  kG0Realtime,
  kG1c,  // ww and wr edges, at least one wr: circular information flow
  kG1cProcess,
  kG1cRealtime,
  kGSingle,  // exactly one rw edge: read skew
  kGSingleProcess,
  kGSingleRealtime,
  kGNonadjacent,  // two or more rw edges, no two adjacent
  kGNonadjacentProcess,
  kGNonadjacentRealtime,
  kG2Item,  // rw edges, some adjacent: write skew and worse
  kG2ItemProcess,
  kG2ItemRealtime,
  // Non-cyclic anomalies.
  kG1a,                // read of a value written by an aborted (failed) transaction
  kG1b,                // read of a value that its writer later overwrote in the same txn
  kDirtyUpdate,        // a committed write built on an aborted one
  kLostUpdate,         // two committed txns read the same version and both wrote it
  kInternal,           // a txn's read disagrees with its own earlier reads and writes
  kFutureRead,         // a txn read a value it only writes later
  kDuplicateElements,  // list-append: a read holds the same element twice
  kIncompatibleOrder,  // reads imply versions in two different orders
  kGarbageRead,        // a read of a value that no transaction wrote
};

inline constexpr size_t kAnomalyCount = static_cast<size_t>(Anomaly::kGarbageRead) + 1;
using AnomalySet = std::bitset<kAnomalyCount>;

constexpr size_t Index(Anomaly a) { return static_cast<size_t>(a); }

// "G0", "G-single-realtime", "dirty-update", ... as Elle spells them.
std::string_view AnomalyName(Anomaly a);
// The anomaly called `name`, if any.
std::optional<Anomaly> ParseAnomaly(std::string_view name);
// Names as given to --anomalies; also accepts the groups "G1" (G1a, G1b, G1c) and "G2"
// (G-single, G-nonadjacent, G2-item). Errors list the valid names.
Result<AnomalySet> ParseAnomalies(std::span<const std::string> names);
// One line for people: what the anomaly is.
std::string_view AnomalyDescription(Anomaly a);

enum class ConsistencyModel : uint8_t {
  kReadUncommitted,
  kReadCommitted,
  kMonotonicAtomicView,
  kCursorStability,
  kRepeatableRead,
  kSnapshotIsolation,
  kSerializable,
  kStrongSessionSnapshotIsolation,
  kStrongSnapshotIsolation,
  kStrongSessionSerializable,
  kStrictSerializable,
};

// Every model, weakest first (a model comes after all models weaker than it).
std::span<const ConsistencyModel> AllModels();
// "snapshot-isolation", ...
std::string_view ModelName(ConsistencyModel m);
// The model called `name`; also accepts "strong-serializable" for strict-serializable.
std::optional<ConsistencyModel> ParseModel(std::string_view name);
// Errors list the valid names.
Result<std::vector<ConsistencyModel>> ParseModels(std::span<const std::string> names);
// The models directly below `m` in the lattice (m implies each of them).
std::span<const ConsistencyModel> WeakerModels(ConsistencyModel m);
// The anomalies `m` forbids itself, not counting its weaker models.
AnomalySet DirectlyForbiddenBy(ConsistencyModel m);
// Every anomaly `m` forbids, including those its weaker models forbid.
AnomalySet ForbiddenBy(ConsistencyModel m);

struct RuledOutModels {
  // Ruled-out models none of whose weaker models is ruled out (Elle's :not).
  std::vector<ConsistencyModel> weakest;
  // The other ruled-out models (Elle's :also-not).
  std::vector<ConsistencyModel> stronger;
  // The found anomalies that rule out the weakest models.
  AnomalySet weakest_anomalies;
};

// Which models a history showing `found` cannot satisfy.
RuledOutModels ModelsRuledOut(const AnomalySet& found);

}  // namespace jepsen::elle

#endif  // JEPSEN_CHECKER_ELLE_CONSISTENCY_H_
