package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// reportCmd turns bench/run's measurements into bench/results.json and a Markdown summary.
//
// The measurements file has one line per measured run, "section.peer.metric value" (for
// example "index.fts5.wall_s 41.2"), and "info.key text" lines describing the machine and
// the tools. Each figure reported is the median of its runs; ratios are codenav's median over
// the peer's median, measured in the same run of bench/run.
func reportCmd(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	measure := fs.String("measure", "", "measurements file written by bench/run")
	stats := fs.String("stats", "", "the generator's statistics (JSON)")
	cn := fs.String("search-codenav", "", "suite search output")
	ft := fs.String("search-fts5", "", "fts5bench output (the weak peer: a row per clause per version)")
	fs5 := fs.String("search-fts5-strong", "", "fts5bench -schema strong output (distinct texts with date ranges)")
	mixPath := fs.String("mix", "", "the query mix")
	out := fs.String("o", "", "results JSON to write")
	md := fs.String("md", "", "Markdown summary to write")
	fs.Parse(args)

	runs := map[string][]float64{}
	info := map[string]string{}
	f, err := os.Open(*measure)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if !ok {
			continue
		}
		if name, ok := strings.CutPrefix(k, "info."); ok {
			info[name] = strings.TrimSpace(v)
			continue
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return fmt.Errorf("%s: %q is not a number", k, v)
		}
		runs[k] = append(runs[k], x)
	}
	f.Close()

	res := map[string]any{"issues": []int{7, 16}, "command": "bench/run", "machine": info}
	if *stats != "" {
		var st map[string]any
		if b, err := os.ReadFile(*stats); err == nil && json.Unmarshal(b, &st) == nil {
			res["corpus"] = st
		}
	}
	// section -> peer -> metric -> median, plus metric+"_runs".
	sections := map[string]map[string]map[string]any{}
	med := func(k string) (float64, bool) {
		xs, ok := runs[k]
		if !ok || len(xs) == 0 {
			return 0, false
		}
		return median(xs), true
	}
	var keys []string
	for k := range runs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.SplitN(k, ".", 3)
		if len(parts) != 3 {
			continue
		}
		s, p, m := parts[0], parts[1], parts[2]
		if sections[s] == nil {
			sections[s] = map[string]map[string]any{}
		}
		if sections[s][p] == nil {
			sections[s][p] = map[string]any{}
		}
		v, _ := med(k)
		sections[s][p][m] = round3(v)
		sections[s][p][m+"_runs"] = runs[k]
	}
	// codenav, the weak FTS5 peer, the strong one.
	engines := []string{"codenav", "fts5", "fts5_strong"}
	var search [3]*SearchResult
	for i, path := range []string{*cn, *ft, *fs5} {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r SearchResult
		if err := json.Unmarshal(b, &r); err != nil {
			return err
		}
		search[i] = &r
	}
	if search[0] != nil || search[1] != nil || search[2] != nil {
		sections["search"] = map[string]map[string]any{}
		for i, name := range engines {
			if r := search[i]; r != nil {
				sections["search"][name] = map[string]any{"p50_ms": round3(r.P50), "p99_ms": round3(r.P99),
					"p50_ms_runs": r.P50ms, "p99_ms_runs": r.P99ms, "queries": r.Queries, "rounds": r.Rounds, "hits": r.Hits,
					"per_query_median_ms": r.PerQuery}
			}
		}
		// How many queries each peer answers with codenav's total: the engines must be
		// doing the same work for their times to compare.
		agree := map[string]any{}
		for i := 1; i < len(search); i++ {
			if search[0] != nil && search[i] != nil && len(search[0].Hits) == len(search[i].Hits) {
				same := 0
				for q := range search[0].Hits {
					if search[0].Hits[q] == search[i].Hits[q] {
						same++
					}
				}
				agree[engines[i]+"_same_totals"] = same
				agree["queries"] = len(search[0].Hits)
			}
		}
		if len(agree) > 0 {
			sections["search"]["agreement"] = agree
		}
		if *mixPath != "" {
			if b, err := os.ReadFile(*mixPath); err == nil {
				var m Mix
				if json.Unmarshal(b, &m) == nil {
					sections["search"]["mix"] = map[string]any{"queries": m.Queries, "today": m.Today}
				}
			}
		}
	}
	for s, v := range sections {
		res[s] = v
	}

	// Ratios (codenav / peer) and targets.
	type target struct {
		Name   string  `json:"name"`
		Target string  `json:"target"`
		Value  float64 `json:"value"`
		Limit  float64 `json:"limit"`
		Met    bool    `json:"met"`
		Have   bool    `json:"measured"`
	}
	ratio := func(a, b string) (float64, bool) {
		x, ok1 := med(a)
		y, ok2 := med(b)
		if !ok1 || !ok2 || y == 0 {
			return 0, false
		}
		return x / y, true
	}
	ratios := map[string]float64{}
	put := func(name, a, b string) {
		if v, ok := ratio(a, b); ok {
			ratios[name] = round3(v)
		}
	}
	for _, peer := range []string{"fts5", "fts5_strong"} {
		put("index_build_time_codenav_over_"+peer, "index.codenav.wall_s", "index."+peer+".wall_s")
		put("index_size_codenav_over_"+peer, "index.codenav.size_bytes", "index."+peer+".size_bytes")
		put("index_peak_rss_codenav_over_"+peer, "index.codenav.peak_rss_kb", "index."+peer+".peak_rss_kb")
	}
	put("redline_html_codenav_over_git", "redline.codenav_html.wall_s", "redline.git.wall_s")
	put("redline_docx_codenav_over_git", "redline.codenav_docx.wall_s", "redline.git.wall_s")
	put("document_page_rps_codenav_over_nginx", "http.codenav_document.rps", "http.nginx.rps")
	put("document_page_rendered_rps_codenav_over_nginx", "http.codenav_document_rendered.rps", "http.nginx_b.rps")
	for i := 1; i < len(search); i++ {
		if search[0] != nil && search[i] != nil && search[i].P50 > 0 && search[i].P99 > 0 {
			ratios["search_p50_codenav_over_"+engines[i]] = round3(search[0].P50 / search[i].P50)
			ratios["search_p99_codenav_over_"+engines[i]] = round3(search[0].P99 / search[i].P99)
			// Run k of a peer ran right after run k of codenav (bench/run interleaves them):
			// the median of the run-by-run ratios is the least disturbed by the machine's load.
			if n := min(len(search[0].P50ms), len(search[i].P50ms)); n > 0 {
				var r50, r99 []float64
				for k := 0; k < n; k++ {
					if search[i].P50ms[k] > 0 && search[i].P99ms[k] > 0 {
						r50 = append(r50, search[0].P50ms[k]/search[i].P50ms[k])
						r99 = append(r99, search[0].P99ms[k]/search[i].P99ms[k])
					}
				}
				if len(r50) > 0 {
					ratios["search_p50_codenav_over_"+engines[i]+"_run_by_run_median"] = round3(median(r50))
					ratios["search_p99_codenav_over_"+engines[i]+"_run_by_run_median"] = round3(median(r99))
				}
			}
		}
	}
	res["ratios"] = ratios
	var ts []target
	add := func(name, desc string, v float64, have bool, limit float64, atMost bool) {
		t := target{Name: name, Target: desc, Value: round3(v), Limit: limit, Have: have}
		if have {
			t.Met = v <= limit
			if !atMost {
				t.Met = v >= limit
			}
		}
		ts = append(ts, t)
	}
	// Issue 16: against FTS5 built on what codenav indexes (the strong peer).
	v, ok := ratios["search_p50_codenav_over_fts5_strong"]
	add("search_p50_vs_fts5_strong", "codenav search p50 <= 0.5x strong FTS5's (distinct texts, same filters)", v, ok, 0.5, true)
	v, ok = ratios["search_p99_codenav_over_fts5_strong"]
	add("search_p99_vs_fts5_strong", "codenav search p99 <= 0.5x strong FTS5's", v, ok, 0.5, true)
	v, ok = ratios["index_size_codenav_over_fts5_strong"]
	add("index_size_vs_fts5_strong", "codenav index size <= 1.0x strong FTS5's", v, ok, 1.0, true)
	// Issue 7's, against a row per clause per version: met by indexing less, not by the engine.
	v, ok = ratios["search_p50_codenav_over_fts5"]
	add("search_p50_vs_fts5", "codenav search p50 <= 1.0x weak FTS5's (a row per clause per version; issue 7)", v, ok, 1.0, true)
	v, ok = ratios["index_size_codenav_over_fts5"]
	add("index_size_vs_fts5", "codenav index size <= 0.5x weak FTS5's (issue 7)", v, ok, 0.5, true)
	v, ok = ratios["redline_html_codenav_over_git"]
	add("redline_html_vs_git", "codenav redline (HTML) <= 2x git word diff", v, ok, 2, true)
	v, ok = ratios["redline_docx_codenav_over_git"]
	add("redline_docx_vs_git", "codenav redline (DOCX) <= 2x git word diff", v, ok, 2, true)
	v, ok = ratios["document_page_rps_codenav_over_nginx"]
	add("document_page_vs_nginx", "document page throughput >= 0.5x nginx serving it static", v, ok, 0.5, false)
	v, ok = med("http.codenav_search.rps")
	add("search_rps", "search >= 3,000 requests/s on 2 cores", v, ok, 3000, false)
	// Issue 16, part 3: throughput without the page cache, and the redline against git.
	v, ok = ratios["document_page_rendered_rps_codenav_over_nginx"]
	add("document_page_uncached_vs_nginx", "document page with the page cache off >= 0.3x nginx", v, ok, 0.3, false)
	v, ok = med("http.codenav_search_rendered.rps")
	add("search_uncached_rps", "search page with the page cache off >= 500 requests/s (16 connections)", v, ok, 500, false)
	v, ok = ratios["redline_html_codenav_over_git"]
	add("redline_html_vs_git_3x", "codenav redline (HTML) <= 3x git word diff (issue 16)", v, ok, 3, true)
	// Issue 16, part 1: memory and start independent of history.
	v, ok = med("start.codenav.ready_s")
	add("start_ready", "start to ready with an existing index <= 5 s", v, ok, 5, true)
	v, ok = med("serve.codenav.rss_ready_kb")
	add("rss_ready", "RSS at ready <= 1 GB (MB)", v/1024, ok, 1024, true)
	v, ok = med("history.codenav.rss_after_all_kb")
	add("rss_after_all", "RSS after reading every version <= 1.5 GB (MB)", v/1024, ok, 1536, true)
	if a, okA := med("history.codenav.rss_before_reload_kb"); okA {
		v, ok = med("history.codenav.rss_after_reload_kb")
		add("reload_growth", "RSS after a reload / before it <= 1.2 (no second copy)", v/a, ok, 1.2, true)
	}
	res["targets"] = ts

	b, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	if *md != "" {
		var w strings.Builder
		get := func(k string) string {
			x, ok := med(k)
			if !ok {
				return "—"
			}
			return num(x)
		}
		fmt.Fprintf(&w, "| what | codenav | peer | ratio (codenav / peer) |\n| --- | --- | --- | --- |\n")
		row := func(what, a, b, r string) { fmt.Fprintf(&w, "| %s | %s | %s | %s |\n", what, a, b, r) }
		rs := func(k string) string {
			if x, ok := ratios[k]; ok {
				return fmt.Sprintf("%.2fx", x)
			}
			return "—"
		}
		for _, pr := range []struct{ key, name string }{{"fts5_strong", "strong FTS5 (distinct texts)"}, {"fts5", "weak FTS5 (a row per clause per version)"}} {
			p := pr.key
			row("index build, wall (s): `codenav index` vs sqlite3 import + FTS5 build, "+pr.name, get("index.codenav.wall_s"), get("index."+p+".wall_s"), rs("index_build_time_codenav_over_"+p))
			row("index size on disk (MB), "+pr.name, mb(med("index.codenav.size_bytes")), mb(med("index."+p+".size_bytes")), rs("index_size_codenav_over_"+p))
			row("index peak memory (MB RSS), "+pr.name, kbmb(med("index.codenav.peak_rss_kb")), kbmb(med("index."+p+".peak_rss_kb")), rs("index_peak_rss_codenav_over_"+p))
		}
		for i, name := range []string{"", "weak FTS5", "strong FTS5"} {
			if i == 0 || search[0] == nil || search[i] == nil {
				continue
			}
			row("search p50 (ms), in-process, "+name, num(search[0].P50), num(search[i].P50), rs("search_p50_codenav_over_"+engines[i]))
			row("search p99 (ms), in-process, "+name, num(search[0].P99), num(search[i].P99), rs("search_p99_codenav_over_"+engines[i]))
			if a, ok := sections["search"]["agreement"][engines[i]+"_same_totals"]; ok {
				row("queries with the same total as codenav, "+name, fmt.Sprint(sections["search"]["agreement"]["queries"]), fmt.Sprint(a), "—")
			}
		}
		row("redline of the largest changed pair, HTML (s) vs git word diff", get("redline.codenav_html.wall_s"), get("redline.git.wall_s"), rs("redline_html_codenav_over_git"))
		row("redline of the largest changed pair, DOCX (s) vs git word diff", get("redline.codenav_docx.wall_s"), get("redline.git.wall_s"), rs("redline_docx_codenav_over_git"))
		row("document page (requests/s) vs nginx static", get("http.codenav_document.rps"), get("http.nginx.rps"), rs("document_page_rps_codenav_over_nginx"))
		row("document page p99 latency (ms) vs nginx", get("http.codenav_document.p99_ms"), get("http.nginx.p99_ms"), "—")
		row("document page with the page cache off (requests/s) vs nginx static in the same runs", get("http.codenav_document_rendered.rps"), get("http.nginx_b.rps"), rs("document_page_rendered_rps_codenav_over_nginx"))
		row("search page, the mix's queries repeated (requests/s)", get("http.codenav_search.rps"), "—", "—")
		row("search page with the page cache off: every search run (requests/s)", get("http.codenav_search_rendered.rps"), "—", "—")
		row("search page with the page cache off, p50 / p99 latency (ms)", get("http.codenav_search_rendered.p50_ms")+" / "+get("http.codenav_search_rendered.p99_ms"), "—", "—")
		row("compare page (requests/s)", get("http.codenav_compare.rps"), "—", "—")
		row("start to ready with an existing index (s)", get("start.codenav.ready_s"), "—", "—")
		row("resident memory while serving (MB)", kbmb(med("serve.codenav.rss_kb")), kbmb(med("serve.nginx.rss_kb")), "—")
		row("resident memory at ready (MB)", kbmb(med("serve.codenav.rss_ready_kb")), "—", "—")
		row("resident memory after reading every version once (MB)", kbmb(med("history.codenav.rss_after_all_kb")), "—", "—")
		row("resident memory before / after a SIGHUP reload (MB)", kbmb(med("history.codenav.rss_before_reload_kb"))+" / "+kbmb(med("history.codenav.rss_after_reload_kb")), "—", "—")
		fmt.Fprintf(&w, "\n| target | value | met |\n| --- | --- | --- |\n")
		for _, t := range ts {
			m := "**missed**"
			if !t.Have {
				m = "not measured"
			} else if t.Met {
				m = "met"
			}
			fmt.Fprintf(&w, "| %s | %s | %s |\n", t.Target, num(t.Value), m)
		}
		if err := os.WriteFile(*md, []byte(w.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func round3(x float64) float64 {
	if x == 0 {
		return 0
	}
	s := strconv.FormatFloat(x, 'g', 4, 64)
	y, _ := strconv.ParseFloat(s, 64)
	return y
}

func num(x float64) string {
	switch {
	case x >= 100:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case x >= 10:
		return strconv.FormatFloat(x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 2, 64)
	}
}

func mb(x float64, ok bool) string {
	if !ok {
		return "—"
	}
	return num(x / 1e6)
}

func kbmb(x float64, ok bool) string {
	if !ok {
		return "—"
	}
	return num(x / 1024)
}
