#include "jepsen/checker/elle_consistency.h"

#include <catch2/catch.hpp>

#include "jepsen/checker/elle_options.h"

namespace jepsen::elle {
namespace {

std::string Names(const std::vector<ConsistencyModel>& models) {
  std::string out;
  for (ConsistencyModel m : models) out += (out.empty() ? "" : " ") + std::string(ModelName(m));
  return out;
}

AnomalySet Set(std::initializer_list<Anomaly> anomalies) {
  AnomalySet s;
  for (Anomaly a : anomalies) s.set(Index(a));
  return s;
}

TEST_CASE("Elle consistency models name what they forbid, through the lattice", "[elle]") {
  CHECK(ForbiddenBy(ConsistencyModel::kSerializable)[Index(Anomaly::kG0)]);
  CHECK(ForbiddenBy(ConsistencyModel::kSerializable)[Index(Anomaly::kGSingle)]);
  CHECK_FALSE(ForbiddenBy(ConsistencyModel::kSerializable)[Index(Anomaly::kG2ItemRealtime)]);
  CHECK_FALSE(ForbiddenBy(ConsistencyModel::kSnapshotIsolation)[Index(Anomaly::kG2Item)]);
  CHECK(ForbiddenBy(ConsistencyModel::kStrictSerializable)[Index(Anomaly::kGSingleProcess)]);
  // Every model forbids at least what each weaker model forbids.
  for (ConsistencyModel m : AllModels()) {
    for (ConsistencyModel w : WeakerModels(m)) {
      CHECK((ForbiddenBy(w) & ~ForbiddenBy(m)).none());
    }
  }
}

TEST_CASE("Elle consistency says which models a history rules out, weakest first", "[elle]") {
  RuledOutModels r = ModelsRuledOut(Set({Anomaly::kGSingle}));
  CHECK(Names(r.weakest) == "repeatable-read snapshot-isolation");
  CHECK(Names(r.stronger) ==
        "serializable strong-session-snapshot-isolation strong-snapshot-isolation "
        "strong-session-serializable strict-serializable");
  r = ModelsRuledOut(Set({Anomaly::kG2Item, Anomaly::kG1a}));
  CHECK(Names(r.weakest) == "read-committed");
  CHECK(r.weakest_anomalies == Set({Anomaly::kG1a}));
  r = ModelsRuledOut(Set({Anomaly::kG2ItemRealtime}));
  CHECK(Names(r.weakest) == "strict-serializable");
  CHECK(ModelsRuledOut({}).weakest.empty());
}

TEST_CASE("Elle consistency parses model and anomaly names", "[elle]") {
  std::vector<std::string> models = {"snapshot-isolation", "strong-serializable"};
  Result<ElleOptions> o = ParseElleOptions(models, std::vector<std::string>{"G1", "internal"});
  REQUIRE(o.ok());
  CHECK(Names(o->consistency_models) == "snapshot-isolation strict-serializable");
  CHECK(o->anomalies == Set({Anomaly::kG1a, Anomaly::kG1b, Anomaly::kG1c, Anomaly::kInternal}));
  std::vector<std::string> bad = {"linearizable"};
  Result<ElleOptions> e = ParseElleOptions(bad, {});
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().rfind("unknown consistency model 'linearizable'; valid models: "
                                   "read-uncommitted, read-committed",
                                   0) == 0);
  CHECK_FALSE(ParseElleOptions({}, std::vector<std::string>{"G3"}).ok());
  for (size_t i = 0; i < kAnomalyCount; ++i) {
    CHECK(ParseAnomaly(AnomalyName(static_cast<Anomaly>(i))) == static_cast<Anomaly>(i));
  }
  // No models and no anomalies: strict-serializable, as Elle does.
  CHECK(AnomaliesToFind({}) == ForbiddenBy(ConsistencyModel::kStrictSerializable));
}

}  // namespace
}  // namespace jepsen::elle
