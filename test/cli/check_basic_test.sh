#!/usr/bin/env bash
# `jepsen check` with the basic checkers (set, set-full, counter, unique-ids, queues,
# stats, unhandled-exceptions, log-file-pattern): verdicts, exit codes, JSON fields.
# usage: check_basic_test.sh JEPSEN_BINARY TEST_DATA_DIR
set -u
jepsen=$1
data=$2
. "$(dirname "$0")/testlib.sh"
check() { "$jepsen" check "$@"; }

# set
expect 0 "set: every acknowledged add read (JSONL, string f)" -- \
  check --checker set --json "$data/set_valid.jsonl"
contains "$tmp/out" '"valid":true,"checker":"set","ops":6'
contains "$tmp/out" '"ok-count":2,"lost-count":0'
expect 1 "set: a lost add" -- check --checker set "$data/set_lost.edn"
contains "$tmp/out" "set_lost.edn: invalid (8 ops"
contains "$tmp/out" "lacks 1 element(s) whose :add was acknowledged (lost: #{2})"
expect 1 "set: JSON of the lost add" -- check --checker set --json "$data/set_lost.edn"
contains "$tmp/out" '"lost-count":1,"recovered-count":1,"unexpected-count":0,"ok":[1,3],"lost":[2]'
expect 1 "set: valid and invalid files together" -- \
  check --checker set "$data/set_valid.jsonl" "$data/set_lost.edn"
expect 2 "set: never read" -- check --checker set "$data/unique_ids_dup.edn"
contains "$tmp/out" "unique_ids_dup.edn: unknown"

# set-full
expect 0 "set-full: a stale read is allowed by default" -- \
  check --checker set-full --json "$data/set_full_stale.edn"
contains "$tmp/out" '"stable-count":2,"lost-count":0'
contains "$tmp/out" '"stale-count":1,"stale":[1]'
expect 1 "set-full --linearizable: a stale read is invalid" -- \
  check --checker set-full --linearizable --out "$tmp/report" "$data/set_full_stale.edn"
contains "$tmp/out" "which a linearizable set forbids (stale: [1])"
contains "$tmp/report/set_full_stale.edn/results.edn" ':stale-count 1'
contains "$tmp/report/set_full_stale.edn/results.json" '"valid?":false'
expect 254 "--linearizable only for set-full" -- \
  check --checker set --linearizable "$data/set_lost.edn"
contains "$tmp/err" "--checker set takes no --linearizable"

# counter
expect 1 "counter: a read above every attempted add" -- \
  check --checker counter --json "$data/counter_invalid.edn"
contains "$tmp/out" '"read-count":2,"error-count":1,"errors":[{"lower":3,"value":7,"upper":3'
contains "$tmp/out" '"max-absolute-error":4'

# unique-ids
expect 1 "unique-ids: an id handed out twice" -- \
  check --checker unique-ids --json "$data/unique_ids_dup.edn"
contains "$tmp/out" '"attempted-count":3,"acknowledged-count":3,"duplicated-count":1,"duplicated":{"10":2},"range":[10,11]'

# queues, stats, unhandled-exceptions on one drained queue
expect 0 "total-queue: drained, one recovered" -- \
  check --checker total-queue --json "$data/queue_drained.edn"
contains "$tmp/out" '"lost-count":0,"recovered-count":1'
expect 0 "queue: every dequeue explained" -- check --checker queue --json "$data/queue_drained.edn"
contains "$tmp/out" '"enqueue-count":2,"dequeue-count":2,"empty-dequeue-count":0,"final-queue":[]'
head -n 2 "$data/queue_drained.edn" >"$tmp/lost.edn"
expect 1 "total-queue: an acknowledged enqueue never dequeued" -- \
  check --checker total-queue "$data/queue_drained.edn" "$tmp/lost.edn"
contains "$tmp/out" "1 acknowledged enqueue(s) never came out of the queue (lost: [1])"
expect 0 "stats: every f succeeded" -- check --checker stats --json "$data/queue_drained.edn"
contains "$tmp/out" '"enqueue":{"valid?":true,"count":2,"ok-count":1,"fail-count":0,"info-count":1}'
expect 1 "stats: a :read that never succeeded" -- check --checker stats "$data/unique_ids_dup.edn" "$data/counter_invalid.edn" "$data/linearizable_cas_invalid.edn"
expect 0 "unhandled-exceptions: informs, always valid" -- \
  check --checker unhandled-exceptions --json "$data/queue_drained.edn"
contains "$tmp/out" '"count":1,"exceptions":[{"class":"exception","count":1,"example":{"index":3'

# log-file-pattern
mkdir -p "$tmp/run/n1" "$tmp/run/n2/sub"
printf 'start\npanic: runtime error: index out of range\n' >"$tmp/run/n1/db.log"
printf 'start\nfine\n' >"$tmp/run/n2/db.log"
printf 'panic: elsewhere\n' >"$tmp/run/n2/sub/other.log"
expect 1 "log-file-pattern: a panic in one node's log" -- \
  check --checker log-file-pattern --pattern 'panic: (\w+)' --log-file db.log --logs "$tmp/run" \
  --json "$data/set_lost.edn"
contains "$tmp/out" '"count":1,"files-searched":2,"matches":[{"node":"n1","file":"db.log","line-number":2,"line":"panic: runtime error: index out of range"}]'
expect 1 "log-file-pattern: every file when --log-file is left out" -- \
  check --checker log-file-pattern --pattern panic --logs "$tmp/run" --json "$data/set_lost.edn"
contains "$tmp/out" '"count":2,"files-searched":3'
expect 0 "log-file-pattern: nothing matches" -- \
  check --checker log-file-pattern --pattern 'FATAL|assertion failed' --logs "$tmp/run" "$data/set_lost.edn"
expect 2 "log-file-pattern: no such directory" -- \
  check --checker log-file-pattern --pattern panic --logs "$tmp/nope" "$data/set_lost.edn"
contains "$tmp/out" "no log directory"
expect 254 "log-file-pattern: no pattern" -- \
  check --checker log-file-pattern --logs "$tmp/run" "$data/set_lost.edn"
contains "$tmp/err" "needs --pattern REGEX"
expect 254 "log-file-pattern: a malformed pattern" -- \
  check --checker log-file-pattern --pattern 'panic(' --logs "$tmp/run" "$data/set_lost.edn"
contains "$tmp/err" "bad log pattern /panic(/"
expect 254 "--pattern only for log-file-pattern" -- \
  check --checker counter --pattern x "$data/counter_invalid.edn"

# perf: always valid, the three plots into --out
expect 0 "perf writes its plots under --out" -- \
  check --checker perf --json --out "$tmp/perf" "$data/queue_drained.edn"
contains "$tmp/out" '"plots":["latency-raw.svg","latency-quantiles.svg","rate.svg"]'
grep -q "<svg" "$tmp/perf/queue_drained.edn/rate.svg" || { echo "FAIL: no rate.svg from perf"; failures=$((failures + 1)); }
expect 254 "perf takes no options" -- check --checker perf --model register "$data/queue_drained.edn"

# several checkers composed: the worst verdict, each checker's result under its name,
# and each checker given only the options it takes
expect 1 "compose: linearizable invalid and stats invalid" -- \
  check --checker linearizable,stats,timeline --model cas-register "$data/linearizable_cas_invalid.edn"
contains "$tmp/out" "linearizable_cas_invalid.edn: invalid"
contains "$tmp/out" "  linearizable: invalid - Not linearizable"
contains "$tmp/out" "  stats: invalid - Some operations never succeeded"
contains "$tmp/out" "  timeline: valid"
expect 0 "compose: repeated --checker, JSON" -- \
  check --checker linearizable --checker stats --model cas-register --json "$data/linearizable_cas_valid.edn"
contains "$tmp/out" '"valid":true,"checker":"linearizable,stats"'
contains "$tmp/out" '"linearizable":{"valid?":true,"model":"cas-register"'
contains "$tmp/out" '"stats":{"valid?":true'
expect 1 "compose: set-full gets --linearizable, timeline --independent" -- \
  check --checker set-full,timeline --linearizable --independent --out "$tmp/composed" "$data/set_full_stale.edn"
contains "$tmp/out" "  set-full: invalid"
[ -s "$tmp/composed/set_full_stale.edn/timeline.html" ] || { echo "FAIL: no timeline.html"; failures=$((failures + 1)); }
expect 254 "compose: an option no checker takes" -- check --checker stats,set --model register "$data/set_lost.edn"
contains "$tmp/err" "none of the checkers stats, set takes --model"
expect 254 "compose: a checker named twice" -- check --checker stats,stats "$data/set_lost.edn"
contains "$tmp/err" "--checker stats is named twice"
expect 254 "compose: an unknown checker" -- check --checker stats,meteor "$data/set_lost.edn"
contains "$tmp/err" "unknown checker 'meteor'"

# the help lists them all
expect 0 "help" -- check --help
for name in set set-full counter unique-ids total-queue queue stats unhandled-exceptions perf log-file-pattern; do
  contains "$tmp/out" "  $name "
done

finish "check basic"
