// Shared by the OS setups: package-name checks and privileged command rendering.
#ifndef JEPSEN_SRC_OS_OS_UTIL_H_
#define JEPSEN_SRC_OS_OS_UTIL_H_

#include <string>
#include <vector>

#include "jepsen/status.h"

namespace jepsen::os_internal {

// OK if every name looks like a package (letters, digits, + - . _ ~ : =), so nothing
// odd reaches a package manager's command line. `manager` names it in the error.
Status CheckPackageNames(const std::vector<std::string>& packages, const char* manager);

// A package argument without its "=version" part, as the package databases name it.
std::string PackageName(const std::string& package);

// How long to wait for jepsen's package lock and the package manager's own lock.
inline constexpr int kLockWaitSeconds = 600;

}  // namespace jepsen::os_internal

#endif  // JEPSEN_SRC_OS_OS_UTIL_H_
