package server

import (
	"log/slog"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

// Reading every version of every document keeps the rendered versions within their budget,
// and a version rendered again after it was dropped reads the same.
func TestRenderCacheBounded(t *testing.T) {
	code, err := corpus.Open("../corpus/sec", corpus.Options{TreeCacheBytes: 256 << 10})
	require.NoError(t, err)
	const budget = 300 << 10
	s, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return fixedNow },
		RenderCacheBytes: budget, PageCacheBytes: -1})
	require.NoError(t, err)
	first := map[string]string{}
	for round := 0; round < 2; round++ {
		for _, d := range code.Documents {
			if !code.Public(d) {
				continue
			}
			for _, v := range d.Versions {
				w := get(t, s, "/docs/"+d.ID+"?version="+v.Number)
				require.Equal(t, http.StatusOK, w.Code, "%s %s", d.ID, v.Number)
				key := d.ID + "@" + v.Number
				if round == 0 {
					first[key] = w.Body.String()
				} else {
					assert.Equal(t, first[key], w.Body.String(), "%s rendered again", key)
				}
				_, size := s.pages.stats()
				require.LessOrEqual(t, size, budget)
			}
		}
	}
	assert.Greater(t, s.pages.misses.Load(), int64(len(first)), "dropped versions were rendered again")
}

// One rendering per version: a new day replaces the old one; readers of the same version at
// once wait for one rendering.
func TestRenderCacheOneRendering(t *testing.T) {
	rc := NewRenderCache(1 << 20)
	v := &corpus.Version{Number: "1.0"}
	var renders atomic.Int32
	render := func() (*renderedVersion, error) {
		renders.Add(1)
		time.Sleep(20 * time.Millisecond)
		return &renderedVersion{}, nil
	}
	done := make(chan struct{})
	for range 6 {
		go func() {
			_, err := rc.get(pageKey{v: v, day: "2020-01-01"}, render)
			assert.NoError(t, err)
			done <- struct{}{}
		}()
	}
	for range 6 {
		<-done
	}
	assert.Equal(t, int32(1), renders.Load())
	_, err := rc.get(pageKey{v: v, day: "2020-01-02"}, render)
	require.NoError(t, err)
	entries, _ := rc.stats()
	assert.Equal(t, 1, entries, "the rendering of the day before is dropped")
	assert.Equal(t, int32(2), renders.Load())
}
