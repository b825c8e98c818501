package server

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// DefaultPageCacheBytes is the memory kept for pages answered to anonymous readers.
const DefaultPageCacheBytes = 64 << 20

// maxCachedPage is the largest page kept: bigger ones (whole-release redlines) are rare and
// would push out many pages that are read more often.
const maxCachedPage = 4 << 20

// pageCache keeps the bytes of pages answered to anonymous readers, least recently used out
// first. A page's bytes depend only on the request (address, query, party cookie), on the
// day (which versions are in force) and on the corpus generation, which owns the cache: so
// the same request on the same day gets the same bytes, and rendering them again is waste.
// Signed-in readers are never served from it: their pages carry their name and a CSRF token,
// and may show restricted documents.
type pageCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // of *cachedPage, most recent first
	byKey map[string]*list.Element
	// hits and misses count answers from and into the cache. They are not sent in a
	// header: an X-Cache: hit told anyone which addresses other readers had asked for.
	hits, misses atomic.Int64
}

type cachedPage struct {
	key         string
	contentType string
	etag        string
	body        []byte
}

func newPageCache(maxBytes int) *pageCache {
	if maxBytes <= 0 {
		return nil
	}
	return &pageCache{max: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

func (pc *pageCache) get(key string) (*cachedPage, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	e, ok := pc.byKey[key]
	if !ok {
		return nil, false
	}
	pc.order.MoveToFront(e)
	return e.Value.(*cachedPage), true
}

func (pc *pageCache) put(p *cachedPage) {
	cost := len(p.body) + len(p.key) + 256
	if cost > pc.max {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if e, ok := pc.byKey[p.key]; ok {
		pc.size -= cachedCost(e.Value.(*cachedPage))
		pc.order.Remove(e)
	}
	pc.byKey[p.key] = pc.order.PushFront(p)
	pc.size += cost
	for pc.size > pc.max {
		last := pc.order.Back()
		old := last.Value.(*cachedPage)
		pc.order.Remove(last)
		delete(pc.byKey, old.key)
		pc.size -= cachedCost(old)
	}
}

func cachedCost(p *cachedPage) int { return len(p.body) + len(p.key) + 256 }

// cached answers a GET from the page cache when the reader is anonymous, and keeps a page it
// had to render when it is a 200 that sets no cookie. Every answer it gives carries an ETag,
// and a request whose If-None-Match names it gets 304 without a body.
func (s *Server) cached(c *gin.Context) {
	if s.cache == nil || c.Request.Method != http.MethodGet || reader(c).SignedIn {
		c.Next()
		return
	}
	key := s.cacheKey(c)
	if p, ok := s.cache.get(key); ok {
		s.cache.hits.Add(1)
		s.met.cacheAnswer(true)
		writeCached(c, p)
		c.Abort()
		return
	}
	w := &bufferedWriter{ResponseWriter: c.Writer, status: http.StatusOK}
	c.Writer = w
	c.Next()
	c.Writer = w.ResponseWriter
	p := &cachedPage{key: key, contentType: w.Header().Get("Content-Type"), body: w.buf.Bytes()}
	if w.status != http.StatusOK || w.Header().Get("Set-Cookie") != "" || len(p.body) > maxCachedPage {
		// Not kept; answered as the handler wrote it.
		c.Writer.WriteHeader(w.status)
		_, _ = c.Writer.Write(p.body)
		return
	}
	sum := sha256.Sum256(p.body)
	p.etag = `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	s.cache.put(p)
	s.cache.misses.Add(1)
	s.met.cacheAnswer(false)
	writeCached(c, p)
}

// cacheKey is everything an anonymous page depends on besides the generation, which owns
// the cache: and the index answering searches, which changes within a generation when the
// index of the corpus as it is now replaces the previous one (a search answered by the
// previous one is not kept past that).
func (s *Server) cacheKey(c *gin.Context) string {
	party, _ := c.Cookie(partyCookie)
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	idx := ""
	if s.index != nil {
		idx = s.index.Name()
	}
	return strings.Join([]string{string(s.today()), scheme, c.Request.Host, c.Request.URL.RequestURI(), party, idx}, "\x00")
}

func writeCached(c *gin.Context, p *cachedPage) {
	h := c.Writer.Header()
	h.Set("ETag", p.etag)
	// The reader's own cache may keep the page but must ask again (the answer changes with the
	// day and the corpus, cheaply confirmed by the ETag); shared caches must not keep it, since
	// it depends on cookies.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Cookie")
	if p.contentType != "" {
		h.Set("Content-Type", p.contentType)
	}
	if inm := c.GetHeader("If-None-Match"); inm != "" && etagMatches(inm, p.etag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(p.body)))
	c.Status(http.StatusOK)
	_, _ = c.Writer.Write(p.body)
}

// etagMatches reads an If-None-Match list (weak or strong tags, or *).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// bufferedWriter holds a handler's answer so that the cache can keep it and give it an ETag
// before anything is sent.
type bufferedWriter struct {
	gin.ResponseWriter
	status  int
	written bool
	buf     bytes.Buffer
}

func (w *bufferedWriter) WriteHeader(code int) {
	if !w.written {
		w.status = code
	}
}
func (w *bufferedWriter) WriteHeaderNow() { w.written = true }
func (w *bufferedWriter) Write(b []byte) (int, error) {
	w.written = true
	return w.buf.Write(b)
}
func (w *bufferedWriter) WriteString(s string) (int, error) {
	w.written = true
	return w.buf.WriteString(s)
}
func (w *bufferedWriter) Status() int   { return w.status }
func (w *bufferedWriter) Size() int     { return w.buf.Len() }
func (w *bufferedWriter) Written() bool { return w.written }
func (w *bufferedWriter) Flush()        {}
