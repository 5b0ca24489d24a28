#include <string>

#include "file_register.h"
#include "jepsen/control/command.h"
#include "jepsen/generator/independent.h"

namespace my_suite {
namespace {

using namespace jepsen;

// Exit code of the cas script when the register does not hold the expected value.
constexpr int kMismatch = 3;

class FileRegisterClient : public Client {
 public:
  explicit FileRegisterClient(RegisterOptions options) : options_(std::move(options)) {}

  // Each worker thread gets its own client. This one holds no connection: it reaches
  // a key's owner through the test's remotes at every op.
  Result<std::unique_ptr<Client>> Open(const Test&, const std::string&) override {
    return std::unique_ptr<Client>(std::make_unique<FileRegisterClient>(options_));
  }

  Op Invoke(const Test& test, const Op& op) override {
    std::optional<std::pair<Value, Value>> kv = SplitKeyedValue(op.value);
    if (!kv) return CompleteFail(op, Value::String("expected a [key value] op"));
    const auto& [key, value] = *kv;
    Remote& node = *test.RemoteFor(OwnerOf(test, key.AsInt()));
    const std::string file = options_.dir + "/register-" + std::to_string(key.AsInt());

    if (op.f.IsNamed("read")) {
      Result<CommandResult> r = node.Exec("cat " + ShellQuote(file) + " 2>/dev/null");
      // A read changes nothing, so a failed one definitely did not happen.
      if (!r.ok()) return CompleteFail(op, Value::String(r.status().message()));
      Value read = r->out.empty() ? Value() : Value(std::stoll(r->out));
      return CompleteOk(op, KeyedValue(key, read));
    }
    std::string script;
    if (op.f.IsNamed("write")) {
      script = Replace(file, value.AsInt());
    } else if (op.f.IsNamed("cas")) {
      const int64_t expected = value.elements()[0].AsInt();
      script = "[ \"$(cat " + ShellQuote(file) +
               " 2>/dev/null)\" = " + std::to_string(expected) + " ] || exit " +
               std::to_string(kMismatch) + "; " +
               Replace(file, value.elements()[1].AsInt());
    } else {
      return CompleteFail(op, Value::String("unknown op"));
    }
    Result<CommandResult> r = node.Exec(Locked(file, script));
    // The write may or may not have happened: the checker must consider both.
    if (!r.ok()) return CompleteInfo(op, Value::String(r.status().message()));
    if (r->exit_code == kMismatch)
      return CompleteFail(op, Value::Keyword("value-mismatch"));
    if (r->exit_code != 0) return CompleteInfo(op, Value::String(r->err));
    return CompleteOk(op);
  }

 private:
  // Shell text replacing the file's content with `v`: written beside it, then renamed
  // over it, so a reader sees the old value or the new one, never a partial file.
  // Unsafe: written in place (a reader may see an empty file).
  std::string Replace(const std::string& file, int64_t v) const {
    const std::string q = ShellQuote(file);
    if (options_.unsafe) return "echo " + std::to_string(v) + " > " + q;
    return "echo " + std::to_string(v) + " > " + q + ".tmp && mv " + q + ".tmp " + q;
  }

  // The script under the key's lock, so a cas is atomic. Unsafe: no lock.
  std::string Locked(const std::string& file, const std::string& script) const {
    if (options_.unsafe) return script;
    return Command{.argv = {"flock", file + ".lock", "sh", "-c", script}}.Render();
  }

  RegisterOptions options_;
};

}  // namespace

std::unique_ptr<Client> MakeFileRegisterClient(RegisterOptions options) {
  return std::make_unique<FileRegisterClient>(std::move(options));
}

}  // namespace my_suite
