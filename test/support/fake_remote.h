// A Remote that records commands and serves downloads from a map of file contents.
#ifndef JEPSEN_TEST_SUPPORT_FAKE_REMOTE_H_
#define JEPSEN_TEST_SUPPORT_FAKE_REMOTE_H_

#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "jepsen/remote.h"

namespace jepsen::testing {

class FakeRemote : public Remote {
 public:
  explicit FakeRemote(std::map<std::string, std::string> files = {}) : files_(std::move(files)) {}

  Result<CommandResult> Exec(const std::string& command) override {
    std::lock_guard<std::mutex> lock(mu_);
    commands_.push_back(command);
    return CommandResult{};
  }
  Status Upload(const std::string& local, const std::string& remote) override {
    std::lock_guard<std::mutex> lock(mu_);
    commands_.push_back("upload " + local + " " + remote);
    return OkStatus();
  }
  Status Download(const std::string& remote, const std::string& local) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(remote);
    if (it == files_.end()) return NotFoundError("no such file " + remote);
    std::ofstream(local) << it->second;
    return OkStatus();
  }
  std::vector<std::string> commands() {
    std::lock_guard<std::mutex> lock(mu_);
    return commands_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::vector<std::string> commands_;  // guarded by mu_
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_SUPPORT_FAKE_REMOTE_H_
