#!/usr/bin/env bash
# tikv-jepsen end to end against the protocol test server, for one workload: valid on
# the correct store, with and without injected faults; invalid on the stale-read store.
# usage: e2e_test.sh TIKV_JEPSEN TIKV_TEST_SERVER WORKLOAD
set -u
bin=$1
server=$2
workload=$3
. "$(dirname "$0")/../cli/testlib.sh"

# Each run uses its own store file; client servers listen on 127.0.0.1:8001-8003.
run() {  # run EXPECTED_EXIT WHAT FAULTS EXTRA_ARGS...
  local code=$1 what=$2 faults=$3
  shift 3
  rm -f "$tmp/kv.store"
  TIKV_TEST_SERVER_STORE="$tmp/kv.store" TIKV_TEST_SERVER_FAULTS="$faults" TIKV_TEST_SERVER_SEED=7 \
    TIKV_TEST_SERVER_LOST_DELAY_MS=600 \
    expect "$code" "$workload: $what" -- "$bin" test --db existing --no-ssh --rpc-server "$server" \
      --nodes n1,n2,n3 --store "$tmp/store" --seed 11 --workload "$workload" \
      --client-timeout 0.3 --final-recovery-time 0 "$@"
}

case "$workload" in
  register)
    common=(--concurrency 10 --time-limit 3 --rate 50 --ops-per-key 60)
    run 0 "valid on the correct store" "" "${common[@]}"
    contains "$tmp/out" "valid"
    grep -q ':cas' "$tmp/store/latest/history.edn" || { echo "FAIL: no cas ops"; failures=$((failures + 1)); }
    # As the seed: a timeline per key beside the linearizability check.
    [ -s "$tmp/store/latest/independent/0/timeline.html" ] ||
      { echo "FAIL: no per-key timeline"; failures=$((failures + 1)); }
    grep -q '"timeline":{"valid?":true' "$tmp/store/latest/results.json" ||
      { echo "FAIL: no timeline result"; failures=$((failures + 1)); }
    run 0 "valid with undetermined errors, aborts and lost replies" \
      "undetermined=0.05,aborted=0.05,lost=0.03" "${common[@]}"
    grep -q ':info' "$tmp/store/latest/history.edn" || { echo "FAIL: no info ops with faults"; failures=$((failures + 1)); }
    run 0 "drops cas when the server has none" "no-cas" "${common[@]}"
    grep -q 'drops cas' "$tmp/store/latest/jepsen.log" || { echo "FAIL: cas drop not logged"; failures=$((failures + 1)); }
    run 1 "invalid with stale reads" "stale-read=0.3" "${common[@]}"
    ;;
  set)
    common=(--concurrency 6 --time-limit 3)
    run 0 "valid on the correct store" "" "${common[@]}" --txn-mode pessimistic
    # The mode reaches the wire: the test server names the modes it was asked for.
    grep -q 'first BeginTxn of type PESSIMISTIC' "$tmp/store/latest/jepsen.log" ||
      { echo "FAIL: --txn-mode pessimistic not sent"; failures=$((failures + 1)); }
    grep -q 'first BeginTxn of type OPTIMISTIC' "$tmp/store/latest/jepsen.log" &&
      { echo "FAIL: an optimistic transaction under --txn-mode pessimistic"; failures=$((failures + 1)); }
    run 0 "valid with undetermined errors, aborts and lost replies" \
      "undetermined=0.05,aborted=0.05,lost=0.03" "${common[@]}"
    run 1 "invalid with stale reads" "stale-read=0.3" "${common[@]}"
    ;;
  list-append)
    common=(--concurrency 6 --time-limit 3)
    run 0 "valid on the correct store" "" "${common[@]}"
    grep -q 'first BeginTxn of type OPTIMISTIC' "$tmp/store/latest/jepsen.log" ||
      { echo "FAIL: the default --txn-mode is not optimistic on the wire"; failures=$((failures + 1)); }
    run 0 "valid with undetermined errors, aborts and lost replies" \
      "undetermined=0.05,aborted=0.05,lost=0.03" "${common[@]}"
    run 1 "invalid with stale reads" "stale-read=0.3" "${common[@]}"
    ;;
esac
# Every client server was stopped: nothing listens on the ports any more.
for port in 8001 8002 8003; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "FAIL: something still listens on $port"; failures=$((failures + 1))
  fi
done
finish "tikv e2e $workload"
