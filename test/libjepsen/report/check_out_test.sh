#!/usr/bin/env bash
# `jepsen check --out DIR` writes results, plots, timeline.html and index.html.
# usage: check_out_test.sh JEPSEN_BINARY TEST_DATA_DIR
set -u
jepsen=$1
data=$2
. "$(dirname "$0")/../../cli/testlib.sh"

expect 1 "an invalid history with reports" -- \
  "$jepsen" check --checker linearizable --model cas-register --out "$tmp/r" \
  "$data/linearizable_cas_invalid.edn"
out="$tmp/r/linearizable_cas_invalid.edn"
contains "$tmp/out" "report: $out/index.html"
for f in results.json results.edn linearizable.svg latency-raw.svg latency-quantiles.svg \
         rate.svg timeline.html index.html; do
  if [ ! -s "$out/$f" ]; then echo "FAIL: no $f"; ls -l "$out"; failures=$((failures + 1)); fi
done
contains "$out/index.html" 'id="verdict" class="verdict invalid">invalid<'
contains "$out/index.html" '<a href="linearizable.svg">linearizable.svg</a>'
contains "$out/index.html" '<a href="timeline.html">timeline.html</a>'
contains "$out/timeline.html" 'id="timeline-summary">'
contains "$out/latency-raw.svg" '<svg xmlns="http://www.w3.org/2000/svg"'

# A stored run: test.json beside the history names the test and gives its seed.
mkdir -p "$tmp/run"
cp "$data/linearizable_cas_valid.edn" "$tmp/run/history.edn"
echo '{"name": "stored-run", "seed": 1234, "options": {"workload": "register"}}' >"$tmp/run/test.json"
expect 0 "a stored run's history" -- \
  "$jepsen" check --checker linearizable --model cas-register --out "$tmp/s" "$tmp/run/history.edn"
contains "$tmp/s/history.edn/index.html" "<h1>stored-run</h1>"
contains "$tmp/s/history.edn/index.html" "<pre>1234</pre>"
contains "$tmp/s/history.edn/index.html" 'class="verdict valid">valid<'

expect 0 "JSON output stays one line per file" -- \
  "$jepsen" check --checker linearizable --model cas-register --json --out "$tmp/j" \
  "$data/linearizable_cas_valid.edn"
if [ "$(wc -l <"$tmp/out")" -ne 1 ]; then echo "FAIL: expected 1 JSON line"; failures=$((failures + 1)); fi

finish "check --out reports"
