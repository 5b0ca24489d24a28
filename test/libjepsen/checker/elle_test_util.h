// Helpers shared by the Elle checker tests.
#ifndef JEPSEN_TEST_LIBJEPSEN_CHECKER_ELLE_TEST_UTIL_H_
#define JEPSEN_TEST_LIBJEPSEN_CHECKER_ELLE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "jepsen/checker/elle_list_append.h"
#include "jepsen/checker/elle_rw_register.h"
#include "support/elle_histories.h"

namespace jepsen::testing {

inline elle::ElleOptions ModelOptions(const std::vector<std::string>& models) {
  Result<elle::ElleOptions> o = elle::ParseElleOptions(models, {});
  JEPSEN_CHECK(o.ok(), "{}", o.status().message());
  return *o;
}

inline CheckResult CheckListAppend(const History& h,
                                   const std::vector<std::string>& models = {}) {
  return elle::MakeListAppendChecker(ModelOptions(models))->Check({}, h);
}

inline CheckResult CheckRwRegister(const History& h,
                                   const std::vector<std::string>& models = {}) {
  return elle::MakeRwRegisterChecker(ModelOptions(models))->Check({}, h);
}

// The :anomaly-types of a result, as names: "G1c G-single".
inline std::string Types(const CheckResult& r) {
  std::string out;
  if (const Value* types = r.details.Find("anomaly-types")) {
    for (const Value& t : types->elements()) out += (out.empty() ? "" : " ") + std::string(t.AsString());
  }
  return out;
}

// The :not models of a result, as names.
inline std::string Not(const CheckResult& r) {
  std::string out;
  if (const Value* models = r.details.Find("not")) {
    for (const Value& m : models->elements()) out += (out.empty() ? "" : " ") + std::string(m.AsString());
  }
  return out;
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_LIBJEPSEN_CHECKER_ELLE_TEST_UTIL_H_
