// Private file helpers shared by the reports and the checkers that write pages.
#ifndef JEPSEN_SRC_FILE_UTIL_H_
#define JEPSEN_SRC_FILE_UTIL_H_

#include <filesystem>
#include <string>

#include "jepsen/status.h"

namespace jepsen {

// Writes `text` to `path` through `path`.tmp and a rename, so a reader never sees half
// a file. Errors (kIoError) name the file.
Status WriteFileAtomically(const std::filesystem::path& path, const std::string& text);

}  // namespace jepsen

#endif  // JEPSEN_SRC_FILE_UTIL_H_
