# Shared by the CLI test scripts: a scratch directory removed at exit, and checks that
# count failures instead of stopping at the first.
#   . "$(dirname "$0")/testlib.sh"
#   expect 0 "what it proves" -- COMMAND ARGS...   # exit code; output in $tmp/out, $tmp/err
#   contains "$tmp/out" "text"
#   finish "name"                                   # prints a summary, exits 0 or 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

expect() {
  local code=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$code" ]; then
    echo "FAIL: $what: exit $got, expected $code"; tail -n 40 "$tmp/out" "$tmp/err"
    failures=$((failures + 1))
  fi
}

contains() {
  if ! grep -qF -- "$2" "$1"; then
    echo "FAIL: $1 lacks '$2':"; cat "$1"; failures=$((failures + 1))
  fi
}

finish() {
  if [ "$failures" -ne 0 ]; then echo "$1: $failures check(s) failed"; exit 1; fi
  echo "$1: all checks passed"
}
