package main

import (
	"bytes"
	"context"
	"fmt"
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
		done <- run(ctx, []string{"serve", "--corpus", sampleCorpus, "--addr", addr, "--data", t.TempDir()}, &out, &errOut)
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

// SIGHUP reloads the corpus; a broken corpus on reload is rejected and the last good one
// keeps serving.
func TestServeReload(t *testing.T) {
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
		done <- run(ctx, []string{"serve", "--corpus", dir, "--addr", addr, "--data", t.TempDir()}, &out, &errOut)
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
