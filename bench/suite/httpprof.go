package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/index"
	"codenav/server"
)

// httpprofCmd answers requests with codenav's HTTP handler in-process (no network, no wrk)
// under the CPU profiler, to show where a page's time goes. It builds its own index in a
// temporary folder, so give it a small corpus with documents of the size measured.
//
//	suite httpprof -corpus DIR -path /docs/section-b -n 500  (or -mix mix.json for the search pages) -cpuprofile doc.prof
func httpprofCmd(args []string) error {
	fs := flag.NewFlagSet("httpprof", flag.ExitOnError)
	dir := fs.String("corpus", "", "corpus folder")
	paths := fs.String("path", "", "request paths, separated by spaces, answered in turn")
	mixPath := fs.String("mix", "", "or: the /search URLs of this query mix (suite mix)")
	n := fs.Int("n", 500, "requests")
	prof := fs.String("cpuprofile", "", "CPU profile to write")
	data := fs.String("data", "", "a data folder holding the corpus's index (codenav index); default: build one in a temporary folder")
	fs.Parse(args)
	gin.SetMode(gin.ReleaseMode)
	list := strings.Fields(*paths)
	if *mixPath != "" {
		b, err := os.ReadFile(*mixPath)
		if err != nil {
			return err
		}
		var m Mix
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		for _, q := range m.Queries {
			list = append(list, q.URL)
		}
	}
	if len(list) == 0 {
		return fmt.Errorf("no -path and no -mix")
	}
	code, err := corpus.Load(*dir)
	if err != nil {
		return err
	}
	tmp := *data
	if tmp == "" {
		if tmp, err = os.MkdirTemp("", "httpprof"); err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	idx, err := index.Open(ctx, tmp, code, index.Options{Logger: quiet})
	if err != nil {
		return err
	}
	defer idx.Close()
	if err := idx.Wait(ctx); err != nil {
		return err
	}
	// The page cache is off: the profile is of making the page, which is what a cached page
	// saves and what every signed-in reader's request costs.
	srv, err := server.New(server.Config{Code: code, Logger: quiet, Index: idx, PageCacheBytes: -1})
	if err != nil {
		return err
	}
	h := srv.Handler()
	get := func(p string) (int, int) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		return rec.Code, rec.Body.Len()
	}
	for _, p := range list { // warm-up: caches (renderings, redlines) filled once
		if c, _ := get(p); c != http.StatusOK {
			return fmt.Errorf("%s: status %d", p, c)
		}
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	bytes := 0
	for i := 0; i < *n; i++ {
		_, b := get(list[i%len(list)])
		bytes += b
	}
	el := time.Since(start)
	fmt.Fprintf(os.Stdout, "%d requests in %s: %.3f ms each, %d bytes each on average, one goroutine\n",
		*n, el.Round(time.Millisecond), float64(el.Microseconds())/1000/float64(*n), bytes / *n)
	return nil
}
