package metrics

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/metrics/metricstest"
)

func scrape(t *testing.T, r *Registry) (string, map[string]*metricstest.Family) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b))
	fams, err := metricstest.Parse(b.String())
	require.NoError(t, err, b.String())
	return b.String(), fams
}

func value(t *testing.T, fams map[string]*metricstest.Family, fam, sample string, labels map[string]string) float64 {
	t.Helper()
	v, ok := metricstest.Value(fams, fam, sample, labels)
	require.True(t, ok, "no sample %s%v", sample, labels)
	return v
}

func TestExpositionOfEachKind(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	c := r.Counter("app_requests_total", "Requests answered.\nBy route.", "route", "code")
	g := r.Gauge("app_ready", `Whether the app is ready (1) or not (0); back\slash.`)
	h := r.Histogram("app_seconds", "Time taken.", []float64{0.1, 1}, "route")
	r.CollectFunc("app_docs", "Documents.", false, []string{"kind"}, func(emit func(float64, ...string)) {
		emit(3, "public")
		emit(2, "restricted")
		emit(9, "public") // a second value for the same series is dropped
		emit(1, "a", "b") // so is one with the wrong number of labels
	})
	c.With("/docs/:id", "2xx").Inc()
	c.With("/docs/:id", "2xx").Add(2)
	c.With("/docs/:id", "2xx").Add(-5) // ignored: a counter never goes down
	c.With(`/we"ird\path`+"\n", "4xx").Inc()
	g.With().Set(1)
	for _, x := range []float64{0.05, 0.1, 0.5, 3} {
		h.With("/search").Observe(x)
	}

	text, fams := scrape(t, r)
	tests := []struct {
		fam, sample string
		labels      map[string]string
		want        float64
	}{
		{"app_requests_total", "app_requests_total", map[string]string{"route": "/docs/:id", "code": "2xx"}, 3},
		{"app_requests_total", "app_requests_total", map[string]string{"route": "/we\"ird\\path\n"}, 1},
		{"app_ready", "app_ready", nil, 1},
		{"app_seconds", "app_seconds_bucket", map[string]string{"le": "0.1"}, 2}, // 0.1 falls in le=0.1
		{"app_seconds", "app_seconds_bucket", map[string]string{"le": "1"}, 3},
		{"app_seconds", "app_seconds_bucket", map[string]string{"le": "+Inf"}, 4},
		{"app_seconds", "app_seconds_count", nil, 4},
		{"app_seconds", "app_seconds_sum", nil, 3.65},
		{"app_docs", "app_docs", map[string]string{"kind": "public"}, 3},
		{"app_docs", "app_docs", map[string]string{"kind": "restricted"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.sample+fmt.Sprint(tt.labels), func(t *testing.T) {
			assert.InDelta(t, tt.want, value(t, fams, tt.fam, tt.sample, tt.labels), 1e-9)
		})
	}
	assert.Len(t, fams["app_docs"].Samples, 2)
	assert.Equal(t, "Requests answered.\nBy route.", fams["app_requests_total"].Help)
	assert.Equal(t, `Whether the app is ready (1) or not (0); back\slash.`, fams["app_ready"].Help)
	assert.Contains(t, text, "# TYPE app_seconds histogram\n")
	assert.Equal(t, uint64(4), h.With("/search").Count())
	assert.InDelta(t, 3, c.With("/docs/:id", "2xx").Value(), 1e-9)
}

func TestSeriesAreBounded(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.SetMaxSeries(10)
	c := r.Counter("flood_total", "Counts.", "path")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5000; i++ {
		c.With(fmt.Sprintf("/random/%d", rng.Int())).Inc()
	}
	_, fams := scrape(t, r)
	samples := fams["flood_total"].Samples
	assert.Len(t, samples, 10, "nine distinct series and the overflow")
	assert.InDelta(t, 5000-9, value(t, fams, "flood_total", "flood_total", map[string]string{"path": Overflow}), 0)
	var total float64
	for _, s := range samples {
		total += s.Value
	}
	assert.InDelta(t, 5000, total, 0, "nothing is lost, only merged")
}

func TestConcurrentUpdatesAddUp(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	c := r.Counter("n_total", "N.", "k")
	h := r.Histogram("d_seconds", "D.", DurationBuckets)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.With([]string{"a", "b"}[i%2]).Inc()
				h.With().Observe(0.25)
			}
		}()
	}
	// Scrapes while counting must stay valid.
	for i := 0; i < 20; i++ {
		scrape(t, r)
	}
	wg.Wait()
	_, fams := scrape(t, r)
	assert.InDelta(t, 4000, value(t, fams, "n_total", "n_total", map[string]string{"k": "a"}), 0)
	assert.InDelta(t, 8000, value(t, fams, "d_seconds", "d_seconds_count", nil), 0)
	assert.InDelta(t, 2000, value(t, fams, "d_seconds", "d_seconds_sum", nil), 1e-6)
}

func TestRegistrationMistakesPanic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func(r *Registry)
	}{
		{"bad name", func(r *Registry) { r.Counter("1bad", "x") }},
		{"bad label", func(r *Registry) { r.Counter("ok_total", "x", "a-b") }},
		{"reserved label", func(r *Registry) { r.Counter("ok_total", "x", "__x") }},
		{"le on a histogram", func(r *Registry) { r.Histogram("h", "x", []float64{1}, "le") }},
		{"unsorted buckets", func(r *Registry) { r.Histogram("h", "x", []float64{2, 1}) }},
		{"infinite bucket", func(r *Registry) { r.Histogram("h", "x", []float64{1, math.Inf(1)}) }},
		{"twice", func(r *Registry) { r.Gauge("g", "x"); r.Gauge("g", "y") }},
		{"wrong label count", func(r *Registry) { r.Counter("c_total", "x", "a").With("1", "2") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Panics(t, func() { tt.make(NewRegistry()) })
		})
	}
}

func TestRuntimeAndBuildInfo(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	RegisterRuntime(r)
	RegisterBuildInfo(r, "app")
	_, fams := scrape(t, r)
	assert.Greater(t, value(t, fams, "go_goroutines", "go_goroutines", nil), 0.0)
	assert.Greater(t, value(t, fams, "go_memstats_heap_alloc_bytes", "go_memstats_heap_alloc_bytes", nil), 0.0)
	assert.Greater(t, value(t, fams, "process_start_time_seconds", "process_start_time_seconds", nil), 1.7e9)
	if _, err := os.Stat("/proc/self/statm"); err == nil {
		assert.Greater(t, value(t, fams, "process_resident_memory_bytes", "process_resident_memory_bytes", nil), 0.0)
	}
	info := fams["app_build_info"].Samples
	require.Len(t, info, 1)
	assert.InDelta(t, 1, info[0].Value, 0)
	assert.True(t, strings.HasPrefix(info[0].Labels["goversion"], "go"))
}

func TestServeHTTP(t *testing.T) {
	t.Parallel()
	r := NewRegistry()
	r.Counter("x_total", "X.").With().Inc()
	tests := []struct {
		method string
		status int
		body   string
	}{
		{http.MethodGet, http.StatusOK, "x_total 1\n"},
		{http.MethodHead, http.StatusOK, ""},
		{http.MethodPost, http.StatusMethodNotAllowed, "method not allowed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest(tt.method, "/metrics", nil))
			assert.Equal(t, tt.status, w.Code)
			if tt.status == http.StatusOK {
				assert.Equal(t, ContentType, w.Header().Get("Content-Type"))
				assert.True(t, strings.HasSuffix(w.Body.String(), tt.body))
			} else {
				assert.Equal(t, tt.body, w.Body.String())
			}
		})
	}
}

// TestPromtool checks the exposition with Prometheus's own reader, promtool (Debian package
// prometheus), when it is installed.
func TestPromtool(t *testing.T) {
	t.Parallel()
	path, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (Debian package prometheus): the exposition is checked by the strict reader of parse_test.go only")
	}
	r := NewRegistry()
	RegisterRuntime(r)
	RegisterBuildInfo(r, "app")
	r.Counter("app_requests_total", "Requests.", "route", "code").With(`/odd"\`+"\n", "2xx").Inc()
	r.Histogram("app_request_duration_seconds", "Latency.", DurationBuckets, "route").With("/").Observe(0.01)
	r.Gauge("app_ready", "Ready.").With().Set(1)
	var b bytes.Buffer
	require.NoError(t, r.WriteText(&b))
	cmd := exec.Command(path, "check", "metrics")
	cmd.Stdin = &b
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "promtool read the exposition and found no lint problem: %s", out)
}

// FuzzLabelValues: any label value (and help text) is written so that the strict reader
// gets it back, invalid UTF-8 replaced.
func FuzzLabelValues(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "new\nline", "\\n", "\xff\xfe", "}", `{a="b"}`, "é"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, v, help string) {
		r := NewRegistry()
		r.Counter("f_total", help, "v").With(v).Inc()
		var b bytes.Buffer
		require.NoError(t, r.WriteText(&b))
		fams, err := metricstest.Parse(b.String())
		require.NoError(t, err, b.String())
		require.Len(t, fams["f_total"].Samples, 1)
		assert.Equal(t, strings.ToValidUTF8(v, "\uFFFD"), fams["f_total"].Samples[0].Labels["v"])
		assert.Equal(t, strings.ToValidUTF8(help, "\uFFFD"), fams["f_total"].Help)
	})
}

// BenchmarkRecordRequest is what the server's middleware does per request: a counter and a
// histogram picked by their labels.
func BenchmarkRecordRequest(b *testing.B) {
	r := NewRegistry()
	c := r.Counter("req_total", "R.", "route", "method", "status")
	h := r.Histogram("req_seconds", "D.", DurationBuckets, "route", "method")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.With("/docs/:id", "GET", "2xx").Inc()
			h.With("/docs/:id", "GET").Observe(0.003)
		}
	})
}
