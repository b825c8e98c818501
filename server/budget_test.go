package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWorkLimits(t *testing.T) {
	w := newWork(Limits{Concurrent: 1, QueueWait: 20 * time.Millisecond, Budget: 50 * time.Millisecond})
	release := make(chan struct{})
	started := make(chan struct{})
	var first error
	var wg sync.WaitGroup
	wg.Go(func() {
		first = w.do(context.Background(), func(ctx context.Context) error {
			close(started)
			<-release // a job that ignores its deadline
			return nil
		})
	})
	<-started
	// The budget is spent: the first request answers errTooSlow at the budget...
	wg.Wait()
	assert.ErrorIs(t, first, errTooSlow)
	// ...but its job still holds the one slot, so a second request is turned away.
	err := w.do(context.Background(), func(context.Context) error { return nil })
	assert.ErrorIs(t, err, errBusy)
	close(release)
	require.Eventually(t, func() bool {
		return w.do(context.Background(), func(context.Context) error { return nil }) == nil
	}, 2*time.Second, 5*time.Millisecond, "the slot comes back when the job ends")

	// A job's panic is an error, not a crash, and gives its slot back.
	err = w.do(context.Background(), func(context.Context) error { panic("boom") })
	assert.ErrorContains(t, err, "panic: boom")
	assert.NoError(t, w.do(context.Background(), func(context.Context) error { return nil }))

	// A client that has gone stops waiting for a slot.
	hold := make(chan struct{})
	go func() { _ = w.do(context.Background(), func(context.Context) error { <-hold; return nil }) }()
	time.Sleep(5 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, w.do(ctx, func(context.Context) error { return nil }), context.Canceled)
	close(hold)
}

// The bombs of issue 13 are refused before any parsing, with a 413 that names the problem,
// on the redline API and the drafting page alike.
func TestRedlineBombsRefused(t *testing.T) {
	s := testServer(t)
	bombs := []struct {
		name, text, want string
	}{
		{"dashes", strings.Repeat("- ", 80000), "nested 80000 deep"},
		{"quotes", strings.Repeat(">", 160000), "nested 160000 deep"},
		{"links", strings.Repeat("[a](", 40000), "too much inline markup"},
		{"lines", strings.Repeat("x\n", 400000), "lines; at most"},
		{"emphasis", strings.Repeat("_a*", 100000), "too much inline markup"},
	}
	for _, b := range bombs {
		body, err := json.Marshal(map[string]string{"old": b.text, "new": b.text + "y"})
		require.NoError(t, err)
		w := postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code, b.name)
		assert.Contains(t, w.Body.String(), b.want, b.name)
		assert.Contains(t, w.Body.String(), "field old", b.name)

		f := url.Values{"doc": {"section-h"}, "action": {"preview"}, "text": {b.text + "y"}}
		w = post(t, s, "/draft", f, drafterCookies(t, s)...)
		assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code, b.name)
		assert.Contains(t, w.Body.String(), "field text", b.name)
	}
}

// drafterCookies are what a request to the drafting page needs to be let in (none while the
// drafting routes are open to everyone).
func drafterCookies(testing.TB, *Server) []*http.Cookie { return nil }

// What the limits let through costs in proportion to its size: the same shapes as the bombs,
// kept under the limits, at n and 4n.
func TestRedlineCostGrowsLinearly(t *testing.T) {
	s := testServer(t)
	shapes := map[string]func(n int) string{
		"lines of one paragraph": func(n int) string { return strings.Repeat("x\n", 8*n) },
		"nested containers":      func(n int) string { return strings.Repeat(strings.Repeat("> ", 5)+"- x\n", n) },
		"links":                  func(n int) string { return strings.Repeat(strings.Repeat("[a](", 10)+"\n\n", n) },
		"table rows":             func(n int) string { return "| a | b |\n|---|---|\n" + strings.Repeat("| x | y |\n", 2*n) },
		"headings":               func(n int) string { return strings.Repeat("# a\n\n", n) },
	}
	cost := func(text string) uint64 {
		body, err := json.Marshal(map[string]string{"old": text, "new": strings.Replace(text, "x", "z", 1) + "y"})
		require.NoError(t, err)
		return allocated(func() {
			w := postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		})
	}
	for name, f := range shapes {
		a, b := cost(f(1000)), cost(f(4000))
		ratio := float64(b) / float64(a)
		assert.Less(t, ratio, 8.0, "%s: 4x the input allocated %.1fx the memory", name, ratio)
	}
}

func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// A redline far larger than its input is refused at the output cap, not built in memory.
func TestRedlineOutputCapped(t *testing.T) {
	s := testServer(t)
	saved := s.limits.MaxOutputBytes
	s.limits.MaxOutputBytes = 64 << 10
	defer func() { s.limits.MaxOutputBytes = saved }()
	var a, b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&a, "w%d\n\n", i)
		fmt.Fprintf(&b, "v%d\n\n", i)
	}
	body, _ := json.Marshal(map[string]string{"old": a.String(), "new": b.String(), "format": "html"})
	w := postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Contains(t, w.Body.String(), "the redline would be over")
}

// Every stored pair is compared once however many ask at once, and the cache keeps a bounded
// number of pairs.
func TestRedlineCacheBounded(t *testing.T) {
	s := testServer(t)
	d := s.code.Document("section-h")
	require.NotNil(t, d)
	require.GreaterOrEqual(t, len(d.Versions), 3)
	saved := s.rl.max
	s.rl.max = 2
	defer func() { s.rl.max = saved }()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { s.redline(d.Versions[0], d.Versions[1]) })
	}
	wg.Wait()
	first := s.redline(d.Versions[0], d.Versions[1])
	for i := 1; i < len(d.Versions); i++ {
		s.redline(d.Versions[i-1], d.Versions[i])
		s.redline(d.Versions[0], d.Versions[i])
	}
	s.rl.mu.Lock()
	n := len(s.rl.m)
	s.rl.mu.Unlock()
	assert.LessOrEqual(t, n, 2)
	again := s.redline(d.Versions[0], d.Versions[1])
	assert.NotSame(t, first, again, "the first pair was evicted and compared again")
	assert.Equal(t, first.Summary, again.Summary)
}

// The compared pairs kept stay within their memory budget.
func TestRedlineCacheBytesBounded(t *testing.T) {
	s := testServer(t)
	d := s.code.Document("section-h")
	require.NotNil(t, d)
	one := redlineBytes(d.Versions[0], d.Versions[1])
	s.rl.mu.Lock()
	savedBytes := s.rl.maxBytes
	s.rl.maxBytes = 2*one + one/2
	s.rl.mu.Unlock()
	defer func() { s.rl.mu.Lock(); s.rl.maxBytes = savedBytes; s.rl.mu.Unlock() }()
	for i := 1; i < len(d.Versions); i++ {
		for j := 0; j < i; j++ {
			s.redline(d.Versions[j], d.Versions[i])
			s.rl.mu.Lock()
			size, n, limit := s.rl.size, len(s.rl.m), s.rl.maxBytes
			s.rl.mu.Unlock()
			assert.True(t, size <= limit || n == 1, "%d bytes in %d pairs over %d", size, n, limit)
		}
	}
}

// A 4xx wrapped with context is still a 4xx.
func TestFailErrUnwraps(t *testing.T) {
	s := testServer(t)
	for err, want := range map[error]int{
		fmt.Errorf("draft: %w", badRequest{"parameter x: bad"}):   http.StatusBadRequest,
		fmt.Errorf("draft: %w", notFoundErr{"no document y"}):     http.StatusNotFound,
		fmt.Errorf("draft: %w", fmt.Errorf("disk on fire")):       http.StatusInternalServerError,
		fmt.Errorf("a: %w", fmt.Errorf("b: %w", badRequest{"z"})): http.StatusBadRequest,
	} {
		w := newRecorderContext(func(c *gin.Context) { s.failErr(c, err) })
		assert.Equal(t, want, w.Code, err.Error())
	}
}

// newRecorderContext runs f with a gin context on an API request and returns what it wrote.
func newRecorderContext(f func(c *gin.Context)) *responseRecorder {
	w := &responseRecorder{header: http.Header{}}
	c, _ := gin.CreateTestContext(w)
	c.Request, _ = http.NewRequest(http.MethodGet, "/api/v1/x", nil)
	f(c)
	return w
}

type responseRecorder struct {
	header http.Header
	Code   int
	body   strings.Builder
}

func (r *responseRecorder) Header() http.Header { return r.header }
func (r *responseRecorder) Write(b []byte) (int, error) {
	if r.Code == 0 {
		r.Code = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *responseRecorder) WriteHeader(code int) { r.Code = code }

// Posted texts can be read in another code's numbering, so that changes are located by its units.
func TestRedlineAPINumbering(t *testing.T) {
	s := testServer(t)
	old := "### § 14a Anwendung\n\n(1) Der Anbieter hat die Liste zu führen.\n\n(2) Sie ist jährlich zu prüfen.\n"
	new := strings.Replace(old, "jährlich", "monatlich", 1)
	for _, numbering := range []string{"german-statute", "detect"} {
		body, _ := json.Marshal(map[string]string{"old": old, "new": new, "numbering": numbering})
		w := postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		assert.Contains(t, w.Body.String(), `§ 14a (2)`, numbering)
	}
	body, _ := json.Marshal(map[string]string{"old": old, "new": new})
	w := postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
	require.Equal(t, http.StatusOK, w.Code)
	assert.NotContains(t, w.Body.String(), `§ 14a (2)`, "the SEC's numbering knows no § units")
	body, _ = json.Marshal(map[string]string{"old": old, "new": new, "numbering": "klingon"})
	w = postJSON(t, s, "/api/v1/redline", strings.NewReader(string(body)))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "field numbering")
}
