#include "serve_command.h"

#include "jepsen/web/serve.h"

namespace jepsen::app {

// The command itself is the library's, so every suite app's `serve` behaves the same.
int RunServeCommand(const std::vector<std::string>& args) {
  return web::ServeMain("jepsen serve", args);
}

}  // namespace jepsen::app
