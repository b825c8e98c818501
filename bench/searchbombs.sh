#!/bin/bash
# Measures the pattern-search bombs of issue 13 against a running `codenav serve`:
# wall time, CPU seconds and peak RSS of the server for each request, then eight bombs at
# once while a normal search and a page are timed.
#   bench/searchbombs.sh PID [PORT]      (Linux: reads /proc/PID; resets VmHWM, needs root)
set -u
pid=$1; port=${2:-18081}; base="http://127.0.0.1:$port"
hz=$(getconf CLK_TCK)
enc() { python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$1"; }
cpu() { awk '{print $14+$15}' /proc/$pid/stat; }
one() { # label path query
	local c0 c1 out hwm q
	q=$(enc "$3")
	echo 5 > /proc/$pid/clear_refs
	c0=$(cpu)
	out=$(curl -s -o /tmp/searchbomb.body -w '%{http_code} %{time_total}' "$base$2?q=$q")
	sleep 1 # work that goes on after the answer is counted too
	c1=$(cpu)
	hwm=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
	printf '| %-24s | %s | %s | %.2f | %.2f | %d |\n' "$1" "$2" "${out% *}" "${out#* }" \
		"$(echo "($c1-$c0)/$hz" | bc -l)" $((hwm / 1024))
}
a500=$(printf 'a*%.0s' $(seq 500)); s500=$(printf '*a%.0s' $(seq 500))
dots=$(printf '.%.0s' $(seq 30))
echo "| query | path | status | wall s | CPU s (incl. 1 s after) | peak RSS MB |"
echo "|---|---|---|---|---|---|"
one 'a* x500' /api/v1/search "$a500"
one '*a x500' /api/v1/search "$s500"
one '*a x500 (page)' /search "$s500"
one '/.*a.{100}/' /api/v1/search '/.*a.{100}/'
one "/a.*a.{30 dots}/" /api/v1/search "/a.*a$dots/"
one 'tamper~3' /api/v1/search 'tamper~3'
one 'a* (allowed)' /api/v1/search 'a*'
one 'a* b* c* d* (allowed)' /api/v1/search 'a* b* c* d*'
one '/a.{8}/ (allowed)' /api/v1/search '/a.{8}/'
one 'securi~2 (allowed)' /api/v1/search 'securi~2'
one 'user entry (plain)' /api/v1/search 'user entry'
echo
echo "eight bombs at once (a* x500, *a x500, /.*a.{100}/, /a.*a.{30 dots}/, twice each):"
echo 5 > /proc/$pid/clear_refs
encoded=()
for q in "$a500" "$s500" '/.*a.{100}/' "/a.*a$dots/" "$a500" "$s500" '/.*a.{100}/' "/a.*a$dots/"; do
	encoded+=("$(enc "$q")")
done
pids=(); c0=$(cpu); t0=$(date +%s.%N)
for q in "${encoded[@]}"; do
	curl -s -o /dev/null -w '  bomb %{http_code} %{time_total}s\n' "$base/api/v1/search?q=$q" & pids+=($!)
done
curl -s -o /dev/null -w '  normal search %{http_code} %{time_total}s\n' "$base/api/v1/search?q=user+entry+process" & pids+=($!)
curl -s -o /dev/null -w '  page /docs/section-h %{http_code} %{time_total}s\n' "$base/docs/section-h?party=dcc" & pids+=($!)
wait "${pids[@]}"
t1=$(date +%s.%N); sleep 1; c1=$(cpu)
printf '  all done in %.2fs wall, %.2f CPU s, peak RSS %d MB\n' "$(echo "$t1-$t0" | bc -l)" \
	"$(echo "($c1-$c0)/$hz" | bc -l)" $(($(awk '/VmHWM/{print $2}' /proc/$pid/status) / 1024))
