#!/usr/bin/env bash
# `jepsen check --checker linearizable` end to end: verdicts, exit codes, JSON, reports.
# usage: check_linearizable_test.sh JEPSEN_BINARY TEST_DATA_DIR
set -u
jepsen=$1
data=$2
. "$(dirname "$0")/testlib.sh"
lin() { "$jepsen" check --checker linearizable "$@"; }

expect 0 "a valid cas-register history" -- lin --model cas-register "$data/linearizable_cas_valid.edn"
contains "$tmp/out" "linearizable_cas_valid.edn: valid (16 ops"
expect 0 "a Knossos-style history" -- lin --model cas-register "$data/cas_register_knossos.edn"

expect 1 "a stale read" -- lin --model cas-register "$data/linearizable_cas_invalid.edn"
contains "$tmp/out" "invalid (8 ops"
contains "$tmp/out" "lets process 1 :read 1 (ok, index 5 to 6) take effect"
contains "$tmp/out" "the model can be in state 2"

expect 1 "valid and invalid files together" -- \
  lin --model cas-register "$data/linearizable_cas_valid.edn" "$data/linearizable_cas_invalid.edn"

expect 1 "JSON lines" -- lin --model cas-register --json "$data/linearizable_cas_valid.edn" \
  "$data/linearizable_cas_invalid.edn"
contains "$tmp/out" '"file":"'"$data"'/linearizable_cas_valid.edn","valid":true'
contains "$tmp/out" '"model":"cas-register","op-count":7,"ok-count":5,"info-count":2,"fail-count":1'
contains "$tmp/out" '"valid":false'
contains "$tmp/out" '"counterexample":{"op":{"process":1,"type":"ok","f":"read","value":1,"index":5,"completion-index":6},"states-before":[2]'
if [ "$(wc -l <"$tmp/out")" -ne 2 ]; then echo "FAIL: expected 2 JSON lines"; failures=$((failures + 1)); fi

expect 1 "independent keys, JSONL input with string f" -- \
  lin --model cas-register --independent --json --out "$tmp/report" "$data/linearizable_independent.jsonl"
contains "$tmp/out" '"key-count":2,"failures":["y"]'
if [ ! -s "$tmp/report/linearizable_independent.jsonl/linearizable-1.svg" ]; then
  echo "FAIL: no SVG in the report"; ls -R "$tmp/report"; failures=$((failures + 1))
fi
contains "$tmp/report/linearizable_independent.jsonl/results.edn" ':failures ["y"]'

expect 1 "the report of a single history" -- \
  lin --model cas-register --out "$tmp/single" "$data/linearizable_cas_invalid.edn"
contains "$tmp/single/linearizable_cas_invalid.edn/linearizable.svg" 'fill="#f66"'

expect 2 "unknown when the model rejects an op" -- lin --model mutex "$data/linearizable_cas_valid.edn"
contains "$tmp/out" "the mutex model has no operation :write"
expect 2 "unknown when values are not tuples" -- \
  lin --model cas-register --independent "$data/linearizable_cas_valid.edn"

expect 254 "no model" -- lin "$data/linearizable_cas_valid.edn"
contains "$tmp/err" "needs --model (register, cas-register, mutex, set"
expect 254 "unknown model" -- lin --model banana "$data/linearizable_cas_valid.edn"
contains "$tmp/err" "unknown model 'banana' (valid models: register, cas-register"
expect 254 "missing file" -- lin --model register "$tmp/nope.edn"

finish "check linearizable"
