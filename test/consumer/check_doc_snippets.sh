#!/bin/sh
# Checks that every code block of a tutorial that is marked with
#   <!-- snippet: path/in/the/repo -->
# (on the line before the opening fence) appears verbatim, as consecutive lines, in
# that file, so the tutorial cannot drift from the code it quotes.
#   check_doc_snippets.sh DOC.md REPO_ROOT
set -eu
doc=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Split the marked blocks into tmp/N.block with tmp/N.path beside them.
awk -v dir="$tmp" '
  /^<!-- snippet: .* -->$/ { path = $3; want = 1; next }
  want && /^```/ { n++; inside = 1; want = 0; print path > (dir "/" n ".path"); next }
  inside && /^```/ { inside = 0; next }
  inside { print > (dir "/" n ".block") }
  { want = 0 }
' "$doc"

count=0
for p in "$tmp"/*.path; do
  [ -e "$p" ] || break
  n=${p%.path}
  file=$root/$(cat "$p")
  [ -f "$file" ] || { echo "FAIL: $doc quotes $(cat "$p"), which does not exist" >&2; exit 1; }
  [ -f "$n.block" ] || { echo "FAIL: $doc has an empty snippet of $(cat "$p")" >&2; exit 1; }
  if ! awk 'NR == FNR { want[++k] = $0; next }
            { have[++m] = $0 }
            END {
              for (i = 1; i + k - 1 <= m; i++) {
                ok = 1
                for (j = 1; j <= k; j++) if (have[i + j - 1] != want[j]) { ok = 0; break }
                if (ok) exit 0
              }
              exit 1
            }' "$n.block" "$file"; then
    echo "FAIL: this snippet of $(cat "$p") in $doc is not in the file (any more):" >&2
    cat "$n.block" >&2
    exit 1
  fi
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "FAIL: $doc has no snippets" >&2; exit 1; }
echo "$count snippet(s) of $doc match their files"
