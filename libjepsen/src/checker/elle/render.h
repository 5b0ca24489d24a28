// Cycle graphs as SVG (drawn here, no Graphviz needed) and as DOT beside them.
//
// A cycle is drawn as a ring: transactions on a circle in cycle order, each step an
// arrow bent outward and labelled with its relation, colored by kind.
//
// Thread safety: pure functions.
#ifndef JEPSEN_SRC_CHECKER_ELLE_RENDER_H_
#define JEPSEN_SRC_CHECKER_ELLE_RENDER_H_

#include <string>
#include <vector>

namespace jepsen::elle {

struct CycleDrawing {
  std::string title;
  // One per transaction, in cycle order: a short name ("T1") and a detail line.
  std::vector<std::string> names;
  std::vector<std::string> details;
  // One per step names[i] -> names[i + 1] (wrapping): "ww", "wr", "rw", ...
  std::vector<std::string> edges;
};

std::string RenderSvg(const CycleDrawing& d);
std::string RenderDot(const CycleDrawing& d);

}  // namespace jepsen::elle

#endif  // JEPSEN_SRC_CHECKER_ELLE_RENDER_H_
