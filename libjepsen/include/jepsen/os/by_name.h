// The OS setup named by the suites' `--os` flag: none, debian or centos.
//
//   JEPSEN_ASSIGN_OR_RETURN(test.os, MakeOsByName("debian", addresses, /*sudo=*/false));
//
// Thread safety: a pure factory.
#ifndef JEPSEN_OS_BY_NAME_H_
#define JEPSEN_OS_BY_NAME_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/os.h"
#include "jepsen/status.h"

namespace jepsen {

// The names MakeOsByName accepts, for --help and messages.
std::vector<std::string> OsNames();

// "none" (MakeNoopOs), "debian" or "centos" with their default packages, writing
// /etc/hosts from `addresses` (nodes not listed are resolved on this machine).
// Errors: kInvalidArgument naming the unknown OS and the known ones.
Result<std::unique_ptr<Os>> MakeOsByName(
    std::string_view name, const std::map<std::string, std::string>& addresses,
    bool sudo);

}  // namespace jepsen

#endif  // JEPSEN_OS_BY_NAME_H_
