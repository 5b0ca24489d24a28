#include "jepsen/checker/timeline.h"

#include <filesystem>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "jepsen/report/pages.h"
#include "jepsen/report/perf.h"
#include "file_util.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;

constexpr size_t kListedFiles = 100;

// Creates the page's directory (independent/<key>/), then writes it.
Status WritePage(const fs::path& path, const std::string& html) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  return WriteFileAtomically(path, html);
}

// A key as a directory name: its EDN text, with anything but [A-Za-z0-9._-] as '_'.
std::string KeyDir(const Value& key) {
  std::string name = fmt::format("{}", key);
  for (char& c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
    if (!plain) c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "_" + name;
  return name;
}

bool IsTuple(const Value& v) { return v.is_sequential() && v.size() == 2; }

// Each key's client ops, values unwrapped, in history order. An invocation decides
// the key; its completion follows it (whatever its value: a failed op may carry none).
struct Split {
  std::vector<Value> keys;  // first-seen order
  std::vector<History> histories;
  int64_t skipped = 0;
};

Split SplitByKey(const History& history) {
  Split s;
  std::unordered_map<Value, size_t, ValueHash> slot_of;
  std::unordered_map<size_t, size_t> slot_of_invocation;  // position -> slot
  for (size_t pos = 0; pos < history.size(); ++pos) {
    const Op& op = history[pos];
    if (op.is_nemesis()) continue;
    size_t slot;
    if (op.is_invoke()) {
      if (!IsTuple(op.value)) {
        ++s.skipped;
        continue;
      }
      auto [it, fresh] = slot_of.try_emplace(op.value[0], s.keys.size());
      if (fresh) {
        s.keys.push_back(op.value[0]);
        s.histories.emplace_back();
      }
      slot = it->second;
      slot_of_invocation[pos] = slot;
    } else {
      int64_t inv = history.Partner(pos);
      auto it = inv == History::kNoPartner ? slot_of_invocation.end()
                                           : slot_of_invocation.find(static_cast<size_t>(inv));
      if (it == slot_of_invocation.end()) {
        ++s.skipped;
        continue;
      }
      slot = it->second;
    }
    Op copy = op;
    if (IsTuple(op.value) && op.value[0] == s.keys[slot]) copy.value = op.value[1];
    // Appending a subsequence of a valid history keeps it valid (indices increase,
    // each process's invocations and completions alternate).
    (void)s.histories[slot].Append(std::move(copy));
  }
  return s;
}

class TimelineChecker : public Checker {
 public:
  explicit TimelineChecker(TimelineCheckerOptions options) : options_(std::move(options)) {}

  CheckResult Check(const CheckContext& context, const History& history) override {
    std::vector<Value> files;
    Status first;
    std::vector<MapEntry> details;
    auto write = [&](const std::string& file, const std::string& html) {
      Status s = WritePage(fs::path(context.out_dir) / file, html);
      if (!s.ok()) {
        if (first.ok()) first = s;
      } else if (files.size() < kListedFiles) {
        files.push_back(Value::String(file));
      }
    };
    if (!context.out_dir.empty()) {
      std::vector<FaultInterval> faults = FaultIntervals(history, options_.nemesis_perf);
      if (!options_.independent) {
        write("timeline.html", TimelineHtml(history, faults, options_.test_name));
      } else {
        Split split = SplitByKey(history);
        for (size_t i = 0; i < split.keys.size(); ++i) {
          if (context.cancel != nullptr && context.cancel->load()) break;
          std::string title = options_.test_name.empty()
                                  ? fmt::format("key {}", split.keys[i])
                                  : fmt::format("{} key {}", options_.test_name, split.keys[i]);
          write("independent/" + KeyDir(split.keys[i]) + "/timeline.html",
                TimelineHtml(split.histories[i], faults, title));
        }
        details.push_back({Value::Keyword("key-count"), static_cast<int64_t>(split.keys.size())});
        details.push_back({Value::Keyword("skipped-ops"), split.skipped});
      }
    }
    details.insert(details.begin(), {Value::Keyword("files"), Value::Vector(std::move(files))});
    if (!first.ok()) details.push_back({Value::Keyword("error"), Value::String(first.message())});
    return {.validity = Validity::kValid, .details = Value::Map(std::move(details))};
  }

 private:
  const TimelineCheckerOptions options_;
};

}  // namespace

std::unique_ptr<Checker> MakeTimelineChecker(TimelineCheckerOptions options) {
  return std::make_unique<TimelineChecker>(std::move(options));
}

}  // namespace jepsen
