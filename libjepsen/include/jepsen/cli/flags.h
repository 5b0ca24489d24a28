// FlagSet: declarative command-line options for the apps and suite mains.
//
//   std::string model;
//   bool json = false;
//   FlagSet flags("jepsen check --checker NAME [options] FILE...");
//   flags.String("model", &model, "NAME", "the model to check against");
//   flags.Bool("json", &json, "print one JSON object per file");
//   Result<std::vector<std::string>> files = flags.Parse(args);
//   if (!files.ok()) { print files.status().message() and flags.Help(); exit 254 }
//
// Accepts --name value, --name=value, repeated list flags and comma-separated lists,
// and -- to end the options. Errors name the flag and what it expected.
//
// Thread safety: none; build and parse on one thread.
#ifndef JEPSEN_CLI_FLAGS_H_
#define JEPSEN_CLI_FLAGS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/status.h"

namespace jepsen {

class FlagSet {
 public:
  explicit FlagSet(std::string usage) : usage_(std::move(usage)) {}

  // Each registers --name, writing into *out (borrowed; must outlive Parse). The value
  // already in *out is the default, shown in Help().
  void Bool(std::string name, bool* out, std::string help);
  void String(std::string name, std::string* out, std::string metavar, std::string help);
  void Int(std::string name, int64_t* out, std::string metavar, std::string help);
  void Double(std::string name, double* out, std::string metavar, std::string help);
  // Comma-separated; repeating the flag appends.
  void List(std::string name, std::vector<std::string>* out, std::string metavar,
            std::string help);
  // A flag with its own parser; `parse` returns an error message or "".
  void Custom(std::string name, std::function<std::string(std::string_view)> parse,
              std::string metavar, std::string help, std::string default_text = "");

  // Parses `args` (without the program name); returns the positional arguments.
  // --help or -h sets help_requested() and stops.
  Result<std::vector<std::string>> Parse(const std::vector<std::string>& args);
  bool help_requested() const { return help_requested_; }
  // True if --name appeared on the command line.
  bool WasSet(std::string_view name) const;

  // Usage line, then one line per flag.
  std::string Help() const;

 private:
  struct Flag {
    std::string name;
    std::string metavar;  // empty for booleans
    std::string help;
    std::string default_text;
    std::function<std::string(std::string_view)> parse;
    bool is_bool = false;
    bool* bool_out = nullptr;
  };
  Flag* Find(std::string_view name);

  std::string usage_;
  std::vector<Flag> flags_;
  std::vector<std::string> set_;
  bool help_requested_ = false;
};

}  // namespace jepsen

#endif  // JEPSEN_CLI_FLAGS_H_
