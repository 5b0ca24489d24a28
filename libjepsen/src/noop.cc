// The no-op implementations of every interface, and small shared helpers.
#include <fmt/format.h>

#include "jepsen/client.h"
#include "jepsen/db.h"
#include "jepsen/nemesis.h"
#include "jepsen/os.h"

namespace jepsen {

Op Complete(const Op& invocation, OpType type, Value value, Value error) {
  Op out = invocation;
  out.index = -1;
  out.time = -1;
  out.type = type;
  out.value = std::move(value);
  out.error = std::move(error);
  return out;
}

namespace {

class NoopClient : public Client {
 public:
  Result<std::unique_ptr<Client>> Open(const Test&, const std::string&) override {
    return std::unique_ptr<Client>(std::make_unique<NoopClient>());
  }
  Op Invoke(const Test&, const Op& op) override { return CompleteOk(op); }
};

class NoopDb : public Db {
 public:
  Status Setup(const Test&, const std::string&) override { return OkStatus(); }
  Status Teardown(const Test&, const std::string&) override { return OkStatus(); }
};

class NoopOs : public Os {
 public:
  Status Setup(const Test&, const std::string&) override { return OkStatus(); }
  Status Teardown(const Test&, const std::string&) override { return OkStatus(); }
};

class NoopNemesis : public Nemesis {
 public:
  Op Invoke(const Test&, const Op& op) override {
    return Complete(op, OpType::kInfo, op.value);
  }
  std::vector<std::string> Fs() const override { return {}; }
};

class ComposedNemesis : public Nemesis {
 public:
  explicit ComposedNemesis(std::vector<std::unique_ptr<Nemesis>> nemeses)
      : nemeses_(std::move(nemeses)) {}

  Status Setup(const Test& test) override {
    for (auto& n : nemeses_) JEPSEN_RETURN_IF_ERROR(n->Setup(test));
    return OkStatus();
  }
  Op Invoke(const Test& test, const Op& op) override {
    for (auto& n : nemeses_) {
      for (const std::string& f : n->Fs()) {
        if (op.f.IsNamed(f)) return n->Invoke(test, op);
      }
    }
    return Complete(op, OpType::kInfo, op.value,
                    Value::String(fmt::format("no nemesis handles {}", op.f)));
  }
  Status Teardown(const Test& test) override {
    Status first;
    for (auto& n : nemeses_) {
      Status s = n->Teardown(test);
      if (first.ok() && !s.ok()) first = s;
    }
    return first;
  }
  std::vector<std::string> Fs() const override {
    std::vector<std::string> fs;
    for (auto& n : nemeses_) {
      for (auto& f : n->Fs()) fs.push_back(f);
    }
    return fs;
  }

 private:
  std::vector<std::unique_ptr<Nemesis>> nemeses_;
};

}  // namespace

std::unique_ptr<Client> MakeNoopClient() { return std::make_unique<NoopClient>(); }
std::unique_ptr<Db> MakeNoopDb() { return std::make_unique<NoopDb>(); }
std::unique_ptr<Os> MakeNoopOs() { return std::make_unique<NoopOs>(); }
std::unique_ptr<Nemesis> MakeNoopNemesis() { return std::make_unique<NoopNemesis>(); }
std::unique_ptr<Nemesis> ComposeNemeses(std::vector<std::unique_ptr<Nemesis>> nemeses) {
  return std::make_unique<ComposedNemesis>(std::move(nemeses));
}

}  // namespace jepsen
