#include "file_register.h"
#include "jepsen/control/command.h"

namespace my_suite {
namespace {

using namespace jepsen;

class FileRegisterDb : public Db {
 public:
  explicit FileRegisterDb(RegisterOptions options) : options_(std::move(options)) {}

  Status Setup(const Test& test, const std::string& node) override {
    // Nodes may share a filesystem (--no-ssh): wait until every node has torn down
    // before creating anything, or one node's teardown would remove another's setup.
    if (test.barrier) JEPSEN_RETURN_IF_ERROR(test.barrier());
    return Run(*test.RemoteFor(node), Command{.argv = {"mkdir", "-p", options_.dir}})
        .status();
  }

  Status Teardown(const Test& test, const std::string& node) override {
    return Run(*test.RemoteFor(node), Command{.argv = {"rm", "-rf", options_.dir}})
        .status();
  }

 private:
  RegisterOptions options_;
};

}  // namespace

std::string OwnerOf(const Test& test, int64_t key) {
  return test.nodes[static_cast<size_t>(key) % test.nodes.size()];
}

std::unique_ptr<Db> MakeFileRegisterDb(RegisterOptions options) {
  return std::make_unique<FileRegisterDb>(std::move(options));
}

}  // namespace my_suite
