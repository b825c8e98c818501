#!/bin/bash
# sitestart.sh measures a start of `codenav serve` on one or more corpus folders: seconds to
# the first 200 from /readyz, RSS then and 15 s later, and the size of the index.
#
#   go build -o /tmp/codenav ./cmd/codenav
#   bench/sitestart.sh /tmp/codenav /tmp/data 18083 /tmp/site/gen1 /tmp/site/gen2 /tmp/site/gen3
#
# Run it twice on the same data folder to measure a start that reuses the index.
set -euo pipefail
bin=$1; data=$2; port=$3; shift 3
args=()
for c in "$@"; do args+=(--corpus "$c"); done
start=$(date +%s.%N)
"$bin" serve "${args[@]}" --addr 127.0.0.1:"$port" --data "$data" >/dev/null 2>"$data.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
	kill -0 $pid 2>/dev/null || { echo "serve stopped; see $data.log" >&2; exit 1; }
	sleep 0.05
done
ready=$(date +%s.%N)
rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
sleep 15
rss2=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
echo "ready_s=$(echo "$ready - $start" | bc) rss_ready_mb=$((rss / 1024)) rss_15s_mb=$((rss2 / 1024)) index_mb=$(du -sm "$data/index" | cut -f1)"
