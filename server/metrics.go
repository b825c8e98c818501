package server

import (
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/metrics"
)

// Metrics are the site's Prometheus metrics (see docs/operations.md, "Metrics"). Make one per
// process with NewMetrics and give it to every Server built (Config.Metrics): a reload builds
// a new Server, and the counters must carry on rather than start again from zero. A nil
// *Metrics records nothing.
type Metrics struct {
	reg *metrics.Registry

	requests  *metrics.CounterVec
	duration  *metrics.HistogramVec
	inflight  metrics.Gauge
	search    *metrics.HistogramVec
	redline   *metrics.HistogramVec
	pageCache *metrics.CounterVec
	work      *metrics.CounterVec
	workWait  metrics.Histogram
	reloadErr metrics.Counter

	// cur is the generation serving now, read when scraped for the figures it already keeps
	// (corpus size, index state).
	cur atomic.Pointer[generationStats]
	gen atomic.Int64
}

// generationStats is what the scrape reads of one generation: its one Server, or the
// Servers of the codes of a Site (which share one index and the caches of versions).
type generationStats struct {
	s       *Server // the first code's: the index and the version caches are the same for all
	all     []*Server
	number  int64
	started time.Time
	// bytes is the size of the corpus's version files, summed on the first scrape.
	bytesOnce sync.Once
	bytes     int64
}

// NewMetrics makes the registry of a process: the site's metrics, the Go runtime's and the
// build's.
func NewMetrics() *Metrics {
	r := metrics.NewRegistry()
	m := &Metrics{reg: r}
	m.requests = r.Counter("codenav_http_requests_total",
		"HTTP requests answered, by route pattern (unmatched: no route), method and status class.", "route", "method", "status")
	m.duration = r.Histogram("codenav_http_request_duration_seconds",
		"Time from the request's arrival to its last byte written, by route pattern and method.", metrics.DurationBuckets, "route", "method")
	m.inflight = r.Gauge("codenav_http_requests_in_flight", "Requests being answered now.").With()
	m.search = r.Histogram("codenav_search_duration_seconds",
		"Time the search index took to answer a search (pages and API), by result (ok, error).", metrics.DurationBuckets, "result")
	m.redline = r.Histogram("codenav_redline_duration_seconds",
		"Time to compare two texts: versions (two stored versions, not already cached) or posted (parse and compare of posted text).", metrics.DurationBuckets, "source")
	m.pageCache = r.Counter("codenav_page_cache_requests_total",
		"Anonymous GETs of cacheable pages: hit (answered from the page cache) or miss (rendered and kept).", "result")
	m.work = r.Counter("codenav_work_total",
		"Expensive requests (redline, draft of posted text) by how they got a work slot: immediate, waited, refused (busy: 503), gone (client left while waiting), over_budget (503 after the time budget).", "outcome")
	m.workWait = r.Histogram("codenav_work_wait_seconds",
		"Time expensive requests waited for a work slot, when every slot was taken.", metrics.DurationBuckets).With()
	m.reloadErr = r.Counter("codenav_reload_failures_total",
		"Reloads (SIGHUP, saved drafts) that failed; the previous generation kept serving.").With()
	r.CollectFunc("codenav_generation", "Number of the generation serving now: 1 at start, one more for each reload.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				emit(float64(g.number))
			}
		})
	r.CollectFunc("codenav_generation_start_time_seconds", "When the generation serving now was built, in seconds since the Unix epoch.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				emit(float64(g.started.UnixNano()) / 1e9)
			}
		})
	r.CollectFunc("codenav_index_ready", "1 when searches can be answered, 0 while the first index is built.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				emit(boolValue(g.s.index != nil && g.s.index.Ready()))
			}
		})
	r.CollectFunc("codenav_index_current", "1 when the index answering searches was built from the corpus being served, 0 while a newer one is built.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				emit(boolValue(g.s.index != nil && g.s.index.Current()))
			}
		})
	r.CollectFunc("codenav_index_info", "Always 1; the label names the index generation answering public searches.", false, []string{"generation"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil && g.s.index != nil {
				if name := g.s.index.Name(); name != "" {
					emit(1, name)
				}
			}
		})
	r.CollectFunc("codenav_corpus_documents", "Documents in the corpus served.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				n := 0
				for _, s := range g.all {
					n += len(s.code.Documents)
				}
				emit(float64(n))
			}
		})
	r.CollectFunc("codenav_corpus_versions", "Versions of documents in the corpus served.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				n := 0
				for _, s := range g.all {
					for _, d := range s.code.Documents {
						n += len(d.Versions)
					}
				}
				emit(float64(n))
			}
		})
	r.CollectFunc("codenav_corpus_bytes", "Size of the corpus's version files (Markdown), as they were when first scraped.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				emit(float64(g.corpusBytes()))
			}
		})
	r.CollectFunc("codenav_page_cache_bytes", "Memory held by the page cache of the generation serving now.", false, nil,
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				n := 0
				for _, s := range g.all {
					if s.cache != nil {
						s.cache.mu.Lock()
						n += s.cache.size
						s.cache.mu.Unlock()
					}
				}
				emit(float64(n))
			}
		})
	r.CollectFunc("codenav_work_slots", "Work slots of expensive requests, by state (busy, total).", false, []string{"state"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				busy, total := 0, 0
				for _, s := range g.all {
					busy, total = busy+len(s.work.slots), total+cap(s.work.slots)
				}
				emit(float64(busy), "busy")
				emit(float64(total), "total")
			}
		})
	// The caches of parsed and rendered versions belong to the process (codenav serve shares
	// them between generations), so their hit counts only go up.
	r.CollectFunc("codenav_tree_cache_bytes", "Memory of parsed versions kept (corpus tree cache), by kind (used, max).", false, []string{"kind"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				st := g.s.code.TreeCacheStats()
				emit(float64(st.Bytes), "used")
				emit(float64(st.MaxBytes), "max")
			}
		})
	r.CollectFunc("codenav_tree_cache_requests_total", "Reads of a parsed version: hit (in the tree cache) or miss (its file parsed).", true, []string{"result"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil {
				st := g.s.code.TreeCacheStats()
				emit(float64(st.Hits), "hit")
				emit(float64(st.Misses), "miss")
			}
		})
	r.CollectFunc("codenav_render_cache_bytes", "Memory of rendered versions kept (render cache), by kind (used, max).", false, []string{"kind"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil && g.s.pages != nil {
				_, used := g.s.pages.stats()
				emit(float64(used), "used")
				emit(float64(g.s.pages.max), "max")
			}
		})
	r.CollectFunc("codenav_render_cache_requests_total", "Reads of a rendered version: hit (in the render cache) or miss (rendered).", true, []string{"result"},
		func(emit func(float64, ...string)) {
			if g := m.cur.Load(); g != nil && g.s.pages != nil {
				emit(float64(g.s.pages.hits.Load()), "hit")
				emit(float64(g.s.pages.misses.Load()), "miss")
			}
		})
	metrics.RegisterBuildInfo(r, "codenav")
	metrics.RegisterRuntime(r)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler { return m.reg }

// Registry is the registry the metrics are kept in, for a caller that adds its own.
func (m *Metrics) Registry() *metrics.Registry { return m.reg }

// ReloadFailed counts a reload that failed.
func (m *Metrics) ReloadFailed() {
	if m != nil {
		m.reloadErr.Inc()
	}
}

// adopt makes servers the generation the scrape reads: a Server alone, or the Servers of the
// codes of a Site (NewSite adopts them together, so that a reload counts one generation).
func (m *Metrics) adopt(servers ...*Server) {
	if m != nil && len(servers) > 0 {
		m.cur.Store(&generationStats{s: servers[0], all: servers, number: m.gen.Add(1), started: time.Now()})
	}
}

func (g *generationStats) corpusBytes() int64 {
	g.bytesOnce.Do(func() {
		seen := map[string]bool{}
		for _, s := range g.all {
			for _, d := range s.code.Documents {
				for _, v := range d.Versions {
					if v.Path == "" || seen[v.Path] {
						continue
					}
					seen[v.Path] = true
					if st, err := os.Stat(v.Path); err == nil {
						g.bytes += st.Size()
					}
				}
			}
		}
	})
	return g.bytes
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// observe counts and times every request by its route pattern (/docs/:id), never its path:
// a flood of random addresses adds to the one series "unmatched", not one each. The
// pattern of a code served under a prefix by a Site starts with the prefix (/sec/docs/:id).
func (m *Metrics) observe(prefix string) gin.HandlerFunc {
	return func(c *gin.Context) { m.observeRoute(c, prefix) }
}

func (m *Metrics) observeRoute(c *gin.Context, prefix string) {
	start := time.Now()
	m.inflight.Add(1)
	defer m.inflight.Add(-1)
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	} else {
		route = prefix + route
	}
	method := methodLabel(c.Request.Method)
	m.requests.With(route, method, statusClass(c.Writer.Status())).Inc()
	m.duration.With(route, method).Observe(time.Since(start).Seconds())
}

func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
		http.MethodPatch, http.MethodOptions:
		return m
	}
	return "other"
}

func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "other"
	}
	return strconv.Itoa(code/100) + "xx"
}

func (m *Metrics) searched(start time.Time, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.search.With(result).Observe(time.Since(start).Seconds())
}

func (m *Metrics) compared(source string, start time.Time) {
	if m != nil {
		m.redline.With(source).Observe(time.Since(start).Seconds())
	}
}

func (m *Metrics) cacheAnswer(hit bool) {
	if m == nil {
		return
	}
	if hit {
		m.pageCache.With("hit").Inc()
	} else {
		m.pageCache.With("miss").Inc()
	}
}

// workSlot counts how an expensive request got (or did not get) a work slot.
func (m *Metrics) workSlot(outcome string, waited time.Duration) {
	if m == nil {
		return
	}
	m.work.With(outcome).Inc()
	if outcome != "immediate" && outcome != "over_budget" {
		m.workWait.Observe(waited.Seconds())
	}
}
