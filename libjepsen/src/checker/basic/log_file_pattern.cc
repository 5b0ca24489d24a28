// Reads each log line by line; a literal pattern is a substring search, anything else
// std::regex_search over a bounded prefix of the line (libstdc++'s matcher recurses
// per character and would overflow the stack on a multi-megabyte line).
#include "jepsen/checker/log_file_pattern.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <vector>

#include <fmt/format.h>

#include "checker/basic/basic_util.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;
using basic::Kw;

constexpr size_t kMaxSearchedBytes = 16 * 1024;
constexpr size_t kMaxReportedBytes = 1000;

bool IsLiteral(std::string_view pattern) {
  return pattern.find_first_of("\\^$.|?*+()[]{}") == std::string_view::npos;
}

struct Search {
  int64_t count = 0;
  int64_t files = 0;
  std::vector<Value> matches;
  std::vector<std::string> errors;
};

class LogFilePatternChecker : public Checker {
 public:
  LogFilePatternChecker(LogFilePatternOptions options, std::optional<std::regex> regex)
      : options_(std::move(options)), regex_(std::move(regex)) {}

  CheckResult Check(const CheckContext& context, const History&) override {
    fs::path dir = options_.dir.empty() ? fs::path(context.out_dir) : fs::path(options_.dir);
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) {
      std::string error = fmt::format("no log directory '{}' to search", dir.string());
      return {.validity = Validity::kUnknown,
              .details = Value::Map({{Kw("error"), Value::String(error)},
                                     {Kw("explanation"), Value::String(error)}})};
    }
    Search search;
    for (const std::string& node : Nodes(dir, context)) {
      for (const fs::path& file : Files(dir / node)) {
        SearchFile(node, dir / node, file, search);
        if (!search.errors.empty() && search.errors.back().starts_with("regex:")) break;
      }
    }
    return Finish(search);
  }

 private:
  std::vector<std::string> Nodes(const fs::path& dir, const CheckContext& context) const {
    if (!context.nodes.empty()) return context.nodes;
    std::vector<std::string> nodes;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
      if (e.is_directory(ec)) nodes.push_back(e.path().filename().string());
    }
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  }

  // The files to search in one node's directory, sorted; none if it has no such file.
  std::vector<fs::path> Files(const fs::path& node_dir) const {
    std::error_code ec;
    if (!options_.file.empty()) {
      fs::path p = node_dir / options_.file;
      if (fs::is_regular_file(p, ec)) return {p};
      return {};
    }
    std::vector<fs::path> files;
    if (!fs::is_directory(node_dir, ec)) return files;
    for (auto it = fs::recursive_directory_iterator(node_dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    return files;
  }

  bool Matches(std::string_view line) const {
    line = line.substr(0, kMaxSearchedBytes);
    if (!regex_) return line.find(options_.pattern) != std::string_view::npos;
    return std::regex_search(line.begin(), line.end(), *regex_);
  }

  void SearchFile(const std::string& node, const fs::path& node_dir, const fs::path& file,
                  Search& search) const {
    std::ifstream in(file, std::ios::binary);
    std::string relative = file.lexically_relative(node_dir).string();
    if (!in) {
      search.errors.push_back(fmt::format("cannot read {}", file.string()));
      return;
    }
    ++search.files;
    std::string line;
    int64_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      bool hit = false;
      try {
        hit = Matches(line);
      } catch (const std::regex_error& e) {
        search.errors.push_back(
            fmt::format("regex: gave up on {}:{}: {}", file.string(), number, e.what()));
        return;
      }
      if (!hit) continue;
      ++search.count;
      if (search.matches.size() >= options_.max_matches) continue;
      if (line.size() > kMaxReportedBytes) line.resize(kMaxReportedBytes);
      search.matches.push_back(Value::Map({{Kw("node"), Value::String(node)},
                                           {Kw("file"), Value::String(relative)},
                                           {Kw("line-number"), number},
                                           {Kw("line"), Value::String(line)}}));
    }
  }

  CheckResult Finish(Search& s) const {
    CheckResult result;
    bool gave_up = !s.errors.empty() && s.errors.back().starts_with("regex:");
    result.validity = s.count > 0 ? Validity::kInvalid
                      : gave_up   ? Validity::kUnknown
                                  : Validity::kValid;
    std::vector<MapEntry> d = {{Kw("pattern"), Value::String(options_.pattern)},
                               {Kw("count"), s.count},
                               {Kw("files-searched"), s.files},
                               {Kw("matches"), Value::Vector(std::move(s.matches))}};
    if (!s.errors.empty()) {
      std::vector<Value> errors;
      for (std::string& e : s.errors) errors.push_back(Value::String(e));
      d.push_back({Kw("errors"), Value::Vector(std::move(errors))});
    }
    if (s.count > 0) {
      const Value& first = d[3].value[0];
      d.push_back({Kw("explanation"),
                   Value::String(fmt::format(
                       "{} line(s) in the node logs match /{}/, the first in {} {} line {}: {}",
                       s.count, options_.pattern, first.Find("node")->AsString(),
                       first.Find("file")->AsString(), first.Find("line-number")->AsInt(),
                       first.Find("line")->AsString()))});
    } else if (gave_up) {
      d.push_back({Kw("explanation"), Value::String(s.errors.back())});
    }
    result.details = Value::Map(std::move(d));
    return result;
  }

  LogFilePatternOptions options_;
  std::optional<std::regex> regex_;  // nullopt: the pattern is a literal string
};

}  // namespace

Result<std::unique_ptr<Checker>> MakeLogFilePatternChecker(LogFilePatternOptions options) {
  if (options.pattern.empty()) {
    return InvalidArgumentError("log-file-pattern needs a non-empty pattern");
  }
  std::optional<std::regex> regex;
  if (!IsLiteral(options.pattern)) {
    try {
      regex.emplace(options.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return InvalidArgumentError(
          fmt::format("bad log pattern /{}/: {}", options.pattern, e.what()));
    }
  }
  return std::unique_ptr<Checker>(
      std::make_unique<LogFilePatternChecker>(std::move(options), std::move(regex)));
}

}  // namespace jepsen
