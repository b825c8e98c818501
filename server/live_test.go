package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type closeCounter struct{ n *atomic.Int32 }

func (c closeCounter) Close() error { c.n.Add(1); return nil }

func TestLiveReload(t *testing.T) {
	var gen atomic.Int32
	var closed atomic.Int32
	fail := atomic.Bool{}
	release := make(chan struct{})
	build := func(context.Context) (http.Handler, io.Closer, error) {
		if fail.Load() {
			return nil, nil, errors.New("broken corpus")
		}
		g := gen.Add(1)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				<-release
			}
			fmt.Fprintf(w, "generation %d", g)
		})
		return h, closeCounter{&closed}, nil
	}
	l, err := NewLive(context.Background(), slog.New(slog.DiscardHandler), build)
	require.NoError(t, err)
	srv := httptest.NewServer(l)
	defer srv.Close()
	body := func(path string) string {
		r, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return string(b)
	}
	assert.Equal(t, "generation 1", body("/"))

	// A request in flight finishes on its generation; the old one is closed only after it.
	slow := make(chan string)
	go func() { slow <- body("/slow") }()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, l.Reload(context.Background()))
	assert.Equal(t, "generation 2", body("/"))
	assert.Equal(t, int32(0), closed.Load(), "generation 1 still has a request")
	close(release)
	assert.Equal(t, "generation 1", <-slow)
	require.Eventually(t, func() bool { return closed.Load() == 1 }, time.Second, 5*time.Millisecond)

	// A broken corpus on reload: rejected, and the last good generation keeps serving.
	fail.Store(true)
	assert.Error(t, l.Reload(context.Background()))
	assert.Equal(t, "generation 2", body("/"))

	// Reloads under load lose no request.
	fail.Store(false)
	var wg sync.WaitGroup
	var errs atomic.Int32
	stop := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, err := http.Get(srv.URL + "/")
				if err != nil || r.StatusCode != 200 {
					errs.Add(1)
				}
				if r != nil {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		require.NoError(t, l.Reload(context.Background()))
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	assert.Equal(t, int32(0), errs.Load())
}
