#include "jepsen/os/by_name.h"

#include <fmt/format.h>

#include "jepsen/os/centos.h"
#include "jepsen/os/debian.h"

namespace jepsen {

std::vector<std::string> OsNames() { return {"none", "debian", "centos"}; }

Result<std::unique_ptr<Os>> MakeOsByName(
    std::string_view name, const std::map<std::string, std::string>& addresses,
    bool sudo) {
  if (name == "none") return MakeNoopOs();
  if (name == "debian") return MakeDebianOs({.addresses = addresses, .sudo = sudo});
  if (name == "centos") return MakeCentosOs({.addresses = addresses, .sudo = sudo});
  return InvalidArgumentError(
      fmt::format("--os must be one of {}, not '{}'", fmt::join(OsNames(), ", "), name));
}

}  // namespace jepsen
