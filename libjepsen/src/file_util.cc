#include "file_util.h"

#include <fstream>

#include <fmt/format.h>

namespace jepsen {

Status WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) return IoError(fmt::format("cannot write {}", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return IoError(fmt::format("cannot rename {}: {}", tmp.string(), ec.message()));
  return OkStatus();
}

}  // namespace jepsen
