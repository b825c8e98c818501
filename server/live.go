package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
)

// Live serves the current generation of the site and swaps in a new one on Reload: a
// request is answered entirely by the generation it started on, and a generation's
// resources (its index) are released once its last request has finished.
type Live struct {
	build func(ctx context.Context) (http.Handler, io.Closer, error)
	log   *slog.Logger

	reload sync.Mutex   // one reload at a time
	mu     sync.RWMutex // guards cur; requests hold it only to join a generation
	cur    *generation
}

type generation struct {
	h        http.Handler
	closer   io.Closer
	inflight sync.WaitGroup
}

// NewLive builds the first generation.
func NewLive(ctx context.Context, log *slog.Logger, build func(ctx context.Context) (http.Handler, io.Closer, error)) (*Live, error) {
	h, c, err := build(ctx)
	if err != nil {
		return nil, err
	}
	return &Live{build: build, log: log, cur: &generation{h: h, closer: c}}, nil
}

func (l *Live) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.RLock()
	g := l.cur
	g.inflight.Add(1)
	l.mu.RUnlock()
	defer g.inflight.Done()
	g.h.ServeHTTP(w, r)
}

// Reload builds a new generation (from the corpus as it is now) and swaps it in. When the
// build fails (a broken corpus) the current generation keeps serving and the error is
// returned.
func (l *Live) Reload(ctx context.Context) error {
	l.reload.Lock()
	defer l.reload.Unlock()
	h, c, err := l.build(ctx)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	l.mu.Lock()
	old := l.cur
	l.cur = &generation{h: h, closer: c}
	l.mu.Unlock()
	go func() {
		old.inflight.Wait()
		if old.closer != nil {
			if err := old.closer.Close(); err != nil {
				l.log.Warn("close the previous generation", "error", err)
			}
		}
	}()
	return nil
}

// Close releases the current generation.
func (l *Live) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur.closer == nil {
		return nil
	}
	return l.cur.closer.Close()
}
