#include "pages.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "jepsen/web/http.h"
#include "jepsen/web/path.h"

namespace jepsen::web {
namespace {

constexpr const char* kStyle = R"(<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; }
th, td { padding: 0.25em 0.8em; text-align: left; border-bottom: 1px solid #ddd; }
th { background: #f4f4f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { font-weight: bold; border-radius: 3px; }
.verdict.valid { background: #c8f0c8; color: #145214; }
.verdict.invalid { background: #f8c8c8; color: #7a1010; }
.verdict.unknown { background: #f8e8b0; color: #6b4e00; }
.verdict.incomplete { background: #ddd; color: #444; }
a { color: #1a4f9c; }
</style>)";

std::string Page(const std::string& title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>{}</title>{}</head>\n<body>\n{}</body></html>\n",
      HtmlEscape(title), kStyle, body);
}

std::string HumanSize(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024)
    return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  if (bytes < int64_t{1} << 30) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024));
  }
  return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

std::string UtcTime(time_t t) {
  std::tm parts;
  gmtime_r(&t, &parts);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &parts);
  return buf;
}

}  // namespace

std::string RunsUrl(const std::vector<std::string>& segments) {
  std::string url = "/runs/";
  for (const std::string& s : segments) url += PercentEncodeSegment(s) + "/";
  return url;
}

std::string RenderRunList(const std::vector<RunInfo>& runs,
                          const std::string& store_dir) {
  size_t counts[4] = {0, 0, 0, 0};
  for (const RunInfo& r : runs) ++counts[static_cast<int>(r.verdict)];
  std::string body = "<h1>Jepsen runs</h1>\n";
  body += fmt::format(
      "<p id=\"summary\">{} run{} in {}: {} valid, {} invalid, {} unknown, {} incomplete"
      " &middot; <a href=\"/runs/\">browse the store</a></p>\n",
      runs.size(), runs.size() == 1 ? "" : "s", HtmlEscape(store_dir), counts[0],
      counts[1], counts[2], counts[3]);
  if (runs.empty()) {
    body += "<p id=\"empty\">No runs stored yet.</p>\n";
    return Page("Jepsen runs", body);
  }
  body +=
      "<table id=\"runs\"><thead><tr><th>Test</th><th>Started</th><th>Verdict</th>"
      "<th>Download</th></tr></thead>\n<tbody>\n";
  body.reserve(body.size() + runs.size() * 400);
  for (const RunInfo& r : runs) {
    std::string test = PercentEncodeSegment(r.test);
    std::string time = PercentEncodeSegment(r.time);
    std::string_view verdict = RunVerdictName(r.verdict);
    body += fmt::format(
        "<tr class=\"run\" data-test=\"{0}\" data-verdict=\"{4}\">"
        "<td class=\"test\"><a href=\"/runs/{2}/\">{0}</a></td>"
        "<td class=\"time\"><a href=\"/runs/{2}/{3}/\">{1}</a></td>"
        "<td class=\"verdict {4}\">{4}</td>"
        "<td><a class=\"zip\" href=\"/zip/{2}/{3}\">zip</a></td></tr>\n",
        HtmlEscape(r.test), HtmlEscape(DisplayRunTime(r.time)), test, time, verdict);
  }
  body += "</tbody></table>\n";
  return Page("Jepsen runs", body);
}

std::string RenderDirectory(const std::vector<std::string>& segments,
                            const std::string& dir, const std::string& root) {
  struct Item {
    std::string name;
    bool is_dir;
    int64_t size;
    time_t mtime;
  };
  std::vector<Item> items;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      struct stat st;
      if (::fstatat(::dirfd(d), e->d_name, &st, 0) != 0)
        continue;  // e.g. a dangling link
      if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
        // Not even the size or time of what a link outside the store points at.
        std::string link = dir + "/" + e->d_name;
        char* real = ::realpath(link.c_str(), nullptr);
        bool inside = real != nullptr && IsWithin(root, real);
        ::free(real);
        if (!inside) continue;
      }
      items.push_back({e->d_name, S_ISDIR(st.st_mode), static_cast<int64_t>(st.st_size),
                       st.st_mtime});
    }
    ::closedir(d);
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    if (a.is_dir != b.is_dir) return a.is_dir;
    return a.name < b.name;
  });
  std::string title = segments.empty() ? "store" : "";
  for (size_t i = 0; i < segments.size(); ++i) title += (i ? "/" : "") + segments[i];
  std::string body = "<h1>" + HtmlEscape(title) + "</h1>\n<p><a href=\"/\">all runs</a>";
  if (!segments.empty()) {
    std::vector<std::string> parent(segments.begin(), segments.end() - 1);
    body += fmt::format(" &middot; <a href=\"{}\">up</a>", RunsUrl(parent));
    std::string zip = "/zip";
    for (const std::string& seg : segments) zip += "/" + PercentEncodeSegment(seg);
    body +=
        fmt::format(" &middot; <a class=\"zip\" href=\"{}\">download as zip</a>", zip);
  }
  body +=
      "</p>\n<table id=\"files\"><thead><tr><th>Name</th><th>Size</th><th>Modified "
      "(UTC)</th>"
      "</tr></thead>\n<tbody>\n";
  for (const Item& it : items) {
    std::string href = PercentEncodeSegment(it.name) + (it.is_dir ? "/" : "");
    body += fmt::format(
        "<tr><td><a href=\"{}\">{}{}</a></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
        href, HtmlEscape(it.name), it.is_dir ? "/" : "",
        it.is_dir ? "" : HumanSize(it.size), UtcTime(it.mtime));
  }
  body += "</tbody></table>\n";
  return Page(title, body);
}

std::string RenderError(int status, const std::string& reason) {
  return Page(
      fmt::format("{} {}", status, StatusText(status)),
      fmt::format(
          "<h1>{} {}</h1>\n<p id=\"reason\">{}</p>\n<p><a href=\"/\">all runs</a></p>\n",
          status, StatusText(status), HtmlEscape(reason)));
}

}  // namespace jepsen::web
