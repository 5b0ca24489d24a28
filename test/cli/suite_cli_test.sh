#!/usr/bin/env bash
# The suite command line (CLI core) end to end through demo-suite: test, test-all,
# analyze, the common flags and the exit codes.
# usage: suite_cli_test.sh DEMO_SUITE_BINARY
set -u
suite=$1
. "$(dirname "$0")/testlib.sh"

common=(--store "$tmp/store" --time-limit 1 --nodes a,b,c)
expect 0 "a valid run" -- "$suite" test "${common[@]}" --concurrency 2n --seed 42
contains "$tmp/out" "demo-register-none: valid"
test -f "$tmp/store/latest/history.jsonl" || { echo "FAIL: no history in the store"; failures=$((failures + 1)); }
grep -q '"concurrency":6' "$tmp/store/latest/test.json" || { echo "FAIL: 2n with 3 nodes is not 6"; failures=$((failures + 1)); }
grep -q '"seed":42' "$tmp/store/latest/test.json" || { echo "FAIL: seed not stored"; failures=$((failures + 1)); }

# Passwords never reach the store: test.json's argv and index.html show them redacted.
expect 0 "a run given passwords" -- "$suite" test "${common[@]}" --password hunter2-pw \
  --sudo-password=s3cret-sudo
if grep -rq 'hunter2-pw\|s3cret-sudo' "$tmp/store/latest/"; then
  echo "FAIL: a password reached the store: $(grep -rl 'hunter2-pw\|s3cret-sudo' "$tmp/store/latest/")"
  failures=$((failures + 1))
fi
grep -q '"--password","<redacted>","--sudo-password=<redacted>"' "$tmp/store/latest/test.json" ||
  { echo "FAIL: argv not stored redacted"; failures=$((failures + 1)); }

expect 1 "a stale register is invalid" -- "$suite" test "${common[@]}" --workload stale
contains "$tmp/out" "demo-stale-none: invalid"
expect 1 "analyze re-checks the latest run" -- "$suite" analyze --store "$tmp/store"
contains "$tmp/out" "invalid"
expect 0 "analyze a named run" -- "$suite" analyze "$(ls -d "$tmp"/store/demo-register-none/2*/ | head -1)"

expect 1 "test-all runs every combination" -- "$suite" test-all "${common[@]}"
for combo in "register         none" "register         noop" "stale            none" "stale            noop"; do
  contains "$tmp/out" "$combo"
done

printf 'n1 10.0.0.1\n# a comment\nn2 10.0.0.2\n' > "$tmp/nodes"
expect 0 "--nodes-file" -- "$suite" test --store "$tmp/store" --time-limit 1 --nodes-file "$tmp/nodes" --concurrency 1n
grep -q '"nodes":\["n1","n2"\]' "$tmp/store/latest/test.json" || { echo "FAIL: nodes file not read"; failures=$((failures + 1)); }

expect 254 "bad concurrency" -- "$suite" test --concurrency 3x
contains "$tmp/err" "--concurrency expects a positive number or Kn, not '3x'"
expect 254 "unknown flag" -- "$suite" test --frob
expect 0 "--ssh-command-timeout takes seconds" -- "$suite" test "${common[@]}" --ssh-command-timeout 30
expect 254 "negative --ssh-command-timeout" -- "$suite" test "${common[@]}" --ssh-command-timeout -1
contains "$tmp/err" "--ssh-command-timeout must not be negative"
expect 254 "huge --ssh-command-timeout" -- "$suite" test "${common[@]}" --ssh-command-timeout 9223372036854775807
contains "$tmp/err" "--ssh-command-timeout must be at most 1000000000"
expect 254 "non-numeric --ssh-command-timeout" -- "$suite" test "${common[@]}" --ssh-command-timeout soon
expect 254 "unknown command" -- "$suite" frob
expect 254 "bad suite option" -- "$suite" test "${common[@]}" --workload nope
contains "$tmp/err" "--workload must be register or stale, not nope"
expect 254 "analyze with no stored run" -- "$suite" analyze --store "$tmp/empty"
expect 0 "help" -- "$suite" test --help
contains "$tmp/out" "--strict-host-key-checking"
contains "$tmp/out" "--ssh-command-timeout SECONDS"

finish "suite CLI"
