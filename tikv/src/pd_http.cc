#include "pd_http.h"

#include <fmt/format.h>

#include "jepsen/control/command.h"
#include "jepsen/json.h"

namespace jepsen::tikv {

std::string HealthCommand(const std::string& url) {
  return "curl -fsS -m 5 -o /dev/null " + ShellQuote(url);
}

std::string PdLeaderCommand(const std::string& endpoint) {
  return "curl -fsS -m 5 " + ShellQuote("http://" + endpoint + "/pd/api/v1/leader");
}

std::string AddSchedulerCommand(const std::string& endpoint, const std::string& name) {
  return "curl -fsS -m 5 -X POST -H 'Content-Type: application/json' -d " +
         ShellQuote(fmt::format("{{\"name\":\"{}\"}}", name)) + " " +
         ShellQuote("http://" + endpoint + "/pd/api/v1/schedulers");
}

std::string RemoveSchedulerCommand(const std::string& endpoint, const std::string& name) {
  return "curl -fsS -m 5 -X DELETE " +
         ShellQuote("http://" + endpoint + "/pd/api/v1/schedulers/" + name);
}

namespace {

std::string HostOf(std::string url) {
  if (size_t p = url.find("://"); p != std::string::npos) url = url.substr(p + 3);
  if (size_t slash = url.find('/'); slash != std::string::npos) url = url.substr(0, slash);
  if (size_t colon = url.rfind(':'); colon != std::string::npos) url = url.substr(0, colon);
  return url;
}

}  // namespace

Result<std::string> LeaderNodeFromJson(const std::string& json, const std::vector<std::string>& nodes,
                                       const std::vector<std::string>& endpoints) {
  Result<Value> v = ParseJson(json);
  if (!v.ok() || !v->is_map()) return UnavailableError("PD's leader answer is not JSON: " + json);
  // The client URL is what the leader says of itself; its name is a convention of the
  // suite's own deployment (pdN on the N-th node), which --db existing need not follow.
  const Value* urls = v->Find(Value::String("client_urls"));
  if (urls != nullptr && urls->is_sequential()) {
    for (const Value& u : urls->elements()) {
      if (!u.is_string()) continue;
      std::string host = HostOf(std::string(u.AsString()));
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i] == host) return nodes[i];
        if (!endpoints.empty() && HostOf(endpoints[i % endpoints.size()]) == host) return nodes[i];
      }
    }
  }
  const Value* name = v->Find(Value::String("name"));
  if (name != nullptr && name->is_string()) {
    std::string n(name->AsString());
    if (n.rfind("pd", 0) == 0 && n.size() > 2) {
      size_t i = std::strtoul(n.c_str() + 2, nullptr, 10);
      if (i >= 1 && i <= nodes.size()) return nodes[i - 1];
    }
  }
  return NotFoundError("no node matches PD's leader " + json);
}

Result<std::string> RunPd(Remote& remote, const std::string& command, const std::string& what) {
  JEPSEN_ASSIGN_OR_RETURN(CommandResult r, remote.Exec(command));
  if (r.exit_code != 0) return CommandError(command, r).WithContext(what);
  return r.out;
}

}  // namespace jepsen::tikv
