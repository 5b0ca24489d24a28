#include "jepsen/etcd/suite.h"

#include <algorithm>

#include <fmt/format.h>

#include "jepsen/checker.h"

namespace jepsen::etcd {
namespace {

std::string NemesisLabel(const std::vector<std::string>& faults) {
  std::vector<std::string> named;
  for (const std::string& f : faults) {
    if (!f.empty() && f != "none") named.push_back(f);
  }
  return named.empty() ? "none" : fmt::format("{}", fmt::join(named, "+"));
}

Value StringList(const std::vector<std::string>& v) {
  std::vector<Value> out;
  for (const std::string& s : v) out.push_back(Value::String(s));
  return Value::Vector(std::move(out));
}

}  // namespace

Result<Test> BuildEtcdTest(const CommonOptions& common, const EtcdTestOptions& o) {
  Topology topology = o.db.topology;
  topology.addresses = common.addresses;

  WorkloadOptions wo = o.workload_options;
  wo.topology = topology;
  wo.nodes = common.nodes;
  if (wo.threads_per_key <= 0) wo.threads_per_key = static_cast<int>(common.nodes.size());
  wo.threads_per_key = std::max(1, std::min(wo.threads_per_key, common.concurrency));
  JEPSEN_ASSIGN_OR_RETURN(Workload workload, MakeWorkload(o.workload, wo));

  JEPSEN_ASSIGN_OR_RETURN(NemesisPackage faults,
                          MakeEtcdNemesis({.faults = o.nemesis,
                                           .interval = o.nemesis_interval,
                                           .partition_targets = o.partition_targets,
                                           .packet_loss = o.packet_loss,
                                           .bandwidth = o.bandwidth,
                                           .seed = common.seed}));

  EtcdDbOptions db = o.db;
  db.topology = topology;
  db.sudo = !common.ssh.no_ssh && common.ssh.username != "root";

  Test test;
  test.name = fmt::format("etcd-{}-{}{}", o.workload, NemesisLabel(o.nemesis),
                          wo.serializable_reads ? "-serializable" : "");
  test.nodes = common.nodes;
  test.concurrency = common.concurrency;
  test.time_limit = common.time_limit;
  test.ssh = common.ssh;
  test.os = MakeNoopOs();
  test.db = MakeEtcdDb(db);
  test.client = std::move(workload.client);
  test.nemesis = std::move(faults.nemesis);
  test.generator = gen::TimeLimit(common.time_limit,
                                  gen::ClientsAndNemesis(workload.generator, faults.generator));
  // Heal, let the cluster recover (elect a leader, catch up restarted members), then
  // the workload's final reads.
  std::vector<Gen> final_phases;
  if (!faults.final_generator.empty()) {
    final_phases.push_back(faults.final_generator);
    final_phases.push_back(gen::Nemesis(gen::Sleep(o.recovery_time)));
  }
  if (!workload.final_generator.empty()) final_phases.push_back(workload.final_generator);
  if (!final_phases.empty()) test.final_generator = gen::Phases(std::move(final_phases));
  test.checker = std::move(workload.checker);
  test.nemesis_perf = faults.perf;
  test.options = Value::Map({
      {Value::Keyword("workload"), Value::String(o.workload)},
      {Value::Keyword("nemesis"), StringList(o.nemesis)},
      {Value::Keyword("nemesis-interval-ms"), Value(static_cast<int64_t>(o.nemesis_interval.count()))},
      {Value::Keyword("partition-targets"), StringList(o.partition_targets)},
      {Value::Keyword("packet-loss"), Value(o.packet_loss)},
      {Value::Keyword("bandwidth"), Value::String(o.bandwidth)},
      {Value::Keyword("serializable-reads"), Value::Bool(wo.serializable_reads)},
      {Value::Keyword("rate"), Value::Double(wo.rate)},
      {Value::Keyword("ops-per-key"), Value(wo.ops_per_key)},
      {Value::Keyword("request-timeout-ms"), Value(static_cast<int64_t>(wo.request_timeout.count()))},
  });
  return test;
}

}  // namespace jepsen::etcd
