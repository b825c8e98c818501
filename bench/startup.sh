#!/usr/bin/env bash
# Process start to ready: start `codenav serve` with an existing index and time until
# /readyz answers 200. Prints one line per run and the median, in milliseconds.
# Usage: bench/startup.sh [runs]   (run from the repository root)
set -euo pipefail
runs=${1:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/codenav" ./cmd/codenav
"$tmp/codenav" index --data "$tmp/data" >/dev/null
port=18931
times=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  "$tmp/codenav" serve --addr 127.0.0.1:$port --data "$tmp/data" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; do sleep 0.002; done
  end=$(date +%s%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median start to ready: ${sorted[$(( runs / 2 ))]} ms over $runs runs"
