// Command suite holds the Go side of bench/run, the side-by-side benchmark suite (issue 7):
//
//	suite export  -corpus DIR -o rows.csv        every clause of every version, one CSV row each, for SQLite
//	suite mix     -corpus DIR -o mix.json        the fixed query mix, in codenav's syntax and FTS5's
//	suite search  -corpus DIR -data DIR -mix mix.json -o out.json
//	                                             codenav's search in-process: p50/p99 per run
//	suite report  -measure FILE ... -o results.json -md results.md
//	                                             medians, ratios and targets from bench/run's measurements
//	suite httpprof -corpus DIR -path P -n N -cpuprofile F
//	                                             codenav's HTTP handler in-process under the CPU profiler
//	suite redlineprof -old A.md -new B.md        the steps of a redline, timed one by one
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: suite export|mix|search|report|httpprof|redlineprof [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "export":
		err = exportCmd(os.Args[2:])
	case "mix":
		err = mixCmd(os.Args[2:])
	case "search":
		err = searchCmd(os.Args[2:])
	case "report":
		err = reportCmd(os.Args[2:])
	case "httpprof":
		err = httpprofCmd(os.Args[2:])
	case "redlineprof":
		err = redlineprofCmd(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "suite:", err)
		os.Exit(1)
	}
}
