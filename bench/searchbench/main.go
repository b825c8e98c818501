// Command searchbench measures the search index on the sample corpus or on a scaled copy of
// it: build time, size on disk against the size of the distinct text, and in-process query
// latency (p50, p99) over a fixed mix of queries with filters.
//
//	go run ./bench/searchbench -scale 1
//	go run ./bench/searchbench -scale 20
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"codenav/corpus"
	"codenav/index"
)

func main() {
	scale := flag.Int("scale", 1, "copies of each document (1 is the sample itself)")
	src := flag.String("corpus", "corpus/sec", "the corpus to scale")
	rounds := flag.Int("rounds", 20, "times the query mix is run")
	flag.Parse()
	if err := run(*src, *scale, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func run(src string, scale, rounds int) error {
	tmp, err := os.MkdirTemp("", "searchbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dir := src
	if scale > 1 {
		dir = filepath.Join(tmp, "corpus")
		if err := scaled(src, dir, scale); err != nil {
			return err
		}
	}
	t0 := time.Now()
	code, err := corpus.Load(dir)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	loadTime := time.Since(t0)
	entries := index.Entries(code)
	textBytes := 0
	for _, e := range entries {
		textBytes += len(e.Text)
	}
	versions, clauseVersions := 0, 0
	for _, d := range code.Documents {
		versions += len(d.Versions)
		for _, v := range d.Versions {
			clauseVersions += len(v.Tree().Clauses())
		}
	}
	data := filepath.Join(tmp, "data")
	t1 := time.Now()
	m, err := index.Open(context.Background(), data, code, index.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if err := m.Wait(context.Background()); err != nil {
		return err
	}
	buildTime := time.Since(t1)
	size, err := du(filepath.Join(data, "index"))
	if err != nil {
		return err
	}
	var visible []string
	for _, d := range code.For(corpus.Reader{}).Documents() {
		visible = append(visible, d.ID)
	}
	mix := queryMix()
	var lat []time.Duration
	ctx := context.Background()
	for r := 0; r < rounds; r++ {
		for _, q := range mix {
			q.Visible, q.Today = visible, "2026-11-28"
			start := time.Now()
			if _, err := m.Search(ctx, q); err != nil {
				return fmt.Errorf("query %q: %w", q.Query, err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	fmt.Printf("| corpus | documents | versions | clause versions | distinct clause texts | distinct text | load+parse | index build | index size | size / text | queries | p50 | p99 |\n")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	fmt.Printf("| sample x%d | %d | %d | %d | %d | %.1f MB | %s | %s | %.1f MB | %.2fx | %d | %s | %s |\n",
		scale, len(code.Documents), versions, clauseVersions, len(entries), float64(textBytes)/1e6,
		loadTime.Round(time.Millisecond), buildTime.Round(time.Millisecond), float64(size)/1e6,
		float64(size)/float64(textBytes), len(lat), pct(0.5).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond))
	return m.Close()
}

// queryMix is a fixed mix of 50 searches: words, phrases, required/excluded terms, prefixes,
// a party filter, a category or document filter, and points in time.
func queryMix() []index.Request {
	words := []string{"user entry", "security assessment", "privacy", "smki recovery", "modification proposal",
		"change board", "panel", "vulnerability", "service request", "confidential information",
		"accession", "suspension", "dispute", "force majeure", "working group", "authority decision",
		"registration authority", "key compromise", "self-assessment", "performance measure"}
	var out []index.Request
	for i, w := range words {
		r := index.Request{Query: w}
		switch i % 5 {
		case 1:
			r.Party = []string{"large-supplier", "small-supplier", "dcc", "other", "electricity-network"}[i%5]
		case 2:
			r.At = "2019-10-01"
		case 3:
			r.Category = "section"
		case 4:
			r.AllVersions = true
		}
		out = append(out, r)
	}
	for _, q := range []string{`"user entry process"`, `"security sub-committee"`, `"code administrator"`,
		`"privacy controls framework"`, `"shall not"`, "+dcc +gateway", "+panel -election", "+smki -recovery",
		"assess*", "vulnerab*", "modif*", "suppl*", "not", "any", "all parties"} {
		out = append(out, index.Request{Query: q}, index.Request{Query: q, Party: "small-supplier", At: "2020-03-01"})
	}
	return out
}

var (
	prefixLine = regexp.MustCompile(`(?m)^prefix:.*\n`)
	titleLine  = regexp.MustCompile(`(?m)^title:.*$`)
	inlineDef  = regexp.MustCompile(`(["“])\*\*([^*]+)\*\*(["”])`)
)

// scaled writes a corpus with n copies of every document of src (the first copy is the
// original). Copies have no clause prefix, so that cross-references still resolve to the
// originals, and Section A (which defines the terms) is not copied: a term defined twice is
// an error.
func scaled(src, dst string, n int) error {
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		return err
	}
	docs, err := os.ReadDir(filepath.Join(src, "documents"))
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.Name() == "section-a" {
			continue
		}
		for k := 2; k <= n; k++ {
			to := filepath.Join(dst, "documents", d.Name()+"-copy"+strconv.Itoa(k))
			from := os.DirFS(filepath.Join(src, "documents", d.Name()))
			if err := os.CopyFS(to, from); err != nil {
				return err
			}
			y := filepath.Join(to, "document.yaml")
			b, err := os.ReadFile(y)
			if err != nil {
				return err
			}
			b = prefixLine.ReplaceAll(b, nil)
			b = regexp.MustCompile(`(?m)^reference:.*\n`).ReplaceAll(b, nil)
			b = titleLine.ReplaceAllFunc(b, func(line []byte) []byte {
				t := strings.Trim(strings.TrimSpace(strings.TrimPrefix(string(line), "title:")), `"'`)
				return []byte("title: '" + strings.ReplaceAll("Copy "+strconv.Itoa(k)+" of "+t, "'", "''") + "'")
			})
			if err := os.WriteFile(y, b, 0o644); err != nil {
				return err
			}
			// Inline definitions would define their terms once per copy: keep them as plain bold.
			mds, err := filepath.Glob(filepath.Join(to, "*.md"))
			if err != nil {
				return err
			}
			for _, md := range mds {
				b, err := os.ReadFile(md)
				if err != nil {
					return err
				}
				b = inlineDef.ReplaceAll(b, []byte(`$1$2$3`))
				if err := os.WriteFile(md, b, 0o644); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func du(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	return n, err
}
