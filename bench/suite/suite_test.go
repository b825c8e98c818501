package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"codenav/corpus"
	"codenav/index"
	"codenav/legaltext"
)

var sample = filepath.Join("..", "..", "corpus", "sec")

// TestExportMatchesLoader: the rows SQLite gets are the nodes codenav reads, one per clause
// (or other block with text) per version, with the document's parties when the node has none.
func TestExportMatchesLoader(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rows.csv")
	if err := exportCmd([]string{"-corpus", sample, "-o", out}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	code, err := corpus.Load(sample)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, d := range code.Documents {
		for _, v := range d.Versions {
			for _, n := range v.Tree().Nodes {
				if n.Kind != legaltext.KindHeading && strings.TrimSpace(n.Text) != "" {
					want++
				}
			}
		}
	}
	if len(rows) != want {
		t.Fatalf("%d rows, want %d", len(rows), want)
	}
	for _, r := range rows {
		if len(r) != 7 || r[5] == "" || r[3] > r[4] {
			t.Fatalf("bad row %q", r)
		}
	}
}

// TestMix: at least 50 queries, each with an FTS5 form and a /search URL, filters included.
func TestMix(t *testing.T) {
	m, err := buildMix(sample)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Queries) < 50 {
		t.Fatalf("%d queries, want at least 50", len(m.Queries))
	}
	kinds := map[string]bool{}
	for _, q := range m.Queries {
		if q.FTS == "" || !strings.HasPrefix(q.URL, "/search?") || !strings.Contains(q.URL, "q=") {
			t.Errorf("incomplete query %+v", q)
		}
		kinds[q.Label] = true
		if q.Category != "" && len(q.Docs) == 0 {
			t.Errorf("%q: category %s without its documents", q.Q, q.Category)
		}
	}
	for _, k := range []string{"words+party", "words+date", "words, every version", "syntax+party+date"} {
		if !kinds[k] {
			t.Errorf("no %q query", k)
		}
	}
	if len(m.Hidden) == 0 || len(m.Visible) == 0 {
		t.Errorf("the sample has restricted documents: hidden %v", m.Hidden)
	}
}

// TestReport: medians, codenav/peer ratios and the targets, from a measurements file.
func TestReport(t *testing.T) {
	dir := t.TempDir()
	meas := filepath.Join(dir, "m.txt")
	lines := []string{
		"info.cores 2",
		"index.codenav.size_bytes 100", "index.fts5.size_bytes 400", "index.fts5_strong.size_bytes 40",
		"redline.codenav_html.wall_s 3", "redline.codenav_html.wall_s 1", "redline.codenav_html.wall_s 2",
		"redline.git.wall_s 1",
		"http.codenav_document.rps 100", "http.nginx.rps 1000",
		"http.codenav_search.rps 3500",
	}
	if err := os.WriteFile(meas, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "r.json")
	if err := reportCmd([]string{"-measure", meas, "-o", out, "-md", filepath.Join(dir, "r.md")}); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Ratios  map[string]float64 `json:"ratios"`
		Targets []struct {
			Name     string `json:"name"`
			Met      bool   `json:"met"`
			Measured bool   `json:"measured"`
		} `json:"targets"`
		Redline map[string]map[string]any `json:"redline"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Ratios["index_size_codenav_over_fts5"] != 0.25 || r.Ratios["index_size_codenav_over_fts5_strong"] != 2.5 || r.Ratios["redline_html_codenav_over_git"] != 2 ||
		r.Ratios["document_page_rps_codenav_over_nginx"] != 0.1 {
		t.Errorf("ratios %v", r.Ratios)
	}
	if r.Redline["git"] == nil || r.Redline["codenav_html"]["wall_s"] != 2.0 {
		t.Errorf("redline section %v", r.Redline)
	}
	met := map[string]bool{}
	for _, x := range r.Targets {
		if x.Measured {
			met[x.Name] = x.Met
		}
	}
	want := map[string]bool{"index_size_vs_fts5": true, "index_size_vs_fts5_strong": false, "redline_html_vs_git": true, "document_page_vs_nginx": false, "search_rps": true}
	for k, v := range want {
		if got, ok := met[k]; !ok || got != v {
			t.Errorf("target %s: met=%v (measured %v), want %v", k, got, ok, v)
		}
	}
	if _, ok := met["search_p50_vs_fts5"]; ok {
		t.Errorf("search target reported without search results")
	}
}

// TestReportSearch: codenav's search against both peers, medians of the runs, and how many
// queries each peer totals as codenav does.
func TestReportSearch(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, r SearchResult) string {
		p := filepath.Join(dir, name)
		b, _ := json.Marshal(r)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cn := write("cn.json", SearchResult{Engine: "codenav", P50: 4, P99: 40, Hits: []int{10, 20, 30},
		P50ms: []float64{4, 8, 2}, P99ms: []float64{40, 40, 40}})
	weak := write("weak.json", SearchResult{Engine: "fts5", P50: 40, P99: 100, Hits: []int{10, 25, 30}})
	strong := write("strong.json", SearchResult{Engine: "fts5_strong", P50: 10, P99: 50, Hits: []int{10, 20, 30},
		P50ms: []float64{10, 10, 20}, P99ms: []float64{50, 50, 50}})
	meas := filepath.Join(dir, "m.txt")
	if err := os.WriteFile(meas, []byte("info.cores 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "r.json")
	md := filepath.Join(dir, "r.md")
	if err := reportCmd([]string{"-measure", meas, "-search-codenav", cn, "-search-fts5", weak, "-search-fts5-strong", strong, "-o", out, "-md", md}); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Ratios  map[string]float64 `json:"ratios"`
		Targets []struct {
			Name string `json:"name"`
			Met  bool   `json:"met"`
		} `json:"targets"`
		Search map[string]map[string]any `json:"search"`
	}
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Ratios["search_p50_codenav_over_fts5_strong"] != 0.4 || r.Ratios["search_p99_codenav_over_fts5_strong"] != 0.8 ||
		r.Ratios["search_p50_codenav_over_fts5"] != 0.1 ||
		r.Ratios["search_p50_codenav_over_fts5_strong_run_by_run_median"] != 0.4 { // 0.4, 0.8, 0.1
		t.Errorf("ratios %v", r.Ratios)
	}
	met := map[string]bool{}
	for _, x := range r.Targets {
		met[x.Name] = x.Met
	}
	if !met["search_p50_vs_fts5_strong"] || met["search_p99_vs_fts5_strong"] {
		t.Errorf("targets %v: p50 0.4x meets 0.5x, p99 0.8x does not", met)
	}
	if a := r.Search["agreement"]; a["fts5_strong_same_totals"] != 3.0 || a["fts5_same_totals"] != 2.0 {
		t.Errorf("agreement %v", a)
	}
	mdText, _ := os.ReadFile(md)
	if !strings.Contains(string(mdText), "strong FTS5") {
		t.Errorf("summary names no strong peer:\n%s", mdText)
	}
}

// TestExportDistinct: the strong peer gets exactly what codenav indexes: one row per entry of
// index.Entries, numbered from 1 (the rowid), with its date range and filter values.
func TestExportDistinct(t *testing.T) {
	out := filepath.Join(t.TempDir(), "texts.csv")
	if err := exportCmd([]string{"-distinct", "-corpus", sample, "-o", out}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	code, err := corpus.Load(sample)
	if err != nil {
		t.Fatal(err)
	}
	entries := index.Entries(code)
	if len(rows) != len(entries) {
		t.Fatalf("%d rows, want %d entries", len(rows), len(entries))
	}
	for i, r := range rows {
		e := entries[i]
		if len(r) != 12 || r[0] != strconv.Itoa(i+1) || r[1] != e.Doc || r[2] != e.Clause ||
			r[5] != strconv.Itoa(e.From) || r[6] != strconv.Itoa(e.To) || r[5] > r[6] ||
			r[8] != e.Category || r[9] != e.Text || r[10] != e.Table || r[11] != e.Heading {
			t.Fatalf("row %d %q does not match entry %+v", i, r, e)
		}
		if r[7] == "" || r[7] != strings.Join(e.Applies, " ") {
			t.Fatalf("row %d applies to %q, want %v", i, r[7], e.Applies)
		}
	}
}
