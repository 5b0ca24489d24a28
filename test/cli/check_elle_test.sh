#!/usr/bin/env bash
# `jepsen check --checker list-append|rw-register` end to end: verdicts, exit codes,
# JSON fields and report files.
# usage: check_elle_test.sh JEPSEN_BINARY TEST_DATA_DIR
set -u
jepsen=$1
data=$2
. "$(dirname "$0")/testlib.sh"

expect 0 "a valid list-append history" -- \
  "$jepsen" check --checker list-append "$data/list_append.edn"
contains "$tmp/out" "list_append.edn: valid"

expect 1 "G1c" -- "$jepsen" check --checker list-append "$data/elle_list_append_g1c.edn"
contains "$tmp/out" "elle_list_append_g1c.edn: invalid"
contains "$tmp/out" "Found G1c (1)"
contains "$tmp/out" "rules out read-committed"

expect 1 "G1c as JSON" -- \
  "$jepsen" check --checker list-append --json "$data/elle_list_append_g1c.edn"
contains "$tmp/out" '"valid":false'
contains "$tmp/out" '"anomaly-types":["G1c"]'
contains "$tmp/out" '"not":["read-committed"]'

# Write skew: snapshot isolation allows it, serializability does not.
expect 0 "write skew under SI" -- "$jepsen" check --checker list-append \
  --consistency-models snapshot-isolation --json "$data/elle_list_append_write_skew.edn"
contains "$tmp/out" '"valid":true'
contains "$tmp/out" '"anomaly-types":[]'
contains "$tmp/out" '"not":[]'
expect 1 "write skew under serializable" -- "$jepsen" check --checker list-append \
  --consistency-models serializable --json "$data/elle_list_append_write_skew.edn"
contains "$tmp/out" '"anomaly-types":["G2-item"]'
contains "$tmp/out" '"not":["repeatable-read"]'

expect 1 "rw-register G-single from JSONL with string names" -- \
  "$jepsen" check --checker rw-register --json "$data/elle_rw_register.jsonl"
contains "$tmp/out" '"anomaly-types":["G-single"]'
contains "$tmp/out" '"not":["repeatable-read","snapshot-isolation"]'

expect 1 "--anomalies alone looks only for those" -- "$jepsen" check --checker list-append \
  --anomalies G1 "$data/elle_list_append_g1c.edn"
expect 0 "--anomalies without the one present" -- "$jepsen" check --checker list-append \
  --anomalies G0,internal "$data/elle_list_append_g1c.edn"

# Reports: explanations, SVG and DOT.
expect 1 "--out writes reports" -- "$jepsen" check --checker list-append --out "$tmp/store" \
  "$data/elle_list_append_g1c.edn"
dir="$tmp/store/elle_list_append_g1c.edn"
contains "$dir/elle/G1c.txt" "a contradiction!"
contains "$dir/elle/G1c-1.svg" "<svg"
contains "$dir/elle/G1c-1.dot" "digraph"
contains "$dir/results.json" '"anomaly-types":["G1c"]'

# Bad input: unknown names, malformed transactions.
expect 254 "unknown model" -- "$jepsen" check --checker list-append \
  --consistency-models linearizable "$data/list_append.edn"
contains "$tmp/err" "unknown consistency model 'linearizable'; valid models: read-uncommitted"
expect 254 "unknown anomaly" -- "$jepsen" check --checker rw-register --anomalies G9 \
  "$data/list_append.edn"
contains "$tmp/err" "unknown anomaly 'G9'"
expect 254 "--model is not for Elle" -- "$jepsen" check --checker list-append \
  --model register "$data/list_append.edn"
echo '{:type :invoke, :process 0, :f :txn, :value [[:frob :x 1]]}' >"$tmp/bad.edn"
expect 2 "a malformed micro-op" -- "$jepsen" check --checker list-append "$tmp/bad.edn"
contains "$tmp/out" "is not [:append k v], [:r k v] or [:w k v]"

finish "check elle"
