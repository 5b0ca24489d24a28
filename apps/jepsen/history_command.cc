#include "history_command.h"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "exit_codes.h"
#include "jepsen/history_io.h"
#include "jepsen/history_stats.h"
#include "jepsen/json.h"

namespace jepsen::app {
namespace {

constexpr const char* kUsage = R"(usage:
  jepsen history stats FILE [--json] [--format edn|jsonl|txt]
      Counts ops by type and by f, processes, pending invocations and duration.
  jepsen history convert IN OUT [--from FMT] [--to FMT]
      Converts between history.edn, history.jsonl and history.txt. Formats are
      detected from IN's content and OUT's extension unless given.

Exit codes: 0 done, 254 bad arguments or malformed input, 255 internal error.
)";

int BadUsage(const std::string& message) {
  fmt::print(stderr, "jepsen history: {}\n\n{}", message, kUsage);
  return kExitBadInput;
}

int Fail(const Status& s) {
  fmt::print(stderr, "jepsen history: {}\n", s.message());
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound
             ? kExitBadInput
             : kExitCrash;
}

struct Flags {
  std::vector<std::string> positional;
  bool json = false;
  std::optional<HistoryFormat> from, to;
};

// Parses flags; returns an error message or "".
std::string ParseFlags(const std::vector<std::string>& args, Flags* flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto format_arg = [&](std::optional<HistoryFormat>* out) -> std::string {
      if (i + 1 == args.size()) return a + " needs a format: edn, jsonl or txt";
      *out = HistoryFormatFromName(args[++i]);
      return *out ? "" : fmt::format("unknown format '{}' (edn, jsonl or txt)", args[i]);
    };
    std::string err;
    if (a == "--json") {
      flags->json = true;
    } else if (a == "--format" || a == "--from") {
      err = format_arg(&flags->from);
    } else if (a == "--to") {
      err = format_arg(&flags->to);
    } else if (a.size() > 1 && a[0] == '-') {
      err = fmt::format("unknown option '{}'", a);
    } else {
      flags->positional.push_back(a);
    }
    if (!err.empty()) return err;
  }
  return "";
}

Result<History> Load(const std::string& path, const Flags& flags) {
  HistoryReadReport report;
  Result<History> h = ReadHistoryFile(path, {.format = flags.from}, &report);
  for (const std::string& w : report.warnings) fmt::print(stderr, "warning: {}\n", w);
  return h;
}

int Stats(const Flags& flags) {
  if (flags.positional.size() != 1) return BadUsage("stats takes exactly one FILE");
  Result<History> h = Load(flags.positional[0], flags);
  if (!h.ok()) return Fail(h.status());
  HistoryStats stats = ComputeHistoryStats(*h);
  if (flags.json) {
    std::string out;
    AppendPlainJson(out, HistoryStatsToValue(stats));
    fmt::print("{}\n", out);
  } else {
    fmt::print("file:      {}\n{}", flags.positional[0], FormatHistoryStats(stats));
  }
  return kExitValid;
}

// What a history.txt cannot hold, for the note after a lossy conversion.
std::string TxtLosses(const History& h) {
  bool time = false, index = false, extra = false;
  for (size_t i = 0; i < h.size(); ++i) {
    time = time || h[i].time >= 0;
    index = index || h[i].index != static_cast<int64_t>(i);
    extra = extra || !h[i].extra.is_nil();
  }
  std::vector<std::string> lost;
  if (time) lost.push_back(":time");
  if (index) lost.push_back("sparse :index");
  if (extra) lost.push_back("extra keys");
  std::string out;
  for (size_t i = 0; i < lost.size(); ++i) out += (i ? ", " : "") + lost[i];
  return out;
}

int Convert(const Flags& flags) {
  if (flags.positional.size() != 2) return BadUsage("convert takes IN and OUT");
  const std::string& in = flags.positional[0];
  const std::string& out = flags.positional[1];
  std::optional<HistoryFormat> to = flags.to ? flags.to : DetectHistoryFormat("", out);
  if (!to) {
    return BadUsage(
        fmt::format("cannot tell the format of {} from its name: use --to", out));
  }
  Result<History> h = Load(in, flags);
  if (!h.ok()) return Fail(h.status());
  if (Status s = WriteHistoryFile(*h, out, *to); !s.ok()) return Fail(s);
  if (*to == HistoryFormat::kTxt) {
    if (std::string lost = TxtLosses(*h); !lost.empty()) {
      fmt::print(stderr, "note: history.txt cannot hold {}; they were dropped\n", lost);
    }
  }
  fmt::print(stderr, "wrote {} ops to {} ({})\n", h->size(), out, HistoryFormatName(*to));
  return kExitValid;
}

}  // namespace

int RunHistoryCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    fmt::print(args.empty() ? stderr : stdout, "{}", kUsage);
    return args.empty() ? kExitBadInput : kExitValid;
  }
  Flags flags;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (std::string err = ParseFlags(rest, &flags); !err.empty()) return BadUsage(err);
  if (args[0] == "stats") return Stats(flags);
  if (args[0] == "convert") return Convert(flags);
  return BadUsage(fmt::format("unknown history command '{}'", args[0]));
}

}  // namespace jepsen::app
