#!/usr/bin/env bash
# The costly requests of issue 13 against a fresh `codenav serve` of the sample (page cache
# off, so that every page is made): status, wall, server CPU and peak memory of each, then
# eight at once while a reader asks for a page and a search.
# Usage: bench/bombs.sh [git revision to measure instead of the work tree]
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
if [ $# -gt 0 ]; then
  git worktree add -q --detach "$tmp/src" "$1"
  (cd "$tmp/src" && go build -o "$tmp/codenav" ./cmd/codenav)
  git worktree remove --force "$tmp/src"
else
  go build -o "$tmp/codenav" ./cmd/codenav
fi
go build -o "$tmp/bombs" ./bench/bombs
port=18971
"$tmp/codenav" serve --addr 127.0.0.1:$port --data "$tmp/data" --page-cache-mb 0 >/dev/null 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/search?q=warm"
"$tmp/bombs" -addr 127.0.0.1:$port -pid $pid
