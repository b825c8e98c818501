package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/metrics/metricstest"
)

// The server refuses to start on a broken corpus and prints the same messages as validate.
func TestServeRefusesBrokenCorpus(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sec")
	copyDir(t, sampleCorpus, dir)
	p := filepath.Join(dir, "documents", "section-h", "document.yaml")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), "category: section", "category: novel", 1)), 0o644))

	code, vout, _ := runCmd(t, "validate", "--corpus", dir)
	require.Equal(t, 1, code)
	var out, errOut bytes.Buffer
	code = run(context.Background(), []string{"serve", "--corpus", dir, "--addr", "127.0.0.1:0", "--data", t.TempDir()}, &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), strings.TrimSpace(vout), "the same path:line: message lines")
	assert.Contains(t, errOut.String(), "not starting")
	assert.Contains(t, vout, p+":")
}

// serve answers health and readiness, then stops cleanly when its context ends (SIGTERM).
func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", sampleCorpus, "--addr", addr, "--data", t.TempDir(), "--metrics"}, &out, &errOut)
	}()
	base := fmt.Sprintf("http://%s", addr)
	require.Eventually(t, func() bool {
		r, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == 200
	}, 30*time.Second, 20*time.Millisecond, "ready once the index is built")
	r, err := http.Get(base + "/docs/section-h")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode)
	// The count is made once the handler returns, which may be just after the client has the
	// whole answer.
	require.Eventually(t, func() bool {
		fams, ok := scrape(base + "/metrics")
		return ok && metric(fams, "codenav_http_requests_total", map[string]string{"route": "/docs/:id", "status": "2xx"}) == 1 &&
			metric(fams, "codenav_index_ready", nil) == 1
	}, 10*time.Second, 20*time.Millisecond, "--metrics serves them on the main address")
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, errOut.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Contains(t, errOut.String(), `"msg":"request"`, "requests are logged as JSON lines")
	assert.Contains(t, errOut.String(), "shutting down")
}

// freeAddr is a loopback address no one listens on (a moment ago).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// scrape reads the metrics at url with the strict reader; ok is false when they cannot be read.
func scrape(url string) (map[string]*metricstest.Family, bool) {
	r, err := http.Get(url)
	if err != nil {
		return nil, false
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	fams, err := metricstest.Parse(string(b))
	return fams, r.StatusCode == 200 && err == nil
}

func metric(fams map[string]*metricstest.Family, name string, labels map[string]string) float64 {
	v, _ := metricstest.Value(fams, name, name, labels)
	return v
}

// SIGHUP reloads the corpus; a broken corpus on reload is rejected and the last good one
// keeps serving. The metrics on the debug listener carry on across reloads.
func TestServeReload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sec")
	copyDir(t, sampleCorpus, dir)
	addr, debug := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", dir, "--addr", addr, "--data", t.TempDir(), "--debug-addr", debug}, &out, &errOut)
	}()
	base := "http://" + addr
	page := func() (int, string) {
		r, err := http.Get(base + "/docs/section-b")
		if err != nil {
			return 0, ""
		}
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		return r.StatusCode, b.String()
	}
	require.Eventually(t, func() bool { c, _ := page(); return c == 200 }, 30*time.Second, 20*time.Millisecond)
	pages := map[string]string{"route": "/docs/:id", "method": "GET", "status": "2xx"}
	fams, ok := scrape("http://" + debug + "/metrics")
	require.True(t, ok, "metrics on the debug listener")
	before := metric(fams, "codenav_http_requests_total", pages)
	assert.InDelta(t, 1, metric(fams, "codenav_generation", nil), 0)
	r, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, 404, r.StatusCode, "not on the public address without --metrics")

	v := filepath.Join(dir, "documents", "section-b", "3.0.md")
	orig, err := os.ReadFile(v)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(v, append(append([]byte{}, orig...), []byte("\n**B3.99** Zebrafinch provision for the reload test.\n")...), 0o644))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { _, b := page(); return strings.Contains(b, "Zebrafinch") }, 30*time.Second, 20*time.Millisecond)

	require.NoError(t, os.WriteFile(v, []byte("---\nversion: [\n---\n"), 0o644))
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGHUP))
	require.Eventually(t, func() bool { return strings.Contains(errOut.String(), "reload failed") }, 30*time.Second, 20*time.Millisecond)
	c, b := page()
	assert.Equal(t, 200, c)
	assert.Contains(t, b, "Zebrafinch", "the last good corpus keeps serving")
	// Counted once the handler returns, which may be just after the client has the answer.
	require.Eventually(t, func() bool {
		fams, ok = scrape("http://" + debug + "/metrics")
		return ok && metric(fams, "codenav_http_requests_total", pages) > before
	}, 10*time.Second, 20*time.Millisecond, "counts carry on across reloads")
	assert.InDelta(t, 2, metric(fams, "codenav_generation", nil), 0, "one good reload")
	assert.InDelta(t, 1, metric(fams, "codenav_reload_failures_total", nil), 0, "one failed reload")
	cancel()
	assert.Equal(t, 0, <-done)
}

// Without a signal, a change to the corpus folder is served within --watch-corpus; a broken
// one is reported once and the last good corpus keeps serving.
func TestServeWatchesCorpus(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sec")
	copyDir(t, sampleCorpus, dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--corpus", dir, "--addr", addr, "--data", t.TempDir(), "--watch-corpus", "50ms"}, &out, &errOut)
	}()
	page := func() (int, string) {
		r, err := http.Get("http://" + addr + "/docs/section-b")
		if err != nil {
			return 0, ""
		}
		defer r.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		return r.StatusCode, b.String()
	}
	require.Eventually(t, func() bool { c, _ := page(); return c == 200 }, 30*time.Second, 20*time.Millisecond)

	v := filepath.Join(dir, "documents", "section-b", "3.0.md")
	orig, err := os.ReadFile(v)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(v, append(append([]byte{}, orig...), []byte("\n**B3.99** Kingfisher provision for the watch test.\n")...), 0o644))
	require.Eventually(t, func() bool { _, b := page(); return strings.Contains(b, "Kingfisher") }, 30*time.Second, 20*time.Millisecond)
	assert.Contains(t, errOut.String(), "the corpus changed on disk")

	require.NoError(t, os.WriteFile(v, []byte("---\nversion: [\n---\n"), 0o644))
	require.Eventually(t, func() bool { return strings.Contains(errOut.String(), "does not load") }, 30*time.Second, 20*time.Millisecond)
	time.Sleep(300 * time.Millisecond) // several more looks at the same broken folder
	assert.Equal(t, 1, strings.Count(errOut.String(), "does not load"), "a broken corpus is reported once")
	assert.Contains(t, errOut.String(), "3.0.md:", "its problems as path:line")
	c, b := page()
	assert.Equal(t, 200, c)
	assert.Contains(t, b, "Kingfisher", "the last good corpus keeps serving")
	cancel()
	assert.Equal(t, 0, <-done)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
