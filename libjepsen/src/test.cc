#include "jepsen/test.h"

#include "jepsen/control/command.h"

namespace jepsen {

Logger& Test::log() const {
  static Logger* fallback = new Logger();  // stderr only, for tests without a runner
  return logger ? *logger : *fallback;
}

std::string Test::NodeFor(int thread) const {
  if (nodes.empty() || thread < 0) return "";
  return nodes[static_cast<size_t>(thread) % nodes.size()];
}

Remote* Test::RemoteFor(const std::string& node) const {
  auto it = remotes.find(node);
  return it == remotes.end() ? nullptr : it->second.get();
}

std::string Test::AsRoot(const std::string& line) const {
  if (!NodeCommandsNeedSudo()) return line;
  return Command{.sudo = true, .raw_suffix = line}.Render();
}

}  // namespace jepsen
