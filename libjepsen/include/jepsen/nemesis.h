// Nemesis: injects faults. It receives ops like a client (on the nemesis thread):
// {:f :start-partition, :value :majority} -> does it -> returns the completion with what
// it did ({:value [:isolated {"n1" #{"n2"}}]}).
//
// Teardown must heal everything the nemesis may have done; the runner calls it on
// every exit path (normal end, error, SIGINT, SIGTERM).
//
// Thread safety: Invoke is called from the nemesis thread only; Teardown may run on
// another thread after Invoke has returned.
#ifndef JEPSEN_NEMESIS_H_
#define JEPSEN_NEMESIS_H_

#include <memory>
#include <string>
#include <vector>

#include "jepsen/op.h"
#include "jepsen/status.h"

namespace jepsen {

struct Test;

class Nemesis {
 public:
  virtual ~Nemesis() = default;
  Nemesis() = default;
  Nemesis(const Nemesis&) = delete;
  Nemesis& operator=(const Nemesis&) = delete;

  virtual Status Setup(const Test&) { return OkStatus(); }
  // Performs the fault op and returns its completion (usually :info with details).
  virtual Op Invoke(const Test& test, const Op& op) = 0;
  // Heals every fault this nemesis can cause.
  virtual Status Teardown(const Test&) { return OkStatus(); }
  // The :f values this nemesis handles (for composition and for reports).
  virtual std::vector<std::string> Fs() const = 0;
};

// A nemesis that does nothing and handles no fs.
std::unique_ptr<Nemesis> MakeNoopNemesis();

// Routes each op to the nemesis that handles its f. Teardown tears all down, even if
// one fails (the first error is returned).
std::unique_ptr<Nemesis> ComposeNemeses(std::vector<std::unique_ptr<Nemesis>> nemeses);

}  // namespace jepsen

#endif  // JEPSEN_NEMESIS_H_
