package watch

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
}

// touch gives a file a modification time of its own, whatever the clock's resolution.
func touch(t *testing.T, p string, n int) {
	t.Helper()
	at := time.Date(2026, 1, 1, 0, 0, n, 0, time.UTC)
	require.NoError(t, os.Chtimes(p, at, at))
}

func TestFingerprint(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "documents", "a", "1.0.md")
	write(t, doc, "one")
	touch(t, doc, 1)
	fp := func() uint64 {
		v, err := Fingerprint(dir)
		require.NoError(t, err)
		return v
	}
	base := fp()
	assert.Equal(t, base, fp(), "the same folder, the same fingerprint")

	cases := []struct {
		name    string
		do      func()
		changes bool
	}{
		{"same size, new time", func() { write(t, doc, "two"); touch(t, doc, 2) }, true},
		{"new size, same time", func() { write(t, doc, "three"); touch(t, doc, 2) }, true},
		{"file added", func() { write(t, filepath.Join(dir, "documents", "b", "1.0.md"), "x") }, true},
		{"file removed", func() { require.NoError(t, os.Remove(filepath.Join(dir, "documents", "b", "1.0.md"))) }, true},
		{"renamed into place, same size and time", func() {
			tmp := filepath.Join(dir, "documents", "a", ".new.tmp")
			write(t, tmp, "four!")
			touch(t, tmp, 2)
			require.NoError(t, os.Rename(tmp, doc))
		}, runtime.GOOS != "windows"},
		{"git commit", func() { write(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/x") }, false},
		{"writer's temporary file", func() { write(t, filepath.Join(dir, "documents", "a", ".1.0.md.123.tmp"), "partial") }, false},
	}
	for _, c := range cases {
		before := fp()
		c.do()
		if c.changes {
			assert.NotEqual(t, before, fp(), c.name)
		} else {
			assert.Equal(t, before, fp(), c.name)
		}
	}
	_, err := Fingerprint(filepath.Join(dir, "missing"))
	assert.Error(t, err)

	// A folder the server writes itself, inside the corpus folder, is left out.
	data := filepath.Join(dir, "data")
	write(t, filepath.Join(data, "index", "a"), "x")
	before, err := Fingerprint(dir, data)
	require.NoError(t, err)
	write(t, filepath.Join(data, "index", "b"), "y")
	after, err := Fingerprint(dir, data)
	require.NoError(t, err)
	assert.Equal(t, before, after, "skipped folder")
	assert.NotEqual(t, after, fp(), "not skipped")
}

func TestWatcherReloadsOnChange(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "a.md")
	write(t, doc, "one")
	touch(t, doc, 1)
	var reloads atomic.Int32
	var fail atomic.Bool
	w := New(dir, func(context.Context) error {
		reloads.Add(1)
		if fail.Load() {
			return errors.New("a.md:3: broken")
		}
		return nil
	}, slog.New(slog.DiscardHandler))
	ctx := context.Background()

	did, err := w.Check(ctx, 0)
	require.NoError(t, err)
	assert.False(t, did, "nothing changed")

	write(t, doc, "two")
	touch(t, doc, 2)
	did, err = w.Check(ctx, time.Millisecond)
	require.NoError(t, err)
	assert.True(t, did)
	did, _ = w.Check(ctx, 0)
	assert.False(t, did, "loaded once")
	assert.Equal(t, int32(1), reloads.Load())

	// A broken state is loaded (and reported) once, not at every look.
	fail.Store(true)
	touch(t, doc, 3)
	did, err = w.Check(ctx, 0)
	assert.True(t, did)
	assert.ErrorContains(t, err, "a.md:3: broken")
	did, err = w.Check(ctx, 0)
	assert.False(t, did)
	assert.NoError(t, err)
	assert.Equal(t, int32(2), reloads.Load())

	// Fixed: loaded again. A reload made elsewhere (a save, a signal) through Reload is not
	// repeated by the watcher.
	fail.Store(false)
	touch(t, doc, 4)
	require.NoError(t, w.Reload(ctx))
	did, _ = w.Check(ctx, 0)
	assert.False(t, did)
	assert.Equal(t, int32(3), reloads.Load())
}

func TestWatcherRun(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "a.md")
	write(t, doc, "one")
	touch(t, doc, 1)
	reloaded := make(chan struct{}, 10)
	w := New(dir, func(context.Context) error { reloaded <- struct{}{}; return nil }, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx, 5*time.Millisecond); close(done) }()
	touch(t, doc, 2)
	select {
	case <-reloaded:
	case <-time.After(10 * time.Second):
		t.Fatal("no reload after a change")
	}
	cancel()
	<-done
	assert.Empty(t, reloaded, "one change, one reload")

	// Interval 0 is off: Run returns at once.
	finished := make(chan struct{})
	go func() { w.Run(context.Background(), 0); close(finished) }()
	select {
	case <-finished:
	case <-time.After(10 * time.Second):
		t.Fatal("Run with interval 0 did not return")
	}
}

// A folder so large that looking at it is slow is looked at less often: the looks take at
// most about 1/lookShare of the time, whatever the interval asked.
func TestWatcherLooksWithinItsShare(t *testing.T) {
	w := New(t.TempDir(), func(context.Context) error { return nil }, slog.New(slog.DiscardHandler))
	var looks atomic.Int32
	w.look = func() (uint64, error) {
		looks.Add(1)
		time.Sleep(20 * time.Millisecond)
		return 1, nil
	}
	w.loaded = 1
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	w.Run(ctx, time.Millisecond)
	// Every millisecond would be about 70 looks; at 20 ms a look, lookShare 50 allows one
	// per second.
	n := looks.Load()
	assert.GreaterOrEqual(t, n, int32(1))
	assert.LessOrEqual(t, n, int32(3), "looks at a slow folder")
}
