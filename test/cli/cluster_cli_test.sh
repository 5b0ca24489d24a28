#!/usr/bin/env bash
# `jepsen cluster` end to end on a 2-node cluster of its own (name jcli, subnet
# 10.77.216, so it never touches a user's cluster): up, status and exec read the
# running cluster's size and placement from --dir (no --nodes needed), exec passes
# arguments intact and returns the command's exit code, a node that does not exist is
# refused, and down leaves no namespace, link or mount.
#
# usage: cluster_cli_test.sh JEPSEN_BINARY
# Exit 77 (ctest: skipped) when it cannot run here, saying why.
set -u
jepsen=$1
. "$(dirname "$0")/testlib.sh"

skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces for the local cluster)"
for tool in ip iptables unshare nsenter /usr/sbin/sshd ssh-keygen; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps)"
done

data=/var/jepsen-cli-test
place=(--name jcli --subnet 10.77.216 --dir "$tmp/cluster" --data-path "$data")
cleanup() {
  "$jepsen" cluster down "${place[@]}" >/dev/null 2>&1
  rmdir "$data" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

expect 0 "cluster up" -- "$jepsen" cluster up --nodes 2 "${place[@]}"
contains "$tmp/out" "n2   10.77.216.2"
contains "$tmp/out" "nodes file: $tmp/cluster/nodes"

# Only --dir: the rest comes from the running cluster.
expect 0 "status of the running cluster" -- "$jepsen" cluster status --dir "$tmp/cluster"
[ "$(grep -c ' up ' "$tmp/out")" -eq 2 ] || { echo "FAIL: status shows not 2 nodes up:"; cat "$tmp/out"; failures=$((failures + 1)); }
expect 0 "exec: a program and its arguments" -- \
  "$jepsen" cluster exec n2 --dir "$tmp/cluster" -- printf '%s|' 'a b' "it's" '$HOME' ''
[ "$(cat "$tmp/out")" = "a b|it's|\$HOME||" ] || { echo "FAIL: exec argv: $(cat "$tmp/out")"; failures=$((failures + 1)); }
expect 0 "exec: one shell line" -- "$jepsen" cluster exec n2 --dir "$tmp/cluster" -- 'hostname | tr n N'
contains "$tmp/out" "N2"
expect 3 "exec returns the command's exit code" -- "$jepsen" cluster exec n1 --dir "$tmp/cluster" -- sh -c 'exit 3'
expect 254 "exec on a node the cluster lacks" -- "$jepsen" cluster exec n3 --dir "$tmp/cluster" -- true
contains "$tmp/err" "node n3 is not up"
expect 254 "exec without a command" -- "$jepsen" cluster exec n1 --dir "$tmp/cluster"
# A damaged record is an error naming the file, not a guess.
cp "$tmp/cluster/cluster" "$tmp/record"
echo garbage >"$tmp/cluster/cluster"
expect 254 "status with a damaged record" -- "$jepsen" cluster status --dir "$tmp/cluster"
contains "$tmp/err" "$tmp/cluster/cluster is not a local cluster record"
cp "$tmp/record" "$tmp/cluster/cluster"

expect 0 "cluster down from --dir alone" -- "$jepsen" cluster down --dir "$tmp/cluster"
contains "$tmp/out" "local cluster jcli is down"
if ip netns list | grep -q '^jcli-'; then echo "FAIL: namespaces left"; failures=$((failures + 1)); fi
if ip -o link | grep -q 'jcli'; then echo "FAIL: links left"; failures=$((failures + 1)); fi
if grep -q "$data" /proc/mounts; then echo "FAIL: mounts left"; failures=$((failures + 1)); fi
expect 1 "status after down: nodes are down" -- "$jepsen" cluster status --nodes 2 "${place[@]}"
finish "jepsen cluster"
