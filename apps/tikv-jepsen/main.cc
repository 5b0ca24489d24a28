// tikv-jepsen: the TiKV suite's command line (docs/tikv.md).
#include "jepsen/tikv/suite.h"

int main(int argc, char** argv) { return jepsen::tikv::TikvMain(argc, argv); }
