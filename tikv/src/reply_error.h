// Private: conversion of the generated tikv.error.Error into ReplyError, so that no
// public header depends on protobuf.
#ifndef JEPSEN_TIKV_SRC_REPLY_ERROR_H_
#define JEPSEN_TIKV_SRC_REPLY_ERROR_H_

#include "jepsen/tikv/outcome.h"
#include "tikv/error.pb.h"

namespace jepsen::tikv {

inline ReplyError FromProto(const ::tikv::error::Error& e) {
  return {.undetermined = e.undetermined(),
          .not_found = e.not_found(),
          .aborted = e.aborted()};
}

}  // namespace jepsen::tikv

#endif  // JEPSEN_TIKV_SRC_REPLY_ERROR_H_
