package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"time"

	"codenav/corpus"
	"codenav/server"
)

func main() {
	f0, _ := os.Create("/tmp/open.prof")
	pprof.StartCPUProfile(f0)
	t0 := time.Now()
	code, err := corpus.Open(os.Args[1], corpus.Options{CacheDir: os.Args[2]})
	if err != nil {
		panic(err)
	}
	fmt.Println("open", time.Since(t0), code.FromSnapshot())
	pprof.StopCPUProfile()
	f, _ := os.Create("/tmp/new.prof")
	pprof.StartCPUProfile(f)
	t1 := time.Now()
	_, err = server.New(server.Config{Code: code, Logger: slog.New(slog.DiscardHandler)})
	fmt.Println("new", time.Since(t1), err)
	pprof.StopCPUProfile()
}
