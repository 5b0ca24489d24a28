// Workload and NemesisPackage: the parts a suite combines into a Test.
//
// A workload is what the clients do and how it is checked; a nemesis package is which
// faults happen and when. A suite offers a table of each (`--workload register`,
// `--nemesis partition,kill`) and `test-all` runs every combination.
//
// Thread safety: plain aggregates, moved into a Test.
#ifndef JEPSEN_WORKLOAD_H_
#define JEPSEN_WORKLOAD_H_

#include <memory>

#include "jepsen/checker.h"
#include "jepsen/client.h"
#include "jepsen/generator.h"
#include "jepsen/nemesis.h"
#include "jepsen/value.h"

namespace jepsen {

struct Workload {
  std::unique_ptr<Client> client;
  // Client ops for the main phase (the runner applies the time limit).
  Gen generator;
  // Client ops after the faults are healed (e.g. final reads); may be empty.
  Gen final_generator;
  std::unique_ptr<Checker> checker;
};

struct NemesisPackage {
  std::unique_ptr<Nemesis> nemesis;
  // Fault ops during the main phase.
  Gen generator;
  // Ops that heal everything at the end.
  Gen final_generator;
  // How reports draw its faults: {:start-partition {:name "partition", :color "#E9A0A0"}}.
  Value perf;
};

}  // namespace jepsen

#endif  // JEPSEN_WORKLOAD_H_
