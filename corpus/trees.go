package corpus

import (
	"bytes"
	"container/list"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"codenav/legaltext"
)

// DefaultTreeCacheBytes is the memory kept for parsed versions when Options leave it at zero.
const DefaultTreeCacheBytes = 256 << 20

// treeBytes estimates the memory of a parsed version from its Markdown: the tree keeps the
// source and, per node, its text, sources and attributes (3.4 times the source on the
// generated corpus; measured with runtime.MemStats around Parse and Compact).
func treeBytes(sourceLen int) int64 { return int64(sourceLen) * 4 }

// TreeCache keeps parsed versions, least recently used out first, within a memory budget: the
// text of a version is read from its file when it is needed, so that what the process holds
// does not grow with the history of the code. What is always in memory per version is its
// metadata and facts (anchors, definitions; see facts.go).
type TreeCache struct {
	mu      sync.Mutex
	max     int64
	size    int64
	order   *list.List // of *treeEntry, most recent first
	byV     map[*Version]*list.Element
	loading map[*Version]*treeLoad

	hits, misses atomic.Int64
}

type treeEntry struct {
	v    *Version
	t    *legaltext.Doc
	size int64
}

// treeLoad is a parse in progress: readers of the same version wait for it instead of
// parsing the same file again.
type treeLoad struct {
	done chan struct{}
	t    *legaltext.Doc
	err  error
}

// NewTreeCache makes a cache of parsed versions holding about maxBytes (0:
// DefaultTreeCacheBytes). One cache may serve several codes (a site of several codes, or the
// generations of a code across reloads): its budget is then theirs together.
func NewTreeCache(maxBytes int64) *TreeCache {
	if maxBytes <= 0 {
		maxBytes = DefaultTreeCacheBytes
	}
	return &TreeCache{max: maxBytes, order: list.New(), byV: map[*Version]*list.Element{}, loading: map[*Version]*treeLoad{}}
}

// TreeCacheStats is how the cache of parsed versions is doing.
type TreeCacheStats struct {
	Entries      int   `json:"entries"`
	Bytes        int64 `json:"bytes"`
	MaxBytes     int64 `json:"max_bytes"`
	Hits, Misses int64
}

// TreeCacheStats reports the cache of parsed versions the code reads through.
func (c *Code) TreeCacheStats() TreeCacheStats {
	if c.trees == nil {
		return TreeCacheStats{}
	}
	return c.trees.Stats()
}

// Stats reports the cache.
func (ts *TreeCache) Stats() TreeCacheStats {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return TreeCacheStats{Entries: ts.order.Len(), Bytes: ts.size, MaxBytes: ts.max,
		Hits: ts.hits.Load(), Misses: ts.misses.Load()}
}

// put keeps t as v's tree (a tree parsed while loading the corpus).
func (ts *TreeCache) put(v *Version, t *legaltext.Doc) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.keep(v, t)
}

// keep adds t; ts.mu is held.
func (ts *TreeCache) keep(v *Version, t *legaltext.Doc) {
	if e, ok := ts.byV[v]; ok {
		ts.order.MoveToFront(e)
		return
	}
	size := treeBytes(len(t.Source()))
	if size > ts.max {
		return // larger than the whole cache: parsed for each use
	}
	ts.byV[v] = ts.order.PushFront(&treeEntry{v: v, t: t, size: size})
	ts.size += size
	for ts.size > ts.max {
		last := ts.order.Back()
		e := last.Value.(*treeEntry)
		ts.order.Remove(last)
		delete(ts.byV, e.v)
		ts.size -= e.size
	}
}

// get returns v's tree, parsing its file when it is not in the cache.
func (ts *TreeCache) get(v *Version) (*legaltext.Doc, error) {
	ts.mu.Lock()
	if e, ok := ts.byV[v]; ok {
		ts.order.MoveToFront(e)
		ts.mu.Unlock()
		ts.hits.Add(1)
		return e.Value.(*treeEntry).t, nil
	}
	ts.misses.Add(1)
	if ld, ok := ts.loading[v]; ok {
		ts.mu.Unlock()
		<-ld.done
		return ld.t, ld.err
	}
	ld := &treeLoad{done: make(chan struct{})}
	ts.loading[v] = ld
	ts.mu.Unlock()

	ld.t, ld.err = v.parseFile()
	ts.mu.Lock()
	delete(ts.loading, v)
	if ld.err == nil {
		ts.keep(v, ld.t)
	}
	ts.mu.Unlock()
	close(ld.done)
	return ld.t, ld.err
}

// parseFile reads and parses the version's file again.
func (v *Version) parseFile() (*legaltext.Doc, error) {
	data, err := os.ReadFile(v.Path)
	if err != nil {
		return nil, fmt.Errorf("read %s version %s: %w", v.Doc.ID, v.Number, err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	// A file changed since the corpus was loaded is read as it is now: the site reloads the
	// corpus when it notices the change.
	_, body, _, ok, closed := legaltext.FrontMatter(data)
	if !ok || !closed {
		return nil, fmt.Errorf("%s: the front matter changed since the corpus was loaded", v.Path)
	}
	t := legaltext.ParseScheme(body, v.Doc.Numbering)
	t.Compact()
	return t, nil
}

// Tree is the version's text as a tree of clauses: from the cache of parsed versions, or read
// from the version's file. A file that can no longer be read gives an empty tree (TreeErr
// says why).
func (v *Version) Tree() *legaltext.Doc {
	t, err := v.TreeErr()
	if err != nil {
		var scheme *legaltext.Scheme
		if v.Doc != nil {
			scheme = v.Doc.Numbering
		}
		return legaltext.ParseScheme(nil, scheme)
	}
	return t
}

// TreeErr is Tree with the error of reading the version's file.
func (v *Version) TreeErr() (*legaltext.Doc, error) {
	if v.tree != nil || v.Doc == nil || v.Doc.code == nil || v.Doc.code.trees == nil {
		if v.tree == nil {
			return nil, fmt.Errorf("version %s has no text", v.Number)
		}
		return v.tree, nil
	}
	return v.Doc.code.trees.get(v)
}
