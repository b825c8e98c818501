package server

import (
	"container/list"
	"sync"
	"sync/atomic"

	"codenav/corpus"
)

// DefaultRenderCacheBytes is the memory kept for rendered versions when Config leaves it at zero.
const DefaultRenderCacheBytes = 128 << 20

// RenderCache keeps rendered versions, least recently used out first, within a memory budget:
// every version of a long history read once would otherwise stay rendered for the life of the
// process. Two readers of the same version at once render it once.
type RenderCache struct {
	mu      sync.Mutex
	max     int
	size    int
	order   *list.List                        // of *renderEntry, most recent first
	byV     map[*corpus.Version]*list.Element // one rendering per version: for one day
	loading map[pageKey]*renderLoad

	hits, misses atomic.Int64
}

type renderEntry struct {
	k    pageKey
	r    *renderedVersion
	size int
}

type renderLoad struct {
	done chan struct{}
	r    *renderedVersion
	err  error
}

// NewRenderCache makes a cache of rendered versions holding about maxBytes (0:
// DefaultRenderCacheBytes). Servers of several codes, and the generations of one across
// reloads, may share one: its budget is then theirs together.
func NewRenderCache(maxBytes int) *RenderCache {
	if maxBytes <= 0 {
		maxBytes = DefaultRenderCacheBytes
	}
	return &RenderCache{max: maxBytes, order: list.New(), byV: map[*corpus.Version]*list.Element{}, loading: map[pageKey]*renderLoad{}}
}

// size is the memory of a rendered version, roughly: its HTML.
func (r *renderedVersion) size() int {
	n := len(r.toc) + len(r.glossary) + len(r.versions) + 64*len(r.nodes)
	for i := range r.nodes {
		n += len(r.nodes[i]) + len(r.applies[i])
	}
	for _, t := range r.terms {
		n += len(t.Term) + len(t.Meaning) + 64
	}
	return n
}

// get returns the rendering of k, making it with render when it is not kept. A rendering of
// the same version for another day is dropped: the day has passed.
func (rc *RenderCache) get(k pageKey, render func() (*renderedVersion, error)) (*renderedVersion, error) {
	rc.mu.Lock()
	if e, ok := rc.byV[k.v]; ok && e.Value.(*renderEntry).k.day == k.day {
		rc.order.MoveToFront(e)
		rc.mu.Unlock()
		rc.hits.Add(1)
		return e.Value.(*renderEntry).r, nil
	}
	rc.misses.Add(1)
	if ld, ok := rc.loading[k]; ok {
		rc.mu.Unlock()
		<-ld.done
		return ld.r, ld.err
	}
	ld := &renderLoad{done: make(chan struct{})}
	rc.loading[k] = ld
	rc.mu.Unlock()

	ld.r, ld.err = render()
	rc.mu.Lock()
	delete(rc.loading, k)
	if ld.err == nil {
		rc.keep(k, ld.r)
	}
	rc.mu.Unlock()
	close(ld.done)
	return ld.r, ld.err
}

// keep adds r; rc.mu is held.
func (rc *RenderCache) keep(k pageKey, r *renderedVersion) {
	if e, ok := rc.byV[k.v]; ok {
		rc.remove(e) // rendered for another day, which has passed
	}
	size := r.size()
	if size > rc.max {
		return
	}
	rc.byV[k.v] = rc.order.PushFront(&renderEntry{k: k, r: r, size: size})
	rc.size += size
	for rc.size > rc.max {
		rc.remove(rc.order.Back())
	}
}

func (rc *RenderCache) remove(e *list.Element) {
	re := e.Value.(*renderEntry)
	rc.order.Remove(e)
	delete(rc.byV, re.k.v)
	rc.size -= re.size
}

// stats reports the entries and bytes kept.
func (rc *RenderCache) stats() (entries, bytes int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.order.Len(), rc.size
}
