package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"

	"codenav/corpus"
	"codenav/index"
)

// SearchResult is one engine's latencies over the mix: p50 and p99 of each run (a run is
// the mix `rounds` times), and the medians of those.
type SearchResult struct {
	Engine  string    `json:"engine"`
	Queries int       `json:"queries"`
	Rounds  int       `json:"rounds"`
	P50ms   []float64 `json:"p50_ms"`
	P99ms   []float64 `json:"p99_ms"`
	P50     float64   `json:"p50_median_ms"`
	P99     float64   `json:"p99_median_ms"`
	// Hits is the total each query reported in the last run, to check the engines agree.
	Hits []int `json:"hits"`
	// PerQuery is each query's median time over every run and round.
	PerQuery []float64 `json:"per_query_median_ms"`
	// Samples holds every time of each query (runs x rounds).
	Samples [][]float64 `json:"per_query_ms"`
	Setup   float64     `json:"setup_s"` // loading the corpus and opening the index
}

func searchCmd(args []string) error {
	fs := flag.NewFlagSet("search", flag.ExitOnError)
	dir := fs.String("corpus", "", "corpus folder")
	data := fs.String("data", "", "data folder holding an index built by `codenav index`")
	mixPath := fs.String("mix", "", "query mix (suite mix)")
	runs := fs.Int("runs", 5, "runs")
	rounds := fs.Int("rounds", 4, "times the mix is run in each run")
	out := fs.String("o", "", "JSON file to write")
	cpuprof := fs.String("cpuprofile", "", "write a CPU profile of the measured runs")
	var between []string
	fs.Func("between", "a shell command run after each run (repeatable; $RUN is the run's number): bench/run runs one run of each peer there, so that the engines' runs interleave under the same load", func(s string) error {
		between = append(between, s)
		return nil
	})
	fs.Parse(args)
	var m Mix
	b, err := os.ReadFile(*mixPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	t0 := time.Now()
	code, err := corpus.Load(*dir)
	if err != nil {
		return err
	}
	ctx := context.Background()
	mgr, err := index.Open(ctx, *data, code, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer mgr.Close()
	if err := mgr.Wait(ctx); err != nil {
		return err
	}
	if !mgr.Current() {
		return errors.New("the index in the data folder was not built from this corpus: run codenav index first")
	}
	res := SearchResult{Engine: "codenav", Queries: len(m.Queries), Rounds: *rounds, Setup: time.Since(t0).Seconds()}
	reqs := make([]index.Request, len(m.Queries))
	for i, q := range m.Queries {
		reqs[i] = index.Request{Query: q.Q, Party: q.Party, At: corpus.Date(q.At), AllVersions: q.All,
			Category: q.Category, Today: corpus.Date(m.Today), Visible: m.Visible, Size: 20}
	}
	// One round to warm up (the index's files into the page cache, lazily built structures).
	for _, r := range reqs {
		if _, err := mgr.Search(ctx, r); err != nil {
			return fmt.Errorf("%q: %w", r.Query, err)
		}
	}
	if *cpuprof != "" {
		f, err := os.Create(*cpuprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res.Hits = make([]int, len(reqs))
	perQuery := make([][]float64, len(reqs))
	for run := 0; run < *runs; run++ {
		var lat []float64
		for round := 0; round < *rounds; round++ {
			for i, r := range reqs {
				start := time.Now()
				sr, err := mgr.Search(ctx, r)
				if err != nil {
					return fmt.Errorf("%q: %w", r.Query, err)
				}
				ms := float64(time.Since(start).Nanoseconds()) / 1e6
				lat = append(lat, ms)
				perQuery[i] = append(perQuery[i], ms)
				res.Hits[i] = sr.Total
			}
		}
		p50, p99 := percentiles(lat)
		res.P50ms = append(res.P50ms, p50)
		res.P99ms = append(res.P99ms, p99)
		fmt.Fprintf(os.Stderr, "codenav search run %d: p50 %.2f ms, p99 %.2f ms\n", run+1, p50, p99)
		if len(between) > 0 {
			// The profile samples this process only; it waits for the peers here.
			for _, c := range between {
				cmd := exec.Command("sh", "-c", c)
				cmd.Env = append(os.Environ(), "RUN="+strconv.Itoa(run+1))
				cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
				if err := cmd.Run(); err != nil {
					return fmt.Errorf("between runs: %s: %w", c, err)
				}
			}
		}
	}
	res.P50, res.P99 = median(res.P50ms), median(res.P99ms)
	res.Samples = perQuery
	for _, xs := range perQuery {
		res.PerQuery = append(res.PerQuery, median(xs))
	}
	b, _ = json.MarshalIndent(res, "", "  ")
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

// percentiles returns the 50th and 99th percentiles (nearest rank).
func percentiles(xs []float64) (float64, float64) {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	at := func(p float64) float64 {
		i := int(p*float64(len(s))+0.999999) - 1
		return s[min(max(i, 0), len(s)-1)]
	}
	return at(0.50), at(0.99)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
