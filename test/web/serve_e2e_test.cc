// The results browser end to end, as a person would use it: two demo-suite runs fill a
// store, `jepsen serve` serves it, and headless Chromium, driven over the WebDriver
// protocol by chromedriver, loads the run list, clicks into a run, opens its timeline
// and hovers over an operation. Needs Debian's chromium and chromium-driver.
//
// The run's index.html and timeline.html are written by the per-run reports (the
// runner); this test holds them to their contract: index.html has an element #verdict
// and links timeline.html; timeline.html has an <h1> naming the test,
// #timeline-summary "<N> operations on <P> processes", <canvas id="timeline">,
// #op-detail showing the op under the mouse, and <body data-ready="true"> once drawn.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "libjepsen/web/http_client.h"
#include "support/temp_dir.h"

extern char** environ;

namespace jepsen::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

// A guardian process that outlives this one: if the test process dies without
// cleaning up (killed by a ctest timeout, a crash), it kills the process groups this
// test started and has not stopped yet. Forked before any of them.
class Reaper {
 public:
  Reaper() {
    if (::pipe(fds_) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {  // the guardian: only async-signal-safe calls from here on
      ::close(fds_[1]);
      pid_t groups[64] = {};
      pid_t message;
      while (::read(fds_[0], &message, sizeof(message)) == sizeof(message)) {
        for (pid_t& g : groups) {
          if (message > 0 && g == 0) {
            g = message;
            break;
          }
          if (message < 0 && g == -message) g = 0;
        }
      }
      for (pid_t g : groups) {
        if (g > 0) ::kill(-g, SIGKILL);
      }
      ::_exit(0);
    }
    ::close(fds_[0]);
  }
  ~Reaper() {
    if (fds_[1] >= 0) ::close(fds_[1]);
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
  }
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  // Watches (pgid > 0) or forgets (-pgid) a process group.
  void Tell(pid_t message) {
    if (fds_[1] >= 0) (void)!::write(fds_[1], &message, sizeof(message));
  }

 private:
  int fds_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// A process this test started, in a process group of its own (so chromedriver's
// Chromium goes with it), its output in a log file. Stopped on destruction.
class Child {
 public:
  Child(Reaper& reaper, const std::vector<std::string>& argv, const std::string& log)
      : reaper_(reaper), log_(log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ) != 0)
      pid_ = -1;
    if (pid_ > 0) reaper_.Tell(pid_);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  ~Child() { (void)Stop(SIGTERM); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  const std::string& log() const { return log_; }

  // Waits up to `timeout` for the process to exit; its exit code, -1 if still running,
  // 128+N if killed by signal N.
  int Wait(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return status_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ::kill(-pid_, SIGKILL);  // whatever it left behind in its group
        reaper_.Tell(-pid_);
        pid_ = -1;
        return status_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return -1;
      std::this_thread::sleep_for(20ms);
    }
  }

  // Sends `sig` to the process group, waits up to 5 s, then kills the group.
  int Stop(int sig) {
    if (pid_ <= 0) return status_;
    ::kill(-pid_, sig);
    int code = Wait(5s);
    if (code == -1) {
      ::kill(-pid_, SIGKILL);
      code = Wait(5s);
    }
    return code;
  }

 private:
  Reaper& reaper_;
  pid_t pid_ = -1;
  int status_ = -1;
  std::string log_;
};

std::string Which(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    fs::path candidate = fs::path(dirs.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return "";
}

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<struct sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Polls `ready` every 100 ms until it is true or `timeout` passes.
template <typename F>
bool Eventually(F ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (ready()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(100ms);
  }
}

// A WebDriver session on chromedriver; the session is deleted (Chromium quits) on
// destruction.
class Browser {
 public:
  Browser(int port, const std::string& chromium, const std::string& profile)
      : port_(port) {
    json caps = {{"capabilities",
                  {{"alwaysMatch",
                    {{"browserName", "chrome"},
                     {"goog:chromeOptions",
                      {{"binary", chromium},
                       {"args",
                        {"--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-background-networking", "--disable-component-update",
                         "--disable-default-apps", "--disable-sync", "--no-first-run",
                         "--disable-dev-shm-usage", "--disable-crash-reporter",
                         "--disable-breakpad", "--user-data-dir=" + profile,
                         "--window-size=1200,900"}}}}}}}}};
    json v = Call("POST", "/session", caps);
    session_ = v.value("sessionId", "");
  }
  ~Browser() {
    if (!session_.empty())
      (void)HttpRequest(port_, "DELETE", "/session/" + session_, "", "", 10s);
  }
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  bool ok() const { return !session_.empty(); }

  // A WebDriver command; its "value". A failed command fails the test, naming it.
  json Call(const std::string& method, const std::string& path,
            const json& body = nullptr) {
    HttpResponse r =
        HttpRequest(port_, method, path, body.is_null() ? "" : body.dump(), "", 60s);
    INFO(method << " " << path << " -> " << r.status << " " << r.body.substr(0, 500));
    REQUIRE(r.status == 200);
    json parsed = json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    return parsed["value"];
  }
  json Session(const std::string& method, const std::string& path,
               const json& body = nullptr) {
    return Call(method, "/session/" + session_ + path, body);
  }

  void Go(const std::string& url) { Session("POST", "/url", {{"url", url}}); }
  std::string Url() { return Session("GET", "/url").get<std::string>(); }
  json Run(const std::string& script) {
    return Session("POST", "/execute/sync",
                   {{"script", script}, {"args", json::array()}});
  }
  // Clicks the first element matching `css`.
  void Click(const std::string& css) {
    json el = Session("POST", "/element", {{"using", "css selector"}, {"value", css}});
    std::string id = el.begin().value().get<std::string>();
    Session("POST", "/element/" + id + "/click", json::object());
  }
  void MoveMouse(int x, int y) {
    Session("POST", "/actions",
            {{"actions",
              {{{"type", "pointer"},
                {"id", "mouse"},
                {"parameters", {{"pointerType", "mouse"}}},
                {"actions",
                 {{{"type", "pointerMove"},
                   {"duration", 0},
                   {"origin", "viewport"},
                   {"x", x},
                   {"y", y}}}}}}}});
  }

 private:
  int port_;
  std::string session_;
};

// Prints the tail of every log when a test fails, before the temp dir goes.
struct LogsOnFailure {
  std::vector<std::string> logs;
  ~LogsOnFailure() {
    if (std::uncaught_exceptions() == 0) return;
    for (const std::string& log : logs) {
      std::string text = ReadFile(log);
      std::cerr << "---- " << log << " (tail)\n"
                << text.substr(text.size() > 3000 ? text.size() - 3000 : 0) << "\n";
    }
  }
};

// Ops and processes of a history.jsonl: invocations, and the processes invoking.
std::pair<int, int> CountOps(const std::string& jsonl) {
  std::ifstream in(jsonl);
  std::string line;
  int ops = 0;
  std::set<int64_t> processes;
  while (std::getline(in, line)) {
    json op = json::parse(line, nullptr, false);
    if (op.is_discarded() || op.value("type", "") != "invoke") continue;
    ++ops;
    if (op["process"].is_number_integer()) processes.insert(op["process"].get<int64_t>());
  }
  return {ops, static_cast<int>(processes.size())};
}

std::string OnlyRun(const fs::path& test_dir) {
  std::string found;
  for (const auto& e : fs::directory_iterator(test_dir)) {
    if (!e.is_symlink() && e.is_directory()) found = e.path().filename().string();
  }
  return found;
}

// chromedriver and chromium ($JEPSEN_CHROMEDRIVER and $JEPSEN_CHROMIUM, else on PATH);
// found() WARNs why a test must skip.
struct ChromeTools {
  std::string driver = std::getenv("JEPSEN_CHROMEDRIVER") ? std::getenv("JEPSEN_CHROMEDRIVER")
                                                          : Which("chromedriver");
  std::string chromium =
      std::getenv("JEPSEN_CHROMIUM") ? std::getenv("JEPSEN_CHROMIUM") : Which("chromium");
  bool found() const {
    if (!driver.empty() && !chromium.empty()) return true;
    WARN("SKIPPED: needs chromedriver and chromium on PATH (Debian: apt-get install chromium "
         "chromium-driver, as scripts/install-deps does)");
    return false;
  }
};

// chromedriver on a free port of loopback; ready() waits until it takes sessions.
class Driver {
 public:
  Driver(Reaper& reaper, const std::string& chromedriver, const std::string& log)
      : port_(FreePort()), child_(reaper, {chromedriver, "--port=" + std::to_string(port_)}, log) {}
  bool ready() {
    return port_ > 0 && child_.started() &&
           Eventually(
               [&] {
                 HttpResponse r = HttpGet(port_, "/status");
                 return r.status == 200 && r.body.find("\"ready\":true") != std::string::npos;
               },
               20s);
  }
  int port() const { return port_; }
  int Stop(int sig) { return child_.Stop(sig); }

 private:
  int port_;
  Child child_;
};

// Sweeps the pointer down the middle of the canvas until #op-detail changes from its
// resting text; what it then shows.
std::string HoverSomeOp(Browser& browser) {
  std::string resting = browser.Run("return document.getElementById('op-detail').innerText;");
  json rect = browser.Run(
      "var r = document.getElementById('timeline').getBoundingClientRect();"
      "return [r.left, r.top, r.width, r.height];");
  int x = static_cast<int>(rect[0].get<double>() + rect[2].get<double>() / 2);
  int top = static_cast<int>(rect[1].get<double>());
  int bottom = top + static_cast<int>(std::min(rect[3].get<double>(), 300.0));
  std::string detail = resting;
  for (int y = top + 1; y < bottom && detail == resting; y += 3) {
    browser.MoveMouse(x, y);
    detail = browser.Run("return document.getElementById('op-detail').innerText;");
  }
  INFO("op-detail at rest: " << resting << "; under the pointer: " << detail);
  CHECK(detail != resting);
  return detail;
}

TEST_CASE("Headless Chromium browses the runs, a run and its timeline",
          "[integration][web][e2e]") {
  ChromeTools chrome;
  if (!chrome.found()) return;
  Reaper reaper;
  TempDir tmp;
  LogsOnFailure logs;
  std::string store = tmp.File("store");

  // Two real runs: a valid register, then a stale one the checker finds invalid.
  for (const auto& [workload, expected] :
       {std::pair<std::string, int>{"register", 0}, {"stale", 1}}) {
    std::string log = tmp.File("demo-" + workload + ".log");
    logs.logs.push_back(log);
    Child demo(
        reaper,
        {JEPSEN_DEMO_SUITE_BIN, "test", "--store", store, "--time-limit", "3", "--nodes",
         "n1,n2", "--workload", workload, "--rate", "500", "--seed", "7"},
        log);
    REQUIRE(demo.started());
    CHECK(demo.Wait(60s) == expected);
    std::this_thread::sleep_for(20ms);  // distinct start times, to the millisecond
  }
  std::string valid_run = OnlyRun(fs::path(store) / "demo-register-none");
  std::string invalid_run = OnlyRun(fs::path(store) / "demo-stale-none");
  REQUIRE_FALSE(valid_run.empty());
  REQUIRE_FALSE(invalid_run.empty());
  std::string valid_dir = store + "/demo-register-none/" + valid_run;
  INFO("the runner's reports: " << valid_dir << "/index.html and timeline.html");
  REQUIRE(fs::exists(valid_dir + "/index.html"));
  REQUIRE(fs::exists(valid_dir + "/timeline.html"));

  // The server, on a port of its choosing; it prints the URL.
  logs.logs.push_back(tmp.File("serve.log"));
  Child serve(reaper, {JEPSEN_BIN, "serve", "--store", store, "--port", "0"},
              tmp.File("serve.log"));
  REQUIRE(serve.started());
  std::smatch m;
  std::regex url_re("at (http://127\\.0\\.0\\.1:([0-9]+)/)");
  std::string serve_out;
  REQUIRE(Eventually(
      [&] {
        serve_out = ReadFile(serve.log());
        return std::regex_search(serve_out, m, url_re);
      },
      10s));
  std::string base = m[1];
  int serve_port = std::stoi(m[2]);
  REQUIRE(HttpGet(serve_port, "/").status == 200);

  // chromedriver, and a Chromium session through it.
  logs.logs.push_back(tmp.File("chromedriver.log"));
  Driver driver(reaper, chrome.driver, tmp.File("chromedriver.log"));
  REQUIRE(driver.ready());
  {
    Browser browser(driver.port(), chrome.chromium, tmp.File("chromium-profile"));
    REQUIRE(browser.ok());

    // The run list: both runs, newest first, with their verdicts and colours.
    browser.Go(base);
    json rows = browser.Run(
        "return Array.from(document.querySelectorAll('tr.run')).map(function (r) {"
        "  var v = r.querySelector('td.verdict');"
        "  return [r.querySelector('td.test').innerText, "
        "r.querySelector('td.time').innerText,"
        "          v.innerText, getComputedStyle(v).backgroundColor]; });");
    INFO(rows.dump());
    REQUIRE(rows.size() == 2);
    CHECK(rows[0][0] == "demo-stale-none");
    CHECK(rows[0][2] == "invalid");
    CHECK(rows[1][0] == "demo-register-none");
    CHECK(rows[1][2] == "valid");
    CHECK(rows[1][1].get<std::string>().find(" UTC") != std::string::npos);
    CHECK(rows[0][3] == "rgb(248, 200, 200)");  // red for invalid
    CHECK(rows[1][3] == "rgb(200, 240, 200)");  // green for valid
    std::string summary =
        browser.Run("return document.getElementById('summary').innerText;");
    CHECK_THAT(summary,
               Catch::Contains("2 runs in") && Catch::Contains("1 valid, 1 invalid"));

    // Click into the valid run: its index.html, with the verdict.
    browser.Click("tr.run[data-test='demo-register-none'] td.time a");
    std::string run_url = base + "runs/demo-register-none/" + valid_run + "/";
    REQUIRE(Eventually([&] { return browser.Url() == run_url; }, 10s));
    REQUIRE(Eventually(
        [&] { return browser.Run("return document.readyState;") == "complete"; }, 10s));
    json verdict = browser.Run(
        "var v = document.getElementById('verdict'); return v && v.innerText;");
    INFO("index.html #verdict: " << verdict.dump());
    REQUIRE(verdict.is_string());
    CHECK_THAT(verdict.get<std::string>(),
               Catch::Contains("valid") && !Catch::Contains("invalid"));

    // Follow its link to the timeline and wait until it is drawn.
    browser.Click("a[href='timeline.html']");
    REQUIRE(Eventually([&] { return browser.Url() == run_url + "timeline.html"; }, 10s));
    REQUIRE(Eventually(
        [&] {
          return browser.Run(
                     "return document.body && "
                     "document.body.getAttribute('data-ready');") == "true";
        },
        20s));
    json page = browser.Run(
        "var c = document.getElementById('timeline');"
        "return [document.querySelector('h1').innerText,"
        "        document.getElementById('timeline-summary').innerText,"
        "        c.tagName, c.getBoundingClientRect().width, "
        "c.getBoundingClientRect().height,"
        "        document.getElementById('op-detail').innerText];");
    INFO(page.dump());
    CHECK_THAT(page[0].get<std::string>(), Catch::Contains("demo-register-none"));
    auto [ops, processes] = CountOps(valid_dir + "/history.jsonl");
    CHECK(ops > 100);
    CHECK(page[1] == std::to_string(ops) + " operations on " + std::to_string(processes) +
                         " processes");
    CHECK(page[2] == "CANVAS");
    CHECK(page[3].get<double>() > 100);
    CHECK(page[4].get<double>() > 20);

    // Hover shows an operation.
    std::string detail = HoverSomeOp(browser);
    CHECK((detail.find("read") != std::string::npos ||
           detail.find("write") != std::string::npos));

    // The invalid run's index says so.
    browser.Go(base + "runs/demo-stale-none/" + invalid_run + "/");
    verdict = browser.Run(
        "var v = document.getElementById('verdict'); return v && v.innerText;");
    REQUIRE(verdict.is_string());
    CHECK_THAT(verdict.get<std::string>(), Catch::Contains("invalid"));
  }
  CHECK(driver.Stop(SIGTERM) >= 0);
  // SIGTERM stops the server cleanly: exit code 0 and its goodbye line.
  CHECK(serve.Stop(SIGTERM) == 0);
  CHECK_THAT(ReadFile(serve.log()), Catch::Contains("stopped (SIGTERM)"));
}

TEST_CASE("Headless Chromium draws a 100,000-op timeline and answers the pointer, and the plots",
          "[integration][web][e2e]") {
  ChromeTools chrome;
  if (!chrome.found()) return;
  Reaper reaper;
  TempDir tmp;
  LogsOnFailure logs;
  // 100,000 writes by 20 processes, one every 100 us, each taking 1 ms, and a
  // partition every second: written in time order.
  constexpr int kOps = 100'000, kProcesses = 20;
  std::vector<std::pair<int64_t, std::string>> events;
  for (int k = 0; k < kOps; ++k) {
    int64_t t = int64_t{k} * 100'000;
    events.emplace_back(t, fmt::format(R"({{"type":"invoke","process":{},"f":"write","value":{},"time":{}}})",
                                       k % kProcesses, k, t));
    events.emplace_back(t + 1'000'000, fmt::format(R"({{"type":"{}","process":{},"f":"write","value":{},"time":{}}})",
                                                   k % 97 == 0 ? "fail" : "ok", k % kProcesses, k, t + 1'000'000));
  }
  for (int64_t second = 1; second < 10; ++second) {
    int64_t t = second * 1'000'000'000 + 50'000;
    const char* f = second % 2 == 1 ? "start-partition" : "stop-partition";
    events.emplace_back(t, fmt::format(R"({{"type":"info","process":":nemesis","f":"{}","time":{}}})", f, t));
    events.emplace_back(t + 10'000, fmt::format(R"({{"type":"info","process":":nemesis","f":"{}","time":{}}})", f, t + 10'000));
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  {
    std::ofstream out(tmp.File("big.jsonl"));
    for (const auto& e : events) out << e.second << "\n";
  }
  logs.logs.push_back(tmp.File("check.log"));
  Child check(reaper, {JEPSEN_BIN, "check", "--checker", "stats", "--out", tmp.File("out"), tmp.File("big.jsonl")},
              tmp.File("check.log"));
  REQUIRE(check.started());
  REQUIRE(check.Wait(120s) == 0);
  std::string timeline = tmp.File("out") + "/big.jsonl/timeline.html";
  REQUIRE(fs::exists(timeline));

  logs.logs.push_back(tmp.File("chromedriver.log"));
  Driver driver(reaper, chrome.driver, tmp.File("chromedriver.log"));
  REQUIRE(driver.ready());
  {
    Browser browser(driver.port(), chrome.chromium, tmp.File("chromium-profile"));
    REQUIRE(browser.ok());
    auto start = std::chrono::steady_clock::now();
    browser.Go("file://" + timeline);
    // Not a timing test (report_bench measures): drawn at all, with a generous bound.
    REQUIRE(Eventually(
        [&] {
          return browser.Run("return document.body && document.body.getAttribute('data-ready');") ==
                 "true";
        },
        120s));
    double drawn = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << fmt::format("timeline.html of {} ops ({} MB) drawn in {:.1f} s\n", kOps,
                             fs::file_size(timeline) / 1'000'000, drawn);
    CHECK(browser.Run("return document.getElementById('timeline-summary').innerText;") ==
          fmt::format("{} operations on {} processes", kOps + 9, kProcesses + 1));
    // The page still answers: hovering shows a write, and zooming in redraws.
    std::string detail = HoverSomeOp(browser);
    CHECK(detail.find("write") != std::string::npos);
    json zoomed = browser.Run(
        "var c = document.getElementById('timeline'); var r = c.getBoundingClientRect();"
        "for (var i = 0; i < 10; i++) c.dispatchEvent(new WheelEvent('wheel', {deltaY: -500, "
        "clientX: r.left + r.width / 2, clientY: r.top + 20, bubbles: true, cancelable: true}));"
        "return document.body.getAttribute('data-ready');");
    CHECK(zoomed == "true");
    detail = HoverSomeOp(browser);
    CHECK(detail.find("write") != std::string::npos);

    // The plots are SVG a browser parses and draws: the root is <svg>, no parser error,
    // and the drawing has a size, with the partition bands in it.
    for (const char* svg : {"latency-raw.svg", "latency-quantiles.svg", "rate.svg"}) {
      browser.Go("file://" + tmp.File("out") + "/big.jsonl/" + svg);
      json shown = browser.Run(
          "var r = document.documentElement; var b = r.getBBox ? r.getBBox() : {width: 0, height: 0};"
          "return [r.localName, document.getElementsByTagName('parsererror').length, b.width, b.height,"
          "        document.documentElement.textContent.indexOf('partition') >= 0];");
      INFO(svg << ": " << shown.dump());
      CHECK(shown[0] == "svg");
      CHECK(shown[1] == 0);
      CHECK(shown[2].get<double>() > 100);
      CHECK(shown[3].get<double>() > 100);
      CHECK(shown[4] == true);
    }
  }
  CHECK(driver.Stop(SIGTERM) >= 0);
}

TEST_CASE("jepsen serve and a suite's serve: flags, exit codes and signals",
          "[integration][web][cli]") {
  Reaper reaper;
  TempDir tmp;
  std::string log = tmp.File("out.log");
  auto run = [&](std::vector<std::string> argv) {
    Child c(reaper, argv, log);
    REQUIRE(c.started());
    return c.Wait(20s);
  };
  CHECK(run({JEPSEN_BIN, "serve", "--store", tmp.File("missing"), "--port", "0"}) == 254);
  CHECK_THAT(ReadFile(log),
             Catch::Contains("the store directory") && Catch::Contains("missing"));
  CHECK(run({JEPSEN_BIN, "serve", "--port", "70000"}) == 254);
  CHECK_THAT(ReadFile(log), Catch::Contains("--port must be 0-65535, not 70000"));
  CHECK(run({JEPSEN_BIN, "serve", "stray"}) == 254);
  CHECK(run({JEPSEN_BIN, "serve", "--frob"}) == 254);
  CHECK(run({JEPSEN_BIN, "serve", "--help"}) == 0);
  CHECK_THAT(ReadFile(log), Catch::Contains("--store") && Catch::Contains("--host"));

  // A suite's serve is the same command; a second server on its port cannot bind (255).
  std::string suite_log = tmp.File("suite.log");
  Child suite(
      reaper,
      {JEPSEN_DEMO_SUITE_BIN, "serve", "--store", tmp.path().string(), "--port", "0"},
      suite_log);
  REQUIRE(suite.started());
  std::smatch m;
  std::string out;
  REQUIRE(Eventually(
      [&] {
        out = ReadFile(suite_log);
        return std::regex_search(
            out, m,
            std::regex(
                "demo-suite serve: serving .* at http://127\\.0\\.0\\.1:([0-9]+)/"));
      },
      10s));
  std::string port = m[1];
  CHECK(HttpGet(std::stoi(port), "/").status == 200);
  // Jepsen's short spellings (-b HOST, -p PORT) mean the same.
  CHECK(run({JEPSEN_BIN, "serve", "--store", tmp.path().string(), "-b", "127.0.0.1", "-p",
             port}) == 255);
  CHECK_THAT(ReadFile(log), Catch::Contains("cannot bind 127.0.0.1:" + port));
  CHECK(suite.Stop(SIGINT) == 0);
  CHECK_THAT(ReadFile(suite_log), Catch::Contains("stopped (SIGINT)"));
}

}  // namespace
}  // namespace jepsen::testing
