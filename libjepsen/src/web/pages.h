// The results browser's generated pages: the run list, directory listings and error
// pages, as complete HTML documents.
//
// Thread safety: pure functions.
#ifndef JEPSEN_WEB_PAGES_H_
#define JEPSEN_WEB_PAGES_H_

#include <string>
#include <vector>

#include "jepsen/web/run_index.h"

namespace jepsen::web {

// The front page: every run, newest first (as given), with its verdict.
std::string RenderRunList(const std::vector<RunInfo>& runs, const std::string& store_dir);

// A directory of the store: `segments` are its path below the store root, `dir` its
// canonical path, `root` the store's. Subdirectories first, then files, by name; names
// starting with '.' and symlinks leading out of `root` are left out, as the server
// refuses them.
std::string RenderDirectory(const std::vector<std::string>& segments,
                            const std::string& dir, const std::string& root);

// An error page saying `reason`.
std::string RenderError(int status, const std::string& reason);

// "/runs/a/b/" for segments {a, b} (each segment %-encoded), with a trailing slash.
std::string RunsUrl(const std::vector<std::string>& segments);

}  // namespace jepsen::web

#endif  // JEPSEN_WEB_PAGES_H_
