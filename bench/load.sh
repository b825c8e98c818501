#!/usr/bin/env bash
# Load and faults (issue 6): 60 s of mixed traffic at 64 connections; corpus reloads under
# load; a broken corpus on reload; kill -9 during an index build; a corrupted index.
# Needs wrk (Debian); installs it when missing. Usage: bench/load.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
go build -o "$tmp/codenav" ./cmd/codenav
cp -r corpus/sec "$tmp/corpus"
port=18950
base="http://127.0.0.1:$port"
failures=0
check() { if [ "$1" != 0 ]; then echo "FAIL: $2"; failures=$((failures+1)); else echo "ok: $2"; fi; }
# run a command and report whether it succeeded, without stopping the script
expect() { local what=$1; shift; if "$@"; then check 0 "$what"; else check 1 "$what"; fi; }

start() { # start a server on the data folder $1, logging to $2
  "$tmp/codenav" serve --addr 127.0.0.1:$port --corpus "$tmp/corpus" --data "$1" >/dev/null 2>"$2" &
  pid=$!; pids+=("$pid")
}
wait_ready() { for _ in $(seq 600); do curl -fs -o /dev/null "$base/readyz" && return 0; sleep 0.1; done; return 1; }
errors_in() { # non-2xx/3xx responses plus socket errors reported by wrk
  awk '/Non-2xx or 3xx responses/ {n+=$NF} /Socket errors/ {gsub(",","");for(i=1;i<=NF;i++) if($i ~ /^[0-9]+$/) n+=$i} END {print n+0}' "$1"
}

echo "== 1. ${secs} s at 64 connections on a mix of pages, searches and compares"
start "$tmp/data" "$tmp/serve.log"; wait_ready
curl -fs -o /dev/null "$base/api/v1/search?q=warm"  # the first search opens the index files
wrk -t2 -c64 -d"${secs}s" --timeout 10s --latency -s bench/mix.lua "$base" | tee "$tmp/wrk1.txt"
check "$(errors_in "$tmp/wrk1.txt")" "no failed request under load"

echo "== 2. reloading the corpus (SIGHUP) three times during 30 s of load"
wrk -t2 -c64 -d30s --timeout 10s --latency -s bench/mix.lua "$base" > "$tmp/wrk2.txt" &
wrkpid=$!
for i in 1 2 3; do
  sleep 7
  printf '\n**B3.9%d** Load test provision %d.\n' "$i" "$i" >> "$tmp/corpus/documents/section-b/3.0.md"
  kill -HUP "$pid"
done
wait "$wrkpid"; cat "$tmp/wrk2.txt"
check "$(errors_in "$tmp/wrk2.txt")" "no failed request during reloads"
expect "three reloads logged" test "$(grep -c '"msg":"reloaded"' "$tmp/serve.log")" = 3
expect "the reloaded corpus is served" grep -q "Load test provision 3" <(curl -fs "$base/docs/section-b")

echo "== 3. a broken corpus on reload is rejected and the last good one keeps serving"
cp "$tmp/corpus/documents/section-b/3.0.md" "$tmp/good.md"
printf -- '---\nversion: [\n---\n' > "$tmp/corpus/documents/section-b/3.0.md"
kill -HUP "$pid"; sleep 3
expect "reload failure logged" grep -q '"msg":"reload failed' "$tmp/serve.log"
expect "the last good corpus still serves" grep -q "Load test provision 3" <(curl -fs "$base/docs/section-b")
cp "$tmp/good.md" "$tmp/corpus/documents/section-b/3.0.md"
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== 4. kill -9 during an index build, then start: rebuilt with no manual step"
start "$tmp/data2" "$tmp/serve2.log"
sleep 0.6; kill -9 "$pid"; wait "$pid" 2>/dev/null || true
ls "$tmp/data2/index" 2>/dev/null | sed 's/^/   left: /' || true
start "$tmp/data2" "$tmp/serve3.log"; expect "ready after the crash" wait_ready
expect "search works after the crash" grep -q '"total":[1-9]' <(curl -fs "$base/api/v1/search?q=user+entry")
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== 5. a corrupted index folder is detected at start and rebuilt"
name=$(cat "$tmp/data2/index/CURRENT")
for f in "$tmp/data2/index/$name"/bleve/store/*.zap; do head -c 4096 /dev/urandom > "$f"; done
start "$tmp/data2" "$tmp/serve4.log"; expect "ready with a corrupted index" wait_ready
expect "the damage was detected and logged" grep -q 'index unusable: rebuilding' "$tmp/serve4.log"
expect "search works on the rebuilt index" grep -q '"total":[1-9]' <(curl -fs "$base/api/v1/search?q=user+entry")

echo "== p99 latency under load (run 1):"; grep -E '^ +99%' "$tmp/wrk1.txt" || true
echo "== $failures failure(s)"
exit "$failures"
