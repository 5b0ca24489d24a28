// Reads a history from text with the installed library and checks what it got.
#include <cstdio>

#include "jepsen/history_io.h"

int main() {
  jepsen::Result<jepsen::History> h = jepsen::ParseHistory(
      "{:type :invoke, :process 0, :f :read, :value nil}\n"
      "{:type :ok, :process 0, :f :read, :value 1}\n");
  if (!h.ok()) {
    std::fprintf(stderr, "consumer: %s\n", h.status().ToString().c_str());
    return 1;
  }
  if (h->size() != 2 || h->Completion(0)->value.AsInt() != 1) {
    std::fprintf(stderr, "consumer: unexpected history\n");
    return 1;
  }
  std::printf("consumer: read %zu ops through find_package(jepsen)\n", h->size());
  return 0;
}
