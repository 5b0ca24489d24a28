#include "jepsen/cli/flags.h"

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

#include <fmt/format.h>

namespace jepsen {
namespace {

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    if (comma > start) out.emplace_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

void FlagSet::Bool(std::string name, bool* out, std::string help) {
  flags_.push_back({.name = std::move(name), .help = std::move(help),
                    .is_bool = true, .bool_out = out});
}

void FlagSet::String(std::string name, std::string* out, std::string metavar,
                     std::string help) {
  Custom(std::move(name), [out](std::string_view v) { *out = std::string(v); return std::string(); },
         std::move(metavar), std::move(help), *out);
}

void FlagSet::Int(std::string name, int64_t* out, std::string metavar, std::string help) {
  std::string flag = name;
  Custom(std::move(name),
         [out, flag](std::string_view v) {
           int64_t i = 0;
           auto r = std::from_chars(v.data(), v.data() + v.size(), i);
           if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
             return fmt::format("--{} expects an integer, not '{}'", flag, v);
           }
           *out = i;
           return std::string();
         },
         std::move(metavar), std::move(help), std::to_string(*out));
}

void FlagSet::Double(std::string name, double* out, std::string metavar, std::string help) {
  std::string flag = name;
  Custom(std::move(name),
         [out, flag](std::string_view v) {
           double d = 0;
           auto r = std::from_chars(v.data(), v.data() + v.size(), d);
           if (r.ec != std::errc() || r.ptr != v.data() + v.size()) {
             return fmt::format("--{} expects a number, not '{}'", flag, v);
           }
           *out = d;
           return std::string();
         },
         std::move(metavar), std::move(help), fmt::format("{}", *out));
}

void FlagSet::List(std::string name, std::vector<std::string>* out, std::string metavar,
                   std::string help) {
  std::string defaults;
  for (const auto& s : *out) defaults += (defaults.empty() ? "" : ",") + s;
  auto reset = std::make_shared<bool>(true);  // the first use replaces the defaults
  Custom(std::move(name),
         [out, reset](std::string_view v) {
           if (*reset) out->clear();
           *reset = false;
           for (auto& s : SplitCommas(v)) out->push_back(std::move(s));
           return std::string();
         },
         std::move(metavar), std::move(help), defaults);
}

void FlagSet::Custom(std::string name, std::function<std::string(std::string_view)> parse,
                     std::string metavar, std::string help, std::string default_text) {
  flags_.push_back({.name = std::move(name), .metavar = std::move(metavar),
                    .help = std::move(help), .default_text = std::move(default_text),
                    .parse = std::move(parse)});
}

FlagSet::Flag* FlagSet::Find(std::string_view name) {
  for (Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool FlagSet::WasSet(std::string_view name) const {
  return std::find(set_.begin(), set_.end(), name) != set_.end();
}

Result<std::vector<std::string>> FlagSet::Parse(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      positional.insert(positional.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a == "--help" || a == "-h") {
      help_requested_ = true;
      return positional;
    }
    if (a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a.size() > 1 && a[0] == '-' && !(a[1] >= '0' && a[1] <= '9')) {
        return InvalidArgumentError(fmt::format("unknown option '{}'", a));
      }
      positional.push_back(a);
      continue;
    }
    std::string_view body = std::string_view(a).substr(2);
    std::string_view name = body;
    std::optional<std::string_view> inline_value;
    if (size_t eq = body.find('='); eq != std::string_view::npos) {
      name = body.substr(0, eq);
      inline_value = body.substr(eq + 1);
    }
    Flag* flag = Find(name);
    if (flag == nullptr) return InvalidArgumentError(fmt::format("unknown option '--{}'", name));
    set_.emplace_back(name);
    if (flag->is_bool) {
      if (!inline_value || *inline_value == "true") {
        *flag->bool_out = true;
      } else if (*inline_value == "false") {
        *flag->bool_out = false;
      } else {
        return InvalidArgumentError(
            fmt::format("--{} expects true or false, not '{}'", name, *inline_value));
      }
      continue;
    }
    std::string value;
    if (inline_value) {
      value = std::string(*inline_value);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return InvalidArgumentError(fmt::format("--{} needs a value ({})", name, flag->metavar));
    }
    if (std::string err = flag->parse(value); !err.empty()) return InvalidArgumentError(err);
  }
  return positional;
}

std::string FlagSet::Help() const {
  std::string out = "usage: " + usage_ + "\n\noptions:\n";
  for (const Flag& f : flags_) {
    std::string left = "--" + f.name + (f.metavar.empty() ? "" : " " + f.metavar);
    std::string help = f.help;
    if (!f.is_bool && !f.default_text.empty()) help += fmt::format(" (default {})", f.default_text);
    fmt::format_to(std::back_inserter(out), "  {:<28} {}\n", left, help);
  }
  return out;
}

}  // namespace jepsen
