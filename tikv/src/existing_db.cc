// --db existing: a cluster deployed by someone else. Nothing is installed or torn
// down; PD's HTTP API is reached at the given endpoints from the first node's remote
// (with --no-ssh, from this machine).
#include "jepsen/tikv/db.h"
#include "pd_http.h"

namespace jepsen::tikv {
namespace {

class ExistingDb : public Db, public HasPrimaries, public PdControl {
 public:
  explicit ExistingDb(std::vector<std::string> endpoints) : endpoints_(std::move(endpoints)) {}

  Status Setup(const Test& test, const std::string& node) override {
    test.log().Info("{}: using the existing cluster (PD {})", node, Endpoint(test));
    return OkStatus();
  }
  Status Teardown(const Test&, const std::string&) override { return OkStatus(); }

  Result<std::string> PdLeaderNode(const Test& test) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * r, AnyRemote(test));
    JEPSEN_ASSIGN_OR_RETURN(std::string json,
                            RunPd(*r, PdLeaderCommand(Endpoint(test)), "asking PD for its leader"));
    return LeaderNodeFromJson(json, test.nodes, Endpoints(test));
  }
  Status AddScheduler(const Test& test, const std::string& name) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * r, AnyRemote(test));
    return RunPd(*r, AddSchedulerCommand(Endpoint(test), name), "adding PD scheduler " + name).status();
  }
  Status RemoveScheduler(const Test& test, const std::string& name) override {
    JEPSEN_ASSIGN_OR_RETURN(Remote * r, AnyRemote(test));
    return RunPd(*r, RemoveSchedulerCommand(Endpoint(test), name), "removing PD scheduler " + name)
        .status();
  }
  Result<std::vector<std::string>> Primaries(const Test& test) override {
    JEPSEN_ASSIGN_OR_RETURN(std::string leader, PdLeaderNode(test));
    return std::vector<std::string>{leader};
  }

 private:
  std::vector<std::string> Endpoints(const Test& test) const {
    if (!endpoints_.empty()) return endpoints_;
    std::vector<std::string> out;
    for (const auto& n : test.nodes) out.push_back(n + ":2379");
    return out;
  }
  std::string Endpoint(const Test& test) const { return Endpoints(test).front(); }
  static Result<Remote*> AnyRemote(const Test& test) {
    Remote* r = test.nodes.empty() ? nullptr : test.RemoteFor(test.nodes.front());
    if (r == nullptr) return FailedPreconditionError("no remote to reach PD from");
    return r;
  }

  std::vector<std::string> endpoints_;
};

}  // namespace

std::unique_ptr<Db> MakeExistingDb(std::vector<std::string> pd_endpoints) {
  return std::make_unique<ExistingDb>(std::move(pd_endpoints));
}

}  // namespace jepsen::tikv
