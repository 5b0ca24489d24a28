#!/bin/sh
# consumer.example_suite: the tutorial's suite (examples/my-suite) configured against
# the installed package, built, and run briefly on this machine (--no-ssh).
#   example_suite_test.sh CMAKE SOURCE_DIR WORK_DIR PREFIX GENERATOR CXX [CMAKE ARGS...]
set -eu
cmake=$1 src=$2 work=$3 prefix=$4 generator=$5 cxx=$6
shift 6
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$cmake" -S "$src" -B "$work/build" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" "$@" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log"; fail "configuring examples/my-suite"; }
"$cmake" --build "$work/build" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; fail "building examples/my-suite"; }
suite=$work/build/my-suite

# Bad arguments: 254, and a partition is refused without nodes to partition.
code=0; "$suite" test --time-limit 0 >/dev/null 2>&1 || code=$?
[ "$code" = 254 ] || fail "--time-limit 0 exited $code, expected 254"
code=0; "$suite" test --no-ssh --nemesis partition >"$work/err" 2>&1 || code=$?
[ "$code" = 254 ] || fail "--nemesis partition with --no-ssh exited $code, expected 254"
grep -q "needs nodes" "$work/err" || fail "no reason given: $(cat "$work/err")"
"$suite" --help | grep -q "no netem" || fail "--help does not say the kernel has no netem"
code=0; "$suite" test --no-ssh --os arch >"$work/err" 2>&1 || code=$?
[ "$code" = 254 ] || fail "--os arch exited $code, expected 254"
grep -q "os must be one of none, debian, centos" "$work/err" || fail "no --os choices: $(cat "$work/err")"

# A short run on this machine: valid, with everything in the store.
code=0
"$suite" test --no-ssh --time-limit 3 --seed 42 --store "$work/store" \
  --dir "$work/registers" >"$work/run.log" 2>&1 || code=$?
cat "$work/run.log"
[ "$code" = 0 ] || fail "my-suite test exited $code, expected 0 (valid)"
run=$work/store/my-suite-register/latest
for f in history.jsonl history.edn results.json results.edn test.json jepsen.log; do
  [ -s "$run/$f" ] || fail "the store has no $f"
done
grep -q '"valid?": *true' "$run/results.json" || fail "results.json is not valid: $(head -c 400 "$run/results.json")"
grep -q ':f :cas' "$run/history.edn" || fail "no cas op in the history"
ops=$(wc -l <"$run/history.jsonl")
[ "$ops" -ge 20 ] || fail "only $ops ops in 3 s"
[ ! -e "$work/registers" ] || fail "the DB teardown left $work/registers"
echo "example suite: valid, $ops ops"
