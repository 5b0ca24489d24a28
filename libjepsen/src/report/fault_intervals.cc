// Pairs nemesis ops into fault intervals (see jepsen/report/perf.h).
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "jepsen/report/perf.h"
#include "report/chart.h"
#include "report/ops.h"

namespace jepsen {
namespace {

using report::Get;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The stop fs of a start f by convention; empty if `f` does not start a fault.
std::set<std::string> GenericStops(const std::string& f) {
  if (f.rfind("start-", 0) == 0) return {"stop-" + f.substr(6)};
  if (f == "kill") return {"start"};
  if (f == "pause") return {"resume"};
  if (EndsWith(f, "-clock") && f != "reset-clock") return {"reset-clock"};
  return {};
}

std::string GenericName(const std::string& f) {
  if (f.rfind("start-", 0) == 0) return f.substr(6);
  if (EndsWith(f, "-clock")) return "clock";
  return f;
}

// Band colours for faults without one in the perf map: soft and distinct, given in
// order of first appearance.
class FaultColors {
 public:
  std::string For(const std::string& name) {
    static const char* kColors[] = {"#E9A0A0", "#A0B1E9", "#A0E9DB", "#E9C3A0",
                                    "#D7A0E9", "#C9E9A0", "#E9E3A0", "#B0B0B0"};
    auto [it, added] = given_.try_emplace(name, "");
    if (added) it->second = kColors[(given_.size() - 1) % (sizeof kColors / sizeof kColors[0])];
    return it->second;
  }

 private:
  std::map<std::string, std::string> given_;
};

struct Fault {
  std::string name, color;
  std::set<std::string> stops;
};

}  // namespace

std::vector<FaultInterval> FaultIntervals(const History& history, const Value& perf) {
  using report::FName;
  FaultColors colors;
  auto fault_of = [&](const std::string& f) -> std::optional<Fault> {
    Fault fault{GenericName(f), "", GenericStops(f)};
    const Value* entry = Get(perf, f);
    if (entry == nullptr && fault.stops.empty()) return std::nullopt;
    if (entry != nullptr) {
      if (const Value* n = Get(*entry, "name"); n && (n->is_string() || n->is_keyword())) {
        fault.name = std::string(n->AsString());
      }
      if (const Value* c = Get(*entry, "color"); c && c->is_string()) {
        fault.color = std::string(c->AsString());
      }
      if (const Value* s = Get(*entry, "stop")) {
        fault.stops.clear();
        if (s->is_sequential() || s->is_set()) {
          for (const Value& v : s->elements()) fault.stops.insert(FName(v));
        } else {
          fault.stops.insert(FName(*s));
        }
      }
    }
    if (fault.color.empty()) fault.color = colors.For(fault.name);
    return fault;
  };

  std::vector<FaultInterval> out;
  std::map<std::string, std::pair<size_t, std::set<std::string>>> open;  // start f -> interval
  for (size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (!op.is_nemesis() || op.time < 0 || !report::IsInvocation(history, i)) continue;
    const Op* done = history.Completion(i);
    double start = report::Seconds(op.time);
    double end = done != nullptr && done->time >= 0 ? report::Seconds(done->time) : start;
    std::string f = FName(op.f);
    bool stopped = false;
    for (auto it = open.begin(); it != open.end();) {
      if (it->second.second.count(f) != 0) {
        out[it->second.first].end = end;
        it = open.erase(it);
        stopped = true;
      } else {
        ++it;
      }
    }
    if (stopped) continue;
    // A nemesis that reports :fail says the fault did not happen: no band. (An :info
    // with an error may have half-happened, so it is drawn.)
    if (done != nullptr && done->type == OpType::kFail) continue;
    std::optional<Fault> fault = fault_of(f);
    if (fault && !fault->stops.empty()) {
      if (open.count(f) != 0) continue;  // already active: the band goes on
      open[f] = {out.size(), fault->stops};
      out.push_back({fault->name, fault->color, start, end, true});
    } else if (f != "start" && f != "resume" && f.rfind("stop-", 0) != 0 && f != "reset-clock") {
      // Neither starts nor stops a known fault (a heal with nothing open is dropped).
      std::string name = fault ? fault->name : f;
      out.push_back({name, fault ? fault->color : colors.For(name), start, end, false});
    }
  }
  double last = report::EndSeconds(history);
  for (auto& [f, o] : open) out[o.first].end = std::max(out[o.first].end, last);
  std::map<std::string, std::string> color_of;  // one colour per name: the first given
  for (FaultInterval& in : out) {
    in.color = color_of.try_emplace(in.name, in.color).first->second;
    bool still_open = false;
    for (auto& [f, o] : open) still_open |= &out[o.first] == &in;
    in.open_ended = still_open;
  }
  return out;
}

}  // namespace jepsen
