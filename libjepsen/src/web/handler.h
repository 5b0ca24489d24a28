// Handler: answers one parsed request on a connection (routing, files, listings, zips,
// errors). The server's workers share one Handler.
//
// Thread safety: Handle may run on many threads at once (the run index locks itself).
#ifndef JEPSEN_WEB_HANDLER_H_
#define JEPSEN_WEB_HANDLER_H_

#include <string>

#include "connection.h"
#include "jepsen/web/http.h"
#include "jepsen/web/run_index.h"

namespace jepsen::web {

class Handler {
 public:
  // `root`: the store directory, canonical; `display_root`: as the user named it.
  Handler(std::string root, std::string display_root);

  struct Outcome {
    int status = 0;           // the status answered
    bool keep_alive = false;  // false: close the connection (asked, or a write failed)
  };

  // Answers `request` on `conn`.
  Outcome Handle(Connection& conn, const HttpRequest& request);

  // Answers an error page; `keep_alive` false adds "Connection: close".
  static Outcome SendError(Connection& conn, int status, const std::string& reason,
                           bool keep_alive, bool head_only = false);

 private:
  Outcome ServeStorePath(Connection& conn, const HttpRequest& request, bool keep_alive,
                         bool head_only, const std::vector<std::string>& segments,
                         bool trailing_slash);
  Outcome ServeFile(Connection& conn, const HttpRequest& request, bool keep_alive,
                    bool head_only, const std::string& path);
  Outcome ServeZip(Connection& conn, const HttpRequest& request, bool keep_alive,
                   bool head_only, const std::vector<std::string>& segments,
                   const std::string& dir);

  std::string root_;
  std::string display_root_;
  RunIndex index_;
};

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_HANDLER_H_
