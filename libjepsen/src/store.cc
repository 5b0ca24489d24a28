#include "jepsen/store.h"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "jepsen/edn.h"
#include "jepsen/json.h"

namespace jepsen {
namespace fs = std::filesystem;

namespace {

std::string StartName(std::chrono::system_clock::time_point start) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(start.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm parts;
  gmtime_r(&secs, &parts);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%S", &parts);
  return fmt::format("{}.{:03d}Z", buf, static_cast<int>(ms % 1000));
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return IoError(fmt::format("cannot write {}", path));
  return OkStatus();
}

// Replaces `link` with a relative symlink to `target`, atomically.
Status Relink(const fs::path& link, const fs::path& target) {
  std::error_code ec;
  fs::path tmp = link;
  tmp += ".tmp";
  fs::remove(tmp, ec);
  fs::create_directory_symlink(fs::relative(target, link.parent_path(), ec), tmp, ec);
  if (ec) return IoError(fmt::format("cannot link {}: {}", link.string(), ec.message()));
  fs::rename(tmp, link, ec);
  if (ec) return IoError(fmt::format("cannot link {}: {}", link.string(), ec.message()));
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Create(const std::string& base, const std::string& test_name,
                                             std::chrono::system_clock::time_point start) {
  fs::path dir = fs::path(base) / test_name / StartName(start);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  return std::unique_ptr<Store>(new Store(base, test_name, dir.string()));
}

Store::Store(std::string base, std::string test_name, std::string dir)
    : base_(std::move(base)), test_name_(std::move(test_name)), dir_(std::move(dir)) {}

Store::~Store() { (void)CloseHistory(); }

Status Store::OpenHistory() {
  for (HistoryFormat f : {HistoryFormat::kJsonl, HistoryFormat::kEdn, HistoryFormat::kTxt}) {
    std::string path = fmt::format("{}/history.{}", dir_, HistoryFormatName(f));
    JEPSEN_ASSIGN_OR_RETURN(auto writer,
                            HistoryWriter::Open(path, f, {.flush_each_op = false}));
    writers_.push_back(std::move(writer));
  }
  writer_ = std::thread([this] { WriterLoop(); });
  return OkStatus();
}

void Store::Record(const Op& op) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(op);
  if (queue_.size() == 1) cv_.notify_one();
}

void Store::WriterLoop() {
  std::vector<Op> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty() && closing_) return;
      batch.swap(queue_);
    }
    Status status;
    for (auto& w : writers_) {
      for (const Op& op : batch) {
        Status s = w->Write(op);
        if (status.ok() && !s.ok()) status = s;
      }
      Status s = w->Flush();  // one write per file per batch: whole lines only
      if (status.ok() && !s.ok()) status = s;
    }
    batch.clear();
    if (!status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (write_status_.ok()) write_status_ = status;
    }
    // Let a few more ops gather: fewer, larger writes.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

Status Store::CloseHistory() {
  if (!writer_.joinable()) return OkStatus();
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  cv_.notify_one();
  writer_.join();
  Status status;
  for (auto& w : writers_) {
    Status s = w->Close();
    if (status.ok() && !s.ok()) status = s;
  }
  writers_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  return write_status_.ok() ? status : write_status_;
}

Status Store::WriteEdn(const std::string& name, const Value& v) const {
  return WriteText(dir_ + "/" + name, v.ToEdn() + "\n");
}

Status Store::WriteJson(const std::string& name, const Value& v) const {
  std::string text;
  AppendPlainJson(text, v);
  return WriteText(dir_ + "/" + name, text + "\n");
}

Status Store::WriteResults(const CheckResult& result) const {
  Value v = result.ToValue();
  JEPSEN_RETURN_IF_ERROR(WriteEdn("results.edn", v));
  return WriteJson("results.json", v);
}

Result<std::string> Store::NodeDir(const std::string& node) const {
  fs::path dir = fs::path(dir_) / node;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  return dir.string();
}

Status Store::UpdateLatest() const {
  JEPSEN_RETURN_IF_ERROR(Relink(fs::path(base_) / test_name_ / "latest", dir_));
  return Relink(fs::path(base_) / "latest", dir_);
}

Result<StoredRun> LoadRun(const std::string& dir) {
  std::error_code ec;
  fs::path real = fs::canonical(dir, ec);
  if (ec) return NotFoundError(fmt::format("no stored run at {}: {}", dir, ec.message()));
  StoredRun run{.dir = real.string()};
  std::string history = (real / "history.jsonl").string();
  if (!fs::exists(history)) history = (real / "history.edn").string();
  HistoryReadReport report;
  JEPSEN_ASSIGN_OR_RETURN(run.history, ReadHistoryFile(history, {}, &report));
  std::ifstream in(real / "test.json");
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    JEPSEN_ASSIGN_OR_RETURN(run.test,
                            ParseJson(ss.str(), {.source = (real / "test.json").string()}));
  }
  return run;
}

}  // namespace jepsen
