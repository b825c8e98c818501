// Package metrics keeps counters, gauges and histograms and writes them in the Prometheus
// text exposition format (version 0.0.4), which is all a Prometheus server or agent needs to
// scrape a process. It is small on purpose: no push, no protobuf, no summaries.
//
// A Registry is made once per process and passed to whatever records into it; nothing here
// is package-level state, so a site that rebuilds its handlers (a corpus reload) keeps
// counting into the same series.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// DefaultMaxSeries bounds the label sets one family keeps. Label values should come from a
// fixed set (a route pattern, a status class); this is the safety net when one does not:
// past the limit, new label sets are counted together under the value "_other".
const DefaultMaxSeries = 500

// Overflow is the label value that stands for every label set past a family's limit.
const Overflow = "_other"

// DurationBuckets are the upper bounds, in seconds, of request and work latency histograms:
// from a page served from memory (sub-millisecond) to a redline at its time budget.
var DurationBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

var (
	nameRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`) })
	labelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`) })
)

type kind string

const (
	kindCounter   kind = "counter"
	kindGauge     kind = "gauge"
	kindHistogram kind = "histogram"
)

// Registry holds metric families in the order they were made.
type Registry struct {
	mu        sync.Mutex
	fams      []*family
	byName    map[string]bool
	maxSeries int
}

// NewRegistry makes an empty registry.
func NewRegistry() *Registry {
	return &Registry{byName: map[string]bool{}, maxSeries: DefaultMaxSeries}
}

// SetMaxSeries changes the limit of label sets per family (DefaultMaxSeries); n < 1 means 1.
func (r *Registry) SetMaxSeries(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maxSeries = max(n, 1)
}

// family is one metric name with its series, one per label set.
type family struct {
	name, help string
	kind       kind
	labels     []string
	buckets    []float64 // histograms
	max        int

	mu     sync.RWMutex
	series map[string]*series // by joined label values
	// collect, when set, produces the family's values at scrape time instead of series.
	collect func(emit func(value float64, labelValues ...string))
}

type series struct {
	values []string
	bits   atomic.Uint64   // counter or gauge value (float64 bits)
	counts []atomic.Uint64 // histogram: per bucket, not cumulative; the last is +Inf
	sum    atomic.Uint64   // histogram: float64 bits
}

func (r *Registry) add(name, help string, k kind, buckets []float64, labels []string) *family {
	if !nameRE().MatchString(name) {
		panic("metrics: bad metric name " + strconv.Quote(name))
	}
	for _, l := range labels {
		if !labelRE().MatchString(l) || strings.HasPrefix(l, "__") || (k == kindHistogram && l == "le") {
			panic("metrics: bad label name " + strconv.Quote(l) + " for " + name)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byName[name] {
		panic("metrics: " + name + " made twice")
	}
	r.byName[name] = true
	f := &family{name: name, help: help, kind: k, labels: slices.Clone(labels), buckets: buckets,
		max: r.maxSeries, series: map[string]*series{}}
	r.fams = append(r.fams, f)
	return f
}

// get returns the series of the label values, making it on first use.
func (f *family) get(values []string) *series {
	if len(values) != len(f.labels) {
		panic(fmt.Sprintf("metrics: %s takes %d label values, given %d", f.name, len(f.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	f.mu.RLock()
	s := f.series[key]
	f.mu.RUnlock()
	if s != nil {
		return s
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if s = f.series[key]; s != nil {
		return s
	}
	if len(f.series) >= f.max-1 && len(f.labels) > 0 {
		// Keep one place for the overflow series itself.
		values = make([]string, len(f.labels))
		for i := range values {
			values[i] = Overflow
		}
		key = strings.Join(values, "\xff")
		if s = f.series[key]; s != nil {
			return s
		}
	}
	s = &series{values: slices.Clone(values)}
	if f.kind == kindHistogram {
		s.counts = make([]atomic.Uint64, len(f.buckets)+1)
	}
	f.series[key] = s
	return s
}

func addFloat(u *atomic.Uint64, d float64) {
	for {
		old := u.Load()
		if u.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+d)) {
			return
		}
	}
}

// CounterVec is a counter family; With picks a series by its label values.
type CounterVec struct{ f *family }

// Counter is a value that only goes up.
type Counter struct{ s *series }

// Counter makes a counter family. The name should end in _total.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	return &CounterVec{r.add(name, help, kindCounter, nil, labels)}
}

// With returns the counter of the label values, in the order of the family's labels.
func (v *CounterVec) With(values ...string) Counter { return Counter{v.f.get(values)} }

// Inc adds one.
func (c Counter) Inc() { addFloat(&c.s.bits, 1) }

// Add adds d; a negative d is ignored (a counter never goes down).
func (c Counter) Add(d float64) {
	if d > 0 {
		addFloat(&c.s.bits, d)
	}
}

// Value is the counter's value now.
func (c Counter) Value() float64 { return math.Float64frombits(c.s.bits.Load()) }

// GaugeVec is a gauge family.
type GaugeVec struct{ f *family }

// Gauge is a value that goes up and down.
type Gauge struct{ s *series }

// Gauge makes a gauge family.
func (r *Registry) Gauge(name, help string, labels ...string) *GaugeVec {
	return &GaugeVec{r.add(name, help, kindGauge, nil, labels)}
}

// With returns the gauge of the label values.
func (v *GaugeVec) With(values ...string) Gauge { return Gauge{v.f.get(values)} }

// Set sets the gauge.
func (g Gauge) Set(x float64) { g.s.bits.Store(math.Float64bits(x)) }

// Add adds d (which may be negative).
func (g Gauge) Add(d float64) { addFloat(&g.s.bits, d) }

// Value is the gauge's value now.
func (g Gauge) Value() float64 { return math.Float64frombits(g.s.bits.Load()) }

// CollectFunc makes a gauge or counter family whose values are read when scraped: collect
// calls emit once per series. Use it for values another part of the program already keeps
// (the size of the corpus, the Go heap), so that nothing has to copy them as they change.
func (r *Registry) CollectFunc(name, help string, counter bool, labels []string, collect func(emit func(value float64, labelValues ...string))) {
	k := kindGauge
	if counter {
		k = kindCounter
	}
	r.add(name, help, k, nil, labels).collect = collect
}

// HistogramVec is a histogram family.
type HistogramVec struct{ f *family }

// Histogram counts observations into buckets.
type Histogram struct {
	s       *series
	buckets []float64
}

// Histogram makes a histogram family with the given bucket upper bounds (sorted, finite;
// +Inf is added).
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if len(buckets) == 0 || !sort.Float64sAreSorted(buckets) || slices.ContainsFunc(buckets, func(b float64) bool { return math.IsInf(b, 0) || math.IsNaN(b) }) {
		panic("metrics: " + name + ": buckets must be sorted and finite")
	}
	return &HistogramVec{r.add(name, help, kindHistogram, slices.Compact(slices.Clone(buckets)), labels)}
}

// With returns the histogram of the label values.
func (v *HistogramVec) With(values ...string) Histogram {
	return Histogram{v.f.get(values), v.f.buckets}
}

// Observe counts x.
func (h Histogram) Observe(x float64) {
	i := sort.SearchFloat64s(h.buckets, x) // first bound >= x: the bucket x falls in
	h.s.counts[i].Add(1)
	addFloat(&h.s.sum, x)
}

// Count is how many values were observed.
func (h Histogram) Count() uint64 {
	var n uint64
	for i := range h.s.counts {
		n += h.s.counts[i].Load()
	}
	return n
}

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// ServeHTTP writes every family in the text format.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Cache-Control", "no-store")
	if req.Method == http.MethodHead {
		return
	}
	_ = r.WriteText(w)
}

// WriteText writes every family in the text exposition format, series sorted by their
// label values so that two scrapes list them in the same order.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	fams := slices.Clone(r.fams)
	r.mu.Unlock()
	bw := bufio.NewWriter(w)
	for _, f := range fams {
		f.write(bw)
	}
	return bw.Flush()
}

type sample struct {
	values []string
	v      float64
	s      *series
}

func (f *family) write(w *bufio.Writer) {
	var samples []sample
	if f.collect != nil {
		seen := map[string]bool{}
		f.collect(func(v float64, values ...string) {
			key := strings.Join(values, "\xff")
			if len(values) != len(f.labels) || seen[key] {
				return // a collector's mistake must not make the exposition invalid
			}
			seen[key] = true
			samples = append(samples, sample{values: slices.Clone(values), v: v})
		})
	} else {
		f.mu.RLock()
		for _, s := range f.series {
			samples = append(samples, sample{values: s.values, s: s, v: math.Float64frombits(s.bits.Load())})
		}
		f.mu.RUnlock()
	}
	sort.Slice(samples, func(i, j int) bool { return slices.Compare(samples[i].values, samples[j].values) < 0 })
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", f.name, escapeHelp(f.help), f.name, f.kind)
	for _, s := range samples {
		if f.kind != kindHistogram {
			writeSample(w, f.name, f.labels, s.values, "", "", s.v)
			continue
		}
		var cum uint64
		for i := range s.s.counts {
			cum += s.s.counts[i].Load()
			le := "+Inf"
			if i < len(f.buckets) {
				le = formatFloat(f.buckets[i])
			}
			writeSample(w, f.name+"_bucket", f.labels, s.values, "le", le, float64(cum))
		}
		writeSample(w, f.name+"_sum", f.labels, s.values, "", "", math.Float64frombits(s.s.sum.Load()))
		writeSample(w, f.name+"_count", f.labels, s.values, "", "", float64(cum))
	}
}

func writeSample(w *bufio.Writer, name string, labels, values []string, extra, extraValue string, v float64) {
	w.WriteString(name)
	if len(labels) > 0 || extra != "" {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l)
			w.WriteString(`="`)
			w.WriteString(escapeLabel(values[i]))
			w.WriteByte('"')
		}
		if extra != "" {
			if len(labels) > 0 {
				w.WriteByte(',')
			}
			w.WriteString(extra + `="` + extraValue + `"`)
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(formatFloat(v))
	w.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

func escapeHelp(s string) string { return helpEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }

// escapeLabel escapes a label value; invalid UTF-8 (a label value must be UTF-8) is replaced.
func escapeLabel(s string) string { return labelEscaper.Replace(strings.ToValidUTF8(s, "\uFFFD")) }
