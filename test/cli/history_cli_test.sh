#!/usr/bin/env bash
# `jepsen history` end to end: exit codes, messages and lossless conversions.
# usage: history_cli_test.sh JEPSEN_BINARY TEST_DATA_DIR
set -u
jepsen=$1
data=$2
. "$(dirname "$0")/testlib.sh"

expect 0 "stats of a list-append history" -- "$jepsen" history stats "$data/list_append.edn"
contains "$tmp/out" "ops:       12 (5 invoke, 3 ok, 1 fail, 3 info)"
contains "$tmp/out" "processes: 3 client (highest 5), 2 nemesis ops"
contains "$tmp/out" ":start-partition"

expect 0 "stats as JSON" -- "$jepsen" history stats --json "$data/register.jsonl"
contains "$tmp/out" '"ops":5'

# edn -> jsonl -> txt-free round trip is byte-identical.
expect 0 "convert edn to jsonl" -- "$jepsen" history convert "$data/list_append.edn" "$tmp/h.jsonl"
expect 0 "convert jsonl back to edn" -- "$jepsen" history convert "$tmp/h.jsonl" "$tmp/h.edn"
if ! cmp -s "$data/list_append.edn" "$tmp/h.edn"; then
  echo "FAIL: edn -> jsonl -> edn is not identical"; diff "$data/list_append.edn" "$tmp/h.edn"
  failures=$((failures + 1))
fi
expect 0 "convert to txt notes what it drops" -- "$jepsen" history convert "$data/list_append.edn" "$tmp/h.txt"
contains "$tmp/err" "history.txt cannot hold :time, extra keys"
expect 0 "convert txt to edn" -- "$jepsen" history convert "$data/register.txt" "$tmp/r.edn"
expect 0 "convert with an explicit format" -- "$jepsen" history convert --to jsonl "$data/register.txt" "$tmp/r.out"

# Bad input: exit 254 with file:line:column.
printf '{:type :invoke, :process 0, :f :read}\n{:type :ok, :process 0 :f}\n' > "$tmp/bad.edn"
expect 254 "malformed history" -- "$jepsen" history stats "$tmp/bad.edn"
contains "$tmp/err" "bad.edn:2:1: map literal has an odd number of forms (5)"
expect 254 "missing file" -- "$jepsen" history stats "$tmp/nope.edn"
contains "$tmp/err" "No such file or directory"
expect 254 "unknown option" -- "$jepsen" history stats --frobnicate "$data/register.txt"
contains "$tmp/err" "unknown option '--frobnicate'"
expect 254 "unknown output format" -- "$jepsen" history convert "$data/register.txt" "$tmp/out.xyz"
expect 254 "no command" -- "$jepsen"
head -c 2000 /dev/urandom > "$tmp/random.bin"
expect 254 "binary garbage" -- "$jepsen" history stats --format edn "$tmp/random.bin"

# A truncated last line is a warning, not an error.
head -c -10 "$data/list_append.edn" > "$tmp/cut.edn"
expect 0 "truncated history" -- "$jepsen" history stats "$tmp/cut.edn"
contains "$tmp/err" "cut.edn:12:1: truncated op skipped"
contains "$tmp/out" "ops:       11"

finish "history CLI"
