#include "checker/elle/report.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/format.h>

#include "checker/elle/dep_graph.h"
#include "checker/elle/render.h"
#include "jepsen/checker/elle_consistency.h"

namespace jepsen::elle {
namespace {

Value Kw(std::string_view name) { return Value::Keyword(name); }

Value ModelList(const std::vector<ConsistencyModel>& models) {
  std::vector<Value> v;
  for (ConsistencyModel m : models) v.push_back(Kw(ModelName(m)));
  return Value::Vector(std::move(v));
}

std::string JoinModels(const std::vector<ConsistencyModel>& models) {
  std::string out;
  for (ConsistencyModel m : models) out += (out.empty() ? "" : ", ") + std::string(ModelName(m));
  return out;
}

Value ExampleValue(const TxnHistory& th, const Finding& f) {
  std::vector<Value> ops;
  for (uint32_t t : f.txns) ops.push_back(th.op(t).ToValue());
  std::vector<MapEntry> entries = {{Kw("type"), Kw(AnomalyName(f.type))},
                                   {Kw(f.is_cycle() ? "cycle" : "ops"), Value::Vector(ops)}};
  if (f.is_cycle()) {
    std::vector<Value> steps;
    for (uint8_t r : f.rels) steps.push_back(Kw(RelName(r)));
    entries.push_back({Kw("steps"), Value::Vector(std::move(steps))});
  }
  entries.push_back({Kw("explanation"), Value::String(f.explanation)});
  return Value::Map(std::move(entries));
}

}  // namespace

CheckResult BuildResult(const ReportInput& in) {
  const Findings& findings = *in.findings;
  AnomalySet found = findings.found() & in.wanted;
  RuledOutModels ruled = ModelsRuledOut(found);
  std::vector<Value> types;
  std::vector<MapEntry> counts, anomalies;
  std::string summary;
  for (size_t i = 0; i < kAnomalyCount; ++i) {
    if (!found[i]) continue;
    Anomaly a = static_cast<Anomaly>(i);
    types.push_back(Kw(AnomalyName(a)));
    counts.push_back({Kw(AnomalyName(a)), static_cast<int64_t>(findings.count(a))});
    std::vector<Value> examples;
    for (const Finding& f : findings.examples()) {
      if (f.type == a) examples.push_back(ExampleValue(*in.th, f));
    }
    anomalies.push_back({Kw(AnomalyName(a)), Value::Vector(std::move(examples))});
    summary += fmt::format("{}{} ({})", summary.empty() ? "" : ", ", AnomalyName(a),
                           findings.count(a));
  }
  CheckResult result;
  result.validity = found.any() ? Validity::kInvalid
                    : in.incomplete ? Validity::kUnknown
                                    : Validity::kValid;
  std::vector<MapEntry> details = {
      {Kw("anomaly-types"), Value::Vector(std::move(types))},
      {Kw("not"), ModelList(ruled.weakest)},
      {Kw("also-not"), ModelList(ruled.stronger)},
      {Kw("txn-count"), static_cast<int64_t>(in.th->size())}};
  if (found.any()) {
    details.push_back({Kw("anomaly-counts"), Value::Map(std::move(counts))});
    details.push_back({Kw("anomalies"), Value::Map(std::move(anomalies))});
    std::string weakest;
    for (size_t i = 0; i < kAnomalyCount; ++i) {
      if (ruled.weakest_anomalies[i]) {
        weakest += (weakest.empty() ? "" : ", ") +
                   std::string(AnomalyName(static_cast<Anomaly>(i)));
      }
    }
    std::string first;
    for (const Finding& f : findings.examples()) {
      if (!found[Index(f.type)]) continue;
      // The headline, then a cycle's steps, on one line.
      first = f.explanation.substr(0, f.explanation.find('\n'));
      for (size_t at = f.explanation.find("\n  - "); at != std::string::npos;
           at = f.explanation.find("\n  - ", at + 1)) {
        size_t end = f.explanation.find('\n', at + 1);
        first += " " + f.explanation.substr(at + 5, end - at - 5);
      }
      break;
    }
    std::string text = fmt::format(
        "Found {} in {} transactions. The weakest explanation, {}, rules out {}",
        summary, in.th->size(), weakest, JoinModels(ruled.weakest));
    if (!ruled.stronger.empty()) text += fmt::format(" (and so {})", JoinModels(ruled.stronger));
    text += fmt::format(". For example: {}", first);
    details.push_back({Kw("explanation"), Value::String(text)});
  } else if (in.incomplete) {
    details.push_back({Kw("explanation"),
                       Value::String("The check did not finish: " + in.incomplete_reason)});
  }
  if (in.incomplete) details.push_back({Kw("incomplete"), Value::String(in.incomplete_reason)});
  result.details = Value::Map(std::move(details));
  return result;
}

Status WriteReports(const std::string& dir, const ReportInput& in) {
  namespace fs = std::filesystem;
  fs::path base = fs::path(dir) / "elle";
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", base.string(), ec.message()));
  auto write = [&](const fs::path& p, const std::string& text) -> Status {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return IoError(fmt::format("cannot write {}", p.string()));
    return OkStatus();
  };
  std::map<Anomaly, std::string> texts;
  std::map<Anomaly, int> numbers;
  for (const Finding& f : in.findings->examples()) {
    if (!in.wanted[Index(f.type)]) continue;
    std::string& text = texts[f.type];
    text += f.explanation + "\n";
    if (!f.is_cycle()) continue;
    int n = ++numbers[f.type];
    CycleDrawing d{.title = fmt::format("{} #{}", AnomalyName(f.type), n)};
    for (size_t i = 0; i < f.txns.size(); ++i) {
      const Op& op = in.th->op(f.txns[i]);
      d.names.push_back(fmt::format("T{}", i + 1));
      d.details.push_back(fmt::format("index {} · p{} · {}", op.index, op.process,
                                      Abbreviate(op.value, 200)));
      d.edges.push_back(std::string(RelName(f.rels[i])));
    }
    std::string stem = fmt::format("{}-{}", AnomalyName(f.type), n);
    if (Status s = write(base / (stem + ".svg"), RenderSvg(d)); !s.ok()) return s;
    if (Status s = write(base / (stem + ".dot"), RenderDot(d)); !s.ok()) return s;
  }
  for (const auto& [type, text] : texts) {
    if (Status s = write(base / (std::string(AnomalyName(type)) + ".txt"), text); !s.ok()) {
      return s;
    }
  }
  return OkStatus();
}

}  // namespace jepsen::elle
