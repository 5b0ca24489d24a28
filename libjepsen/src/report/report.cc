#include "jepsen/report.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "jepsen/json.h"
#include "jepsen/report/pages.h"
#include "file_util.h"
#include "report/ops.h"

namespace jepsen {
namespace {

using report::Get;

// <dir>/<name> parsed as JSON, or nil when absent or unreadable.
Value ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Value();
  std::stringstream ss;
  ss << in.rdbuf();
  Result<Value> v = ParseJson(ss.str(), {.source = path.string()});
  return v.ok() ? *v : Value();
}

std::vector<std::pair<std::string, uintmax_t>> ListFiles(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, uintmax_t>> files;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (!it->is_regular_file(size_ec)) continue;
    std::string rel = std::filesystem::relative(it->path(), dir, size_ec).generic_string();
    if (rel == "index.html" || rel.ends_with(".tmp")) continue;
    uintmax_t size = it->file_size(size_ec);
    files.emplace_back(rel, size_ec ? 0 : size);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Writes files into one directory: every file is attempted; the names written are
// appended to `written` (may be null) and the first error is kept.
struct DirWriter {
  std::filesystem::path dir;
  std::vector<std::string>* written = nullptr;
  Status first;

  void operator()(const std::string& file, const std::string& text) {
    Status s = WriteFileAtomically(dir / file, text);
    if (s.ok()) {
      if (written != nullptr) written->push_back(file);
    } else if (first.ok()) {
      first = s;
    }
  }
};

}  // namespace

Status WritePerfPlots(const std::filesystem::path& dir, const History& history,
                      const std::vector<FaultInterval>& faults, const PlotOptions& options,
                      std::vector<std::string>* written) {
  DirWriter write{.dir = dir, .written = written};
  write("latency-raw.svg", LatencyRawSvg(history, faults, options));
  write("latency-quantiles.svg", LatencyQuantilesSvg(history, faults, options));
  write("rate.svg", RateSvg(history, faults, options));
  return write.first;
}

Result<std::vector<std::string>> WriteReports(const std::filesystem::path& dir,
                                              const History& history,
                                              const ReportInput& input) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFoundError(fmt::format("report directory {} does not exist", dir.string()));
  }
  Value test = input.test.is_nil() ? ReadJsonFile(dir / "test.json") : input.test;
  Value results = input.results.is_nil() ? ReadJsonFile(dir / "results.json") : input.results;
  std::string name = input.test_name;
  if (name.empty()) {
    const Value* n = Get(test, "name");
    name = n && n->is_string() ? std::string(n->AsString())
                               : std::filesystem::absolute(dir).filename().string();
  }
  Value perf = input.nemesis_perf;
  if (perf.is_nil()) {
    if (const Value* np = Get(test, "nemesis-perf")) {
      perf = *np;
    } else if (const Value* o = Get(test, "options"); o != nullptr) {
      // Runs stored before Test::nemesis_perf kept it in the suite's options.
      if (const Value* op = Get(*o, "nemesis-perf")) {
        perf = *op;
      } else if (const Value* pp = Get(*o, "perf"); pp && pp->is_map()) {
        perf = *pp;
      }
    }
  }
  PlotOptions plot = input.plot;
  if (plot.test_name.empty()) plot.test_name = name;
  std::vector<FaultInterval> faults = FaultIntervals(history, perf);

  std::vector<std::string> written;
  DirWriter write{.dir = dir, .written = &written,
                  .first = WritePerfPlots(dir, history, faults, plot, &written)};
  if (HasClockOps(history)) write("clock.svg", ClockSvg(history, faults, plot));
  write("timeline.html", TimelineHtml(history, faults, name));
  write("index.html", IndexHtml({.test_name = name,
                                 .test = test,
                                 .results = results,
                                 .files = ListFiles(dir),
                                 .ops = history.size()}));
  if (!write.first.ok()) return write.first;
  return written;
}

}  // namespace jepsen
