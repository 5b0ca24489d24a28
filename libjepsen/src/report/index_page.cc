// index.html and the walk over checker results (see jepsen/report/pages.h).
#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "jepsen/json.h"
#include "jepsen/report/pages.h"
#include "report/html.h"
#include "report/ops.h"
#include "report/svg.h"

namespace jepsen {
namespace {

using report::Get;

std::string VerdictOf(const Value& v) {
  if (v.is_bool()) return v.AsBool() ? "valid" : "invalid";
  if (v.IsNamed("unknown")) return "unknown";
  return "unknown";
}

// Plain text of a value for people: strings bare, everything else as EDN.
std::string Plain(const Value& v) {
  if (v.is_string()) return std::string(v.AsString());
  return v.ToEdn();
}

void Walk(const Value& results, const std::string& path, std::vector<CheckerVerdict>& out) {
  const Value* valid = Get(results, "valid?");
  if (valid == nullptr) return;
  CheckerVerdict v{path, VerdictOf(*valid), {}, ""};
  if (const Value* types = Get(results, "anomaly-types"); types && types->is_sequential()) {
    for (const Value& t : types->elements()) v.anomalies.push_back(report::FName(t));
  } else if (const Value* a = Get(results, "anomalies"); a && a->is_map()) {
    for (const MapEntry& e : a->entries()) v.anomalies.push_back(report::FName(e.key));
  }
  if (const Value* why = Get(results, "explanation"); why && !why->is_nil()) {
    v.explanation = Plain(*why);
  }
  out.push_back(std::move(v));
  for (const MapEntry& e : results.entries()) {
    if (e.value.is_map() && Get(e.value, "valid?") != nullptr) {
      std::string name = report::FName(e.key);
      Walk(e.value, path.empty() ? name : path + "/" + name, out);
    }
  }
}

std::string HumanSize(uintmax_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024));
}

// A relative path with every segment percent-encoded (slashes kept).
std::string UrlPath(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string StartTime(const Value& ms) {
  if (!ms.is_int()) return Plain(ms);
  std::time_t secs = static_cast<std::time_t>(ms.AsInt() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

void Row(std::string& html, std::string_view key, std::string_view value) {
  fmt::format_to(std::back_inserter(html), "<tr><th>{}</th><td><pre>{}</pre></td></tr>\n",
                 report::XmlEscape(key), report::XmlEscape(value));
}

}  // namespace

std::vector<CheckerVerdict> CheckerVerdicts(const Value& results) {
  std::vector<CheckerVerdict> out;
  Walk(results, "", out);
  return out;
}

std::string IndexHtml(const IndexInput& in) {
  std::vector<CheckerVerdict> verdicts = CheckerVerdicts(in.results);
  std::string overall = verdicts.empty() ? "unknown" : verdicts.front().verdict;
  std::string name = report::XmlEscape(in.test_name);
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>{0}</title>\n<style>{1}</style>\n</head>\n<body>\n<h1>{0}</h1>\n"
      "<p>Verdict: <span id=\"verdict\" class=\"verdict {2}\">{2}</span>{3}</p>\n",
      name, report::kPageCss, overall,
      verdicts.empty() ? " <span class=\"muted\">(not checked)</span>" : "");

  html += "<h2>Run</h2>\n<table id=\"run\">\n";
  const Value& t = in.test;
  if (const Value* v = Get(t, "start-time")) Row(html, "start", StartTime(*v));
  if (const Value* v = Get(t, "seed")) Row(html, "seed", Plain(*v));
  if (const Value* v = Get(t, "nodes")) Row(html, "nodes", Plain(*v));
  if (const Value* v = Get(t, "concurrency")) Row(html, "concurrency", Plain(*v));
  if (const Value* v = Get(t, "time-limit")) Row(html, "time limit (s)", Plain(*v));
  Row(html, "operations in the history", std::to_string(in.ops));
  if (const Value* v = Get(t, "argv"); v && v->is_sequential()) {
    std::vector<std::string> args;
    for (const Value& a : v->elements()) args.push_back(Plain(a));
    Row(html, "command line", fmt::format("{}", fmt::join(args, " ")));
  }
  html += "</table>\n";
  if (const Value* options = Get(t, "options"); options && options->is_map() && !options->empty()) {
    html += "<h2>Options</h2>\n<table id=\"options\">\n";
    for (const MapEntry& e : options->entries()) Row(html, report::FName(e.key), Plain(e.value));
    html += "</table>\n";
  }

  html += "<h2>Checkers</h2>\n";
  if (verdicts.empty()) {
    html += "<p class=\"muted\">No results: the history was not checked.</p>\n";
  } else {
    html += "<table id=\"checkers\">\n<tr><th>checker</th><th>verdict</th><th>anomalies</th>"
            "<th>explanation</th></tr>\n";
    for (const CheckerVerdict& v : verdicts) {
      fmt::format_to(std::back_inserter(html),
                     "<tr class=\"checker\"><td>{}</td><td class=\"{}\">{}</td><td>{}</td>"
                     "<td>{}</td></tr>\n",
                     v.path.empty() ? "(overall)" : report::XmlEscape(v.path), v.verdict,
                     v.verdict, report::XmlEscape(fmt::format("{}", fmt::join(v.anomalies, ", "))),
                     report::XmlEscape(v.explanation));
    }
    html += "</table>\n";
  }
  std::vector<std::string> anomalies;
  for (const CheckerVerdict& v : verdicts) {
    for (const std::string& a : v.anomalies) {
      if (std::find(anomalies.begin(), anomalies.end(), a) == anomalies.end()) anomalies.push_back(a);
    }
  }
  if (!anomalies.empty()) {
    html += "<h2>Anomalies</h2>\n<ul id=\"anomalies\">\n";
    for (const std::string& a : anomalies) {
      fmt::format_to(std::back_inserter(html), "<li>{}</li>\n", report::XmlEscape(a));
    }
    html += "</ul>\n";
  }

  html += "<h2>Files</h2>\n<table id=\"files\">\n";
  for (const auto& [path, size] : in.files) {
    fmt::format_to(std::back_inserter(html),
                   "<tr><td><a href=\"{}\">{}</a></td><td>{}</td></tr>\n",
                   report::XmlEscape(UrlPath(path)), report::XmlEscape(path), HumanSize(size));
  }
  html += "</table>\n</body>\n</html>\n";
  return html;
}

}  // namespace jepsen
