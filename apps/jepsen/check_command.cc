#include "check_command.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "check_registry.h"
#include "exit_codes.h"
#include "jepsen/cli/flags.h"
#include "jepsen/edn.h"
#include "jepsen/history_io.h"
#include "jepsen/json.h"
#include "jepsen/report.h"

namespace jepsen::app {
namespace {

std::string CheckerNames() {
  std::string out;
  for (const CheckerEntry& e : Checkers()) {
    fmt::format_to(std::back_inserter(out), "  {:<16} {}\n", e.name, e.help);
  }
  return out;
}

struct Options {
  std::vector<std::string> checkers;
  CheckerFlags checker_flags;
  bool json = false;
  std::string out_dir;
  double time_limit_s = 300;
  int64_t memory_limit_mb = 4096;
  int64_t threads = 2;
  std::string format;
};

// test.json beside a stored history (its name, seed, options and nemesis perf hints),
// or nil.
Value StoredTestBeside(const std::string& history_path) {
  std::filesystem::path test_json = std::filesystem::path(history_path).parent_path() / "test.json";
  std::ifstream in(test_json, std::ios::binary);
  if (!in) return Value();
  std::stringstream text;
  text << in.rdbuf();
  Result<Value> v = ParseJson(text.str(), {.source = test_json.string()});
  return v.ok() && v->is_map() ? *v : Value();
}

// Plots, timeline and index.html into `out_dir`, next to the results. A failure is
// reported on stderr and does not change the verdict.
void WriteFileReports(const std::string& path, const std::string& out_dir, const History& h,
                      const Value& results, bool json) {
  Value test = StoredTestBeside(path);
  std::string name = std::filesystem::path(path).filename().string();
  if (const Value* n = test.Find(Value::String("name")); n && n->is_string()) {
    name = std::string(n->AsString());
  }
  Result<std::vector<std::string>> written =
      WriteReports(out_dir, h, {.test_name = name, .test = test, .results = results});
  if (!written.ok()) {
    fmt::print(stderr, "jepsen check: reports: {}\n", written.status().message());
  } else if (!json) {
    fmt::print("  report: {}/index.html\n", out_dir);
  }
}

// Checks one file; prints its verdict; returns its exit code.
int CheckFile(const std::string& path, const Options& o, Checker& checker) {
  ReadHistoryOptions read_options;
  if (!o.format.empty()) read_options.format = HistoryFormatFromName(o.format);
  HistoryReadReport report;
  Result<History> h = ReadHistoryFile(path, read_options, &report);
  for (const std::string& w : report.warnings) fmt::print(stderr, "warning: {}\n", w);
  if (!h.ok()) {
    fmt::print(stderr, "jepsen check: {}\n", h.status().message());
    if (o.json) {
      std::string line = "{\"file\":";
      AppendPlainJson(line, Value::String(path));
      line += ",\"valid\":null,\"error\":";
      AppendPlainJson(line, Value::String(h.status().message()));
      fmt::print("{}}}\n", line);
    }
    return h.status().code() == StatusCode::kIoError ? kExitCrash : kExitBadInput;
  }
  CheckContext context{
      .time_limit = std::chrono::milliseconds(static_cast<int64_t>(o.time_limit_s * 1000)),
      .memory_limit_bytes = static_cast<uint64_t>(o.memory_limit_mb) << 20,
      .threads = static_cast<int>(o.threads)};
  if (!o.out_dir.empty()) {
    std::filesystem::path dir =
        std::filesystem::path(o.out_dir) / std::filesystem::path(path).filename();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      fmt::print(stderr, "jepsen check: cannot create {}: {}\n", dir.string(), ec.message());
      return kExitCrash;
    }
    context.out_dir = dir.string();
  }
  auto start = std::chrono::steady_clock::now();
  CheckResult result = checker.Check(context, *h);
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Value details = result.ToValue();
  if (o.json) {
    std::vector<MapEntry> entries = {
        {Value::Keyword("file"), Value::String(path)},
        {Value::Keyword("valid"), ValidityValue(result.validity)},
        {Value::Keyword("checker"), Value::String(fmt::format("{}", fmt::join(o.checkers, ",")))},
        {Value::Keyword("ops"), static_cast<int64_t>(h->size())},
        {Value::Keyword("seconds"), secs}};
    for (const MapEntry& e : details.entries()) {
      if (!e.key.IsKeyword("valid?")) entries.push_back(e);
    }
    std::string line;
    AppendPlainJson(line, Value::Map(std::move(entries)));
    fmt::print("{}\n", line);
  } else {
    fmt::print("{}: {} ({} ops, {:.3f} s)\n", path, ValidityName(result.validity), h->size(),
               secs);
    if (const Value* why = result.details.Find("explanation"); why && why->is_string()) {
      fmt::print("  {}\n", why->AsString());
    }
    // A composition: each checker's verdict (and explanation) on a line of its own.
    for (size_t i = 0; o.checkers.size() > 1 && i < o.checkers.size(); ++i) {
      const Value* part = details.Find(o.checkers[i]);
      const Value* valid = part ? part->Find("valid?") : nullptr;
      if (valid == nullptr) continue;
      const Value* why = part->Find("explanation");
      fmt::print("  {}: {}{}{}\n", o.checkers[i],
                 valid->is_bool() ? (valid->AsBool() ? "valid" : "invalid") : "unknown",
                 why && why->is_string() ? " - " : "", why && why->is_string() ? why->AsString() : "");
    }
  }
  if (!context.out_dir.empty()) {
    std::string edn = details.ToEdn() + "\n";
    std::string json;
    AppendPlainJson(json, details);
    json += "\n";
    for (auto [name, text] : {std::pair{"results.edn", &edn}, std::pair{"results.json", &json}}) {
      std::FILE* f = std::fopen((context.out_dir + "/" + name).c_str(), "w");
      bool ok = f != nullptr && std::fputs(text->c_str(), f) >= 0;
      if (f != nullptr) ok = std::fclose(f) == 0 && ok;
      if (!ok) fmt::print(stderr, "jepsen check: cannot write {}/{}\n", context.out_dir, name);
    }
    WriteFileReports(path, context.out_dir, *h, details, o.json);
  }
  return ExitCodeFor(result.validity);
}

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args) {
  Options o;
  FlagSet flags("jepsen check --checker NAME[,NAME...] [options] FILE...");
  flags.List("checker", &o.checkers, "NAME,...",
             "which checker (see below); several (a,b or the flag repeated) are composed: "
             "the verdict is the worst, the results map each name to its result, and each "
             "gets only the options it takes");
  flags.String("model", &o.checker_flags.model, "MODEL", "the model, for checkers that take one");
  flags.Bool("independent", &o.checker_flags.independent,
             "values are [key value] tuples; check each key on its own");
  flags.List("consistency-models", &o.checker_flags.consistency_models, "M,...",
             "models to check transactions against");
  flags.List("anomalies", &o.checker_flags.anomalies, "A,...", "anomalies to look for");
  flags.Bool("linearizable", &o.checker_flags.linearizable,
             "set-full: stale reads make the history invalid");
  flags.String("pattern", &o.checker_flags.pattern, "REGEX",
               "log-file-pattern: the regex to look for in node logs");
  flags.String("log-file", &o.checker_flags.log_file, "PATH",
               "log-file-pattern: the log in each node's directory (default: every file)");
  flags.String("logs", &o.checker_flags.logs_dir, "DIR",
               "log-file-pattern: the run directory holding <node>/... logs");
  flags.Bool("json", &o.json, "print one JSON object per file");
  flags.String("out", &o.out_dir, "DIR",
               "write results, plots, timeline.html and index.html under DIR/<file>/");
  flags.Double("time-limit", &o.time_limit_s, "SECONDS",
               "give up (verdict unknown) after this long per file");
  flags.Int("memory-limit", &o.memory_limit_mb, "MB",
            "give up (verdict unknown) rather than use more memory");
  flags.Int("threads", &o.threads, "N", "threads a checker may use");
  flags.String("format", &o.format, "FMT", "read files as edn, jsonl or txt");
  auto usage = [&] { return flags.Help() + "\ncheckers:\n" + CheckerNames(); };

  Result<std::vector<std::string>> files = flags.Parse(args);
  if (flags.help_requested()) {
    fmt::print("{}", usage());
    return kExitValid;
  }
  auto bad = [&](const std::string& message) {
    fmt::print(stderr, "jepsen check: {}\n\n{}", message, usage());
    return kExitBadInput;
  };
  if (!files.ok()) return bad(files.status().message());
  if (files->empty()) return bad("no history files given");
  if (!o.format.empty() && !HistoryFormatFromName(o.format)) {
    return bad(fmt::format("unknown format '{}' (edn, jsonl or txt)", o.format));
  }
  if (o.checkers.empty()) return bad("--checker is required");
  std::vector<std::pair<std::string, std::unique_ptr<Checker>>> parts;
  unsigned takes = 0;
  for (const std::string& name : o.checkers) {
    const CheckerEntry* entry = nullptr;
    for (const CheckerEntry& e : Checkers()) {
      if (e.name == name) entry = &e;
    }
    if (entry == nullptr) return bad(fmt::format("unknown checker '{}'", name));
    for (const auto& part : parts) {
      if (part.first == name) return bad(fmt::format("--checker {} is named twice", name));
    }
    // Alone, a checker sees every option (and refuses what it cannot use).
    Result<std::unique_ptr<Checker>> made =
        entry->make(o.checkers.size() == 1 ? o.checker_flags
                                           : OnlyWhatItTakes(o.checker_flags, entry->takes));
    if (!made.ok()) return bad(made.status().message());
    parts.emplace_back(name, *std::move(made));
    takes |= entry->takes;
  }
  if (std::string unused = UnusedFlag(o.checker_flags, takes); !unused.empty()) {
    return bad(fmt::format("none of the checkers {} takes {}", fmt::join(o.checkers, ", "), unused));
  }
  std::unique_ptr<Checker> checker =
      parts.size() == 1 ? std::move(parts.front().second) : Compose(std::move(parts));

  int code = kExitValid;
  for (const std::string& file : *files) code = WorseExitCode(code, CheckFile(file, o, *checker));
  return code;
}

}  // namespace jepsen::app
