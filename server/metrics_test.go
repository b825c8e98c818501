package server

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/metrics/metricstest"
)

// metricsServer is a server of the sample corpus (sharing testServer's code and index) that
// records into m.
func metricsServer(t testing.TB, m *Metrics) *Server {
	t.Helper()
	base := testServer(t)
	s, err := New(Config{Code: base.code, Index: base.index, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return fixedNow }, Metrics: m})
	require.NoError(t, err)
	return s
}

// scrapeMetrics reads /metrics as Prometheus would, through the strict reader.
func scrapeMetrics(t *testing.T, m *Metrics) map[string]*metricstest.Family {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, w.Code)
	fams, err := metricstest.Parse(w.Body.String())
	require.NoError(t, err, w.Body.String())
	return fams
}

func metricValue(fams map[string]*metricstest.Family, fam, sample string, labels map[string]string) float64 {
	v, _ := metricstest.Value(fams, fam, sample, labels)
	return v
}

func TestMetricsFollowRequests(t *testing.T) {
	m := NewMetrics()
	s := metricsServer(t, m)
	before := scrapeMetrics(t, m)

	require.Equal(t, 200, get(t, s, "/docs/section-h").Code)
	require.Equal(t, 200, get(t, s, "/docs/section-h").Code) // from the page cache
	require.Equal(t, 200, get(t, s, "/docs/section-b").Code)
	require.Equal(t, 404, get(t, s, "/docs/no-such-document").Code)
	require.Equal(t, 404, get(t, s, "/no/such/page").Code)
	require.Equal(t, 200, get(t, s, "/api/v1/search?q=smki").Code)
	require.Equal(t, 200, get(t, s, "/docs/section-h/compare?from=1.0&to=3.0").Code)
	w := postJSON(t, s, "/api/v1/redline", strings.NewReader(`{"old": "**A1.1** The cat sat.", "new": "**A1.1** The cat sat down.", "format": "html"}`))
	require.Equal(t, 200, w.Code, w.Body.String())

	after := scrapeMetrics(t, m)
	grew := func(fam, sample string, labels map[string]string) float64 {
		return metricValue(after, fam, sample, labels) - metricValue(before, fam, sample, labels)
	}
	req := "codenav_http_requests_total"
	dur := "codenav_http_request_duration_seconds"
	tests := []struct {
		name        string
		fam, sample string
		labels      map[string]string
		want        float64
		atLeast     bool // the pages compute more than the request asks for
	}{
		{"document pages by route", req, req, map[string]string{"route": "/docs/:id", "method": "GET", "status": "2xx"}, 3, false},
		{"a missing document is its route's 4xx", req, req, map[string]string{"route": "/docs/:id", "method": "GET", "status": "4xx"}, 1, false},
		{"no route", req, req, map[string]string{"route": "unmatched", "method": "GET", "status": "4xx"}, 1, false},
		{"search API", req, req, map[string]string{"route": "/api/v1/search", "status": "2xx"}, 1, false},
		{"redline API", req, req, map[string]string{"route": "/api/v1/redline", "method": "POST", "status": "2xx"}, 1, false},
		{"latency of document pages", dur, dur + "_count", map[string]string{"route": "/docs/:id", "method": "GET"}, 4, false},
		{"page cache hit", "codenav_page_cache_requests_total", "codenav_page_cache_requests_total", map[string]string{"result": "hit"}, 1, false},
		{"page cache misses", "codenav_page_cache_requests_total", "codenav_page_cache_requests_total", map[string]string{"result": "miss"}, 4, false}, // two pages, a search, a comparison
		{"search timed", "codenav_search_duration_seconds", "codenav_search_duration_seconds_count", map[string]string{"result": "ok"}, 1, false},
		{"redline of versions timed", "codenav_redline_duration_seconds", "codenav_redline_duration_seconds_count", map[string]string{"source": "versions"}, 1, true}, // document pages mark changed clauses by a redline too
		{"redline of posted text timed", "codenav_redline_duration_seconds", "codenav_redline_duration_seconds_count", map[string]string{"source": "posted"}, 1, false},
		{"work slot taken at once", "codenav_work_total", "codenav_work_total", map[string]string{"outcome": "immediate"}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.atLeast {
				assert.GreaterOrEqual(t, grew(tt.fam, tt.sample, tt.labels), tt.want)
				return
			}
			assert.InDelta(t, tt.want, grew(tt.fam, tt.sample, tt.labels), 0)
		})
	}

	versions := 0
	for _, d := range s.code.Documents {
		versions += len(d.Versions)
	}
	state := []struct {
		fam    string
		labels map[string]string
		want   float64
	}{
		{"codenav_generation", nil, 1},
		{"codenav_index_ready", nil, 1},
		{"codenav_index_current", nil, 1},
		{"codenav_corpus_documents", nil, float64(len(s.code.Documents))},
		{"codenav_corpus_versions", nil, float64(versions)},
		{"codenav_work_slots", map[string]string{"state": "total"}, float64(s.limits.Concurrent)},
	}
	for _, tt := range state {
		t.Run(tt.fam, func(t *testing.T) {
			v, ok := metricstest.Value(after, tt.fam, tt.fam, tt.labels)
			require.True(t, ok)
			assert.InDelta(t, tt.want, v, 0)
		})
	}
	assert.Greater(t, metricValue(after, "codenav_corpus_bytes", "codenav_corpus_bytes", nil), 10000.0, "the sample's Markdown")
	assert.Greater(t, metricValue(after, "codenav_page_cache_bytes", "codenav_page_cache_bytes", nil), 0.0)
	for _, fam := range []string{"codenav_render_cache_bytes", "codenav_tree_cache_bytes"} {
		v, ok := metricstest.Value(after, fam, fam, map[string]string{"kind": "max"})
		assert.True(t, ok && v > 0, "%s{kind=max}", fam)
	}
	assert.Greater(t, metricValue(after, "codenav_render_cache_requests_total", "codenav_render_cache_requests_total", map[string]string{"result": "miss"})+
		metricValue(after, "codenav_render_cache_requests_total", "codenav_render_cache_requests_total", map[string]string{"result": "hit"}), 0.0)
	assert.Len(t, after["codenav_index_info"].Samples, 1)
	assert.Len(t, after["codenav_build_info"].Samples, 1)
	assert.Greater(t, metricValue(after, "go_goroutines", "go_goroutines", nil), 0.0)
}

// A flood of random addresses, including random document names, makes no new series: the
// route pattern is the label, never the path.
func TestMetricsCardinalityBounded(t *testing.T) {
	m := NewMetrics()
	s := metricsServer(t, m)
	rng := rand.New(rand.NewPCG(7, 16))
	word := func() string {
		const letters = "abcdefghijklmnopqrstuvwxyz0123456789-%."
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	flood := func(n int) {
		methods := []string{http.MethodGet, http.MethodPost, "PROPFIND", "BREW", http.MethodDelete}
		for range n {
			var target string
			switch rng.IntN(4) {
			case 0:
				target = "/docs/" + word()
			case 1:
				target = "/" + word() + "/" + word()
			case 2:
				target = "/releases/" + word() + "?x=" + word()
			default:
				target = "/static/" + word()
			}
			req := httptest.NewRequest(methods[rng.IntN(len(methods))], "http://site"+strings.ReplaceAll(target, "%", "%25"), nil)
			s.Handler().ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	series := func() int {
		fams := scrapeMetrics(t, m)
		n := 0
		for _, f := range fams {
			n += len(f.Samples)
		}
		return n
	}
	flood(200)
	first := series()
	flood(2000)
	assert.Equal(t, first, series(), "2,000 more random requests add no series")
	fams := scrapeMetrics(t, m)
	for _, s := range fams["codenav_http_requests_total"].Samples {
		assert.NotContains(t, []string{"PROPFIND", "BREW"}, s.Labels["method"])
		assert.NotEqual(t, "_other", s.Labels["route"], "bounded by the labels themselves, not by the overflow safety net")
	}
}

// Metrics outlive generations: a reload (a new Server) counts on into the same series, and
// the generation number moves.
func TestMetricsSurviveReload(t *testing.T) {
	m := NewMetrics()
	build := func(context.Context) (http.Handler, io.Closer, error) {
		return metricsServer(t, m).Handler(), nil, nil
	}
	l, err := NewLive(context.Background(), slog.New(slog.DiscardHandler), build)
	require.NoError(t, err)
	hits := func(n int) {
		for range n {
			w := httptest.NewRecorder()
			l.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			require.Equal(t, 200, w.Code)
		}
	}
	count := func() (float64, float64) {
		fams := scrapeMetrics(t, m)
		return metricValue(fams, "codenav_http_requests_total", "codenav_http_requests_total", map[string]string{"route": "/healthz"}),
			metricValue(fams, "codenav_generation", "codenav_generation", nil)
	}
	hits(3)
	n, gen := count()
	assert.InDelta(t, 3, n, 0)
	assert.InDelta(t, 1, gen, 0)
	require.NoError(t, l.Reload(context.Background()))
	hits(2)
	n, gen = count()
	assert.InDelta(t, 5, n, 0, "the count carries on across the reload")
	assert.InDelta(t, 2, gen, 0)
	m.ReloadFailed()
	fams := scrapeMetrics(t, m)
	assert.InDelta(t, 1, metricValue(fams, "codenav_reload_failures_total", "codenav_reload_failures_total", nil), 0)
}

// The work semaphore's refusals and waits are counted.
func TestMetricsWorkSlots(t *testing.T) {
	m := NewMetrics()
	w := newWork(Limits{Concurrent: 1, QueueWait: 20 * time.Millisecond, Budget: 5 * time.Second})
	w.met = m
	hold, started := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- w.do(context.Background(), func(context.Context) error { close(started); <-hold; return nil })
	}()
	<-started
	// Every slot taken: one request waits its 20 ms and is refused, one has already gone.
	assert.ErrorIs(t, w.do(context.Background(), func(context.Context) error { return nil }), errBusy)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, w.do(gone, func(context.Context) error { return nil }), context.Canceled)
	close(hold)
	require.NoError(t, <-done)

	fams := scrapeMetrics(t, m)
	tests := []struct {
		outcome string
		want    float64
	}{{"immediate", 1}, {"refused", 1}, {"gone", 1}, {"waited", 0}, {"over_budget", 0}}
	for _, tt := range tests {
		t.Run(tt.outcome, func(t *testing.T) {
			assert.InDelta(t, tt.want, metricValue(fams, "codenav_work_total", "codenav_work_total", map[string]string{"outcome": tt.outcome}), 0)
		})
	}
	assert.InDelta(t, 2, metricValue(fams, "codenav_work_wait_seconds", "codenav_work_wait_seconds_count", nil), 0)
	assert.GreaterOrEqual(t, metricValue(fams, "codenav_work_wait_seconds", "codenav_work_wait_seconds_sum", nil), 0.02, "the refused one waited its queue wait")
}

// TestMetricsPromtool checks the site's whole exposition with Prometheus's own reader and
// linter, promtool (Debian package prometheus), when it is installed.
func TestMetricsPromtool(t *testing.T) {
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus): the exposition is checked by the strict reader of metrics/metricstest only")
	}
	m := NewMetrics()
	s := metricsServer(t, m)
	require.Equal(t, 200, get(t, s, "/docs/section-h").Code)
	require.Equal(t, 200, get(t, s, "/api/v1/search?q=smki").Code)
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = w.Body
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "promtool: %s", out)
}

// BenchmarkMetricsOverhead: the cheapest page there is (a document from the page cache),
// answered by a server without metrics and by one with them, in the same run; and a scrape.
func BenchmarkMetricsOverhead(b *testing.B) {
	base := testServer(b)
	with, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
		Now: func() time.Time { return fixedNow }, Metrics: NewMetrics()})
	require.NoError(b, err)
	without, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
		Now: func() time.Time { return fixedNow }})
	require.NoError(b, err)
	for _, sv := range []struct {
		name string
		s    *Server
	}{{"without", without}, {"with", with}} {
		benchPage(b, "cached-page/"+sv.name, sv.s, "/docs/section-h")
	}
	b.Run("scrape", func(b *testing.B) {
		for b.Loop() {
			w := httptest.NewRecorder()
			with.met.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

// A site of several codes is one generation: its corpus figures add up the codes, and its
// own routes (the search of every code) are counted as well as the codes' routes.
func TestMetricsSite(t *testing.T) {
	base := testSite(t)
	m := NewMetrics()
	var servers []*Server
	var codes []*corpus.Code
	for _, s := range base.Servers() {
		codes = append(codes, s.code)
	}
	docs := 0
	for _, c := range codes {
		s, err := New(Config{Code: c, Prefix: "/" + c.ID, Site: codes, Logger: slog.New(slog.DiscardHandler), Index: base.index,
			Now: func() time.Time { return fixedNow }, Metrics: m})
		require.NoError(t, err)
		servers = append(servers, s)
		docs += len(c.Documents)
	}
	site, err := NewSite(servers, base.index, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	require.Equal(t, 200, siteGet(t, site, "/api/v1/search?q=supplier").Code)
	require.Equal(t, 200, siteGet(t, site, "/"+codes[0].ID+"/docs/section-h").Code)

	fams := scrapeMetrics(t, m)
	assert.InDelta(t, 1, metricValue(fams, "codenav_generation", "codenav_generation", nil), 0, "one generation, however many codes")
	assert.InDelta(t, docs, metricValue(fams, "codenav_corpus_documents", "codenav_corpus_documents", nil), 0, "every code's documents")
	assert.InDelta(t, 1, metricValue(fams, "codenav_http_requests_total", "codenav_http_requests_total", map[string]string{"route": "/api/v1/search", "status": "2xx"}), 0)
	assert.InDelta(t, 1, metricValue(fams, "codenav_http_requests_total", "codenav_http_requests_total", map[string]string{"route": "/" + codes[0].ID + "/docs/:id", "status": "2xx"}), 0)
}
