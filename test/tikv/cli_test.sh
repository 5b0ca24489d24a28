#!/usr/bin/env bash
# The tikv-jepsen command line end to end: help, the seed's short flags, bad flags,
# analyze, and a missing client server program.
# usage: cli_test.sh TIKV_JEPSEN TIKV_TEST_SERVER
set -u
bin=$1
server=$2
. "$(dirname "$0")/../cli/testlib.sh"

expect 0 "help" -- "$bin" test --help
for flag in --version --workload --rate --ops-per-key --nemesis-interval --nemesis \
            --nemesis-long-recovery --nemesis-schedule --final-recovery-time --txn-mode \
            --db --pd-endpoints --rpc-server --tarball-url --client-timeout; do
  contains "$tmp/out" "$flag"
done
expect 254 "unknown nemesis" -- "$bin" test --version v4.0.9 --nemesis partition,clock
contains "$tmp/err" "unknown failure type 'clock'"
expect 254 "no version for a managed cluster" -- "$bin" test
contains "$tmp/err" "--db tikv needs --version"
expect 254 "bad schedule" -- "$bin" test --version v4.0.9 --nemesis-schedule sometimes
contains "$tmp/err" "either 'fixed' or 'random'"

expect 254 "no partitions of this machine" -- "$bin" test --db existing --no-ssh --nemesis partition-one
contains "$tmp/err" "with --no-ssh it would act on this machine"

expect 254 "no process faults on a cluster the suite did not deploy" -- "$bin" test --db existing --nemesis kill-kv
contains "$tmp/err" "with --db existing there are none"
expect 254 "register needs 10 threads per key" -- "$bin" test --db existing --no-ssh --workload register --concurrency 5
contains "$tmp/err" "--concurrency must be at least 10 (got 5"

export TIKV_TEST_SERVER_STORE="$tmp/kv.store"
expect 0 "a run with the seed's short flags" -- "$bin" test --db existing --no-ssh \
  --rpc-server "$server" -n n1 -n n2 -w register -r 40 --ops-per-key 30 --concurrency 10 \
  --time-limit 2 --store "$tmp/store" --seed 3
contains "$tmp/out" "tikv-register-none: valid"
grep -q '"workload":"register"' "$tmp/store/latest/test.json" || { echo "FAIL: options not stored"; failures=$((failures + 1)); }
grep -q 'rpc-server n2: serving tikv.raw' "$tmp/store/latest/jepsen.log" || { echo "FAIL: server stderr not in the log"; failures=$((failures + 1)); }
test -f "$tmp/store/latest/latency-raw.svg" || { echo "FAIL: no perf plot"; failures=$((failures + 1)); }
expect 0 "--pd-endpoints: node i's client server gets endpoint i mod count" -- "$bin" test \
  --db existing --no-ssh --rpc-server "$server" --nodes n1,n2,n3 -w set --concurrency 3 \
  --pd-endpoints 10.9.9.9:2379,pd.example:3379 --time-limit 1 --final-recovery-time 0 \
  --store "$tmp/store-pd"
for line in "rpc-server n1: serving tikv.txn on 127.0.0.1:8001 for node 10.9.9.9 (pd 10.9.9.9:2379)" \
            "rpc-server n2: serving tikv.txn on 127.0.0.1:8002 for node pd.example (pd pd.example:3379)" \
            "rpc-server n3: serving tikv.txn on 127.0.0.1:8003 for node 10.9.9.9 (pd 10.9.9.9:2379)"; do
  grep -qF "$line" "$tmp/store-pd/latest/jepsen.log" || { echo "FAIL: not in the log: $line"; failures=$((failures + 1)); }
done
expect 0 "analyze -t -1 re-checks the latest run" -- "$bin" analyze --store "$tmp/store" -t -1
contains "$tmp/out" "valid"

expect 255 "a missing client server program" -- "$bin" test --db existing --no-ssh \
  --rpc-server "$tmp/no-such-rpc-server" --nodes n1 --concurrency 10 --time-limit 1 --store "$tmp/store"
grep -rq "cannot start --rpc-server" "$tmp/out" "$tmp/err" || { echo "FAIL: missing program not named"; cat "$tmp/err"; failures=$((failures + 1)); }
finish "tikv-jepsen CLI"
