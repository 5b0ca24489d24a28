// Findings: the anomalies a transactional check found, counted by type, with a
// bounded number of examples per type kept for the report.
//
// Thread safety: none; one check fills one Findings.
#ifndef JEPSEN_SRC_CHECKER_ELLE_FINDINGS_H_
#define JEPSEN_SRC_CHECKER_ELLE_FINDINGS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/elle/cycle_search.h"
#include "jepsen/checker/elle_consistency.h"

namespace jepsen::elle {

struct Finding {
  Anomaly type;
  // The transactions involved: the cycle's, or e.g. the reader and the writer.
  std::vector<uint32_t> txns;
  // For cycles: the relation of each step txns[i] -> txns[i + 1] (wrapping).
  std::vector<uint8_t> rels;
  // What happened, for people.
  std::string explanation;
  bool is_cycle() const { return !rels.empty(); }
};

class Findings {
 public:
  explicit Findings(size_t max_examples) : max_examples_(max_examples) {}

  // Counts one anomaly of `type`; true if its example should be built and Added.
  bool Count(Anomaly type) { return counts_[Index(type)]++ < max_examples_; }
  void Add(Finding f) { examples_.push_back(std::move(f)); }

  // Adds everything `other` counted and kept, keeping at most max_examples per type.
  void Merge(Findings&& other) {
    std::array<size_t, kAnomalyCount> kept{};
    for (const Finding& f : examples_) ++kept[Index(f.type)];
    for (Finding& f : other.examples_) {
      if (kept[Index(f.type)]++ < max_examples_) examples_.push_back(std::move(f));
    }
    for (size_t i = 0; i < kAnomalyCount; ++i) counts_[i] += other.counts_[i];
  }

  size_t count(Anomaly type) const { return counts_[Index(type)]; }
  AnomalySet found() const {
    AnomalySet s;
    for (size_t i = 0; i < kAnomalyCount; ++i) s[i] = counts_[i] > 0;
    return s;
  }
  const std::vector<Finding>& examples() const { return examples_; }

 private:
  size_t max_examples_;
  std::array<size_t, kAnomalyCount> counts_{};
  std::vector<Finding> examples_;
};

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_FINDINGS_H_
