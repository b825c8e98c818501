package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
)

// registerFilter is the register's filters and sort order, as the request gives them.
type registerFilter struct {
	Type, Stage, Status, Party, Doc, Release, Q, Sort string
}

// registerSorts are the columns the register sorts on.
func registerSorts() []string {
	return []string{"id", "title", "stage", "status", "raised", "decided", "implemented", "release"}
}

func (s *Server) registerFilter(c *gin.Context) (registerFilter, error) {
	f := registerFilter{Type: c.Query("type"), Stage: c.Query("stage"), Status: c.Query("status"),
		Party: c.Query("party"), Doc: c.Query("doc"), Release: c.Query("release"), Q: strings.TrimSpace(c.Query("q")),
		Sort: c.DefaultQuery("sort", "-raised")}
	enums := []struct {
		name, val string
		allowed   []string
	}{
		{"type", f.Type, []string{"draft-proposal", "modification-proposal"}},
		{"stage", f.Stage, []string{"development", "refinement", "report", "change-board", "decision", "implemented", "closed"}},
		{"status", f.Status, []string{"open", "approved", "rejected", "withdrawn"}},
		{"sort", strings.TrimPrefix(f.Sort, "-"), registerSorts()},
	}
	for _, e := range enums {
		if e.val != "" && !contains(e.allowed, e.val) {
			return f, badRequest{fmt.Sprintf("parameter %s: %q is not one of: %s", e.name, e.val, strings.Join(e.allowed, ", "))}
		}
	}
	if _, ok := s.code.Party(f.Party); f.Party != "" && !ok {
		return f, badRequest{fmt.Sprintf("parameter party: unknown party category %q", f.Party)}
	}
	if f.Doc != "" && s.view(c).Document(f.Doc) == nil {
		return f, badRequest{fmt.Sprintf("parameter doc: no document %q", f.Doc)}
	}
	if f.Release != "" && s.code.Release(f.Release) == nil {
		return f, badRequest{fmt.Sprintf("parameter release: no release %q", f.Release)}
	}
	if len(f.Q) > 200 {
		return f, badRequest{"parameter q: at most 200 characters"}
	}
	return f, nil
}

// register returns the modifications that pass f, sorted, with their documents cut to what
// the reader may see.
func (s *Server) register(v *corpus.View, f registerFilter) []corpus.Modification {
	out := []corpus.Modification{}
	q := strings.ToLower(f.Q)
	for _, m := range s.code.Modifications {
		x := *m
		x.Documents = v.VisibleDocIDs(m.Documents)
		switch {
		case f.Type != "" && x.Type != f.Type,
			f.Stage != "" && x.Stage != f.Stage,
			f.Status != "" && x.Status != f.Status,
			f.Release != "" && x.Release != f.Release,
			f.Party != "" && !contains(x.Parties, f.Party),
			f.Doc != "" && !contains(x.Documents, f.Doc),
			q != "" && !strings.Contains(strings.ToLower(x.ID+" "+x.Title), q):
			continue
		}
		out = append(out, x)
	}
	key := strings.TrimPrefix(f.Sort, "-")
	desc := strings.HasPrefix(f.Sort, "-")
	val := func(m corpus.Modification) string {
		switch key {
		case "title":
			return strings.ToLower(m.Title)
		case "stage":
			return m.Stage
		case "status":
			return m.Status
		case "raised":
			return string(m.Raised)
		case "decided":
			return string(m.Decided)
		case "implemented":
			return string(m.Implemented)
		case "release":
			return m.Release
		}
		return m.ID
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := val(out[i]), val(out[j])
		if a == b {
			return out[i].ID < out[j].ID // a stable order for equal keys
		}
		if desc {
			return a > b
		}
		return a < b
	})
	return out
}

func (s *Server) apiModifications(c *gin.Context) {
	f, err := s.registerFilter(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	mods := s.register(s.view(c), f)
	c.JSON(http.StatusOK, gin.H{"total": len(mods), "modifications": mods})
}

// statsPeriod reads from/to, defaulting to the regulatory year that contains today.
func (s *Server) statsPeriod(c *gin.Context) (corpus.Date, corpus.Date, error) {
	from, err := dateParam(c, "from")
	if err != nil {
		return "", "", err
	}
	to, err := dateParam(c, "to")
	if err != nil {
		return "", "", err
	}
	yf, yt := corpus.RegulatoryYear(s.today())
	if from == "" && to == "" {
		return yf, yt, nil
	}
	if from == "" || to == "" {
		return "", "", badRequest{"parameters from and to: give both, or neither for the current regulatory year"}
	}
	if to < from {
		return "", "", badRequest{"parameters from and to: to is before from"}
	}
	if y, _ := strconv.Atoi(string(to[:4])); y-mustYear(from) > 50 {
		return "", "", badRequest{"parameters from and to: a period of at most 50 years"}
	}
	return from, to, nil
}

func mustYear(d corpus.Date) int {
	y, _ := strconv.Atoi(string(d[:4]))
	return y
}

func (s *Server) apiModificationStats(c *gin.Context) {
	from, to, err := s.statsPeriod(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	st := s.code.ModificationStats(from, to)
	switch c.DefaultQuery("format", "json") {
	case "json":
		c.JSON(http.StatusOK, st)
	case "csv":
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write([]string{"from", "to", "open_at_start", "raised", "concluded", "approved", "rejected", "withdrawn", "open_at_end"})
		_ = w.Write([]string{string(st.From), string(st.To), itoa(st.OpenAtStart), itoa(st.Raised), itoa(st.Concluded),
			itoa(st.Approved), itoa(st.Rejected), itoa(st.Withdrawn), itoa(st.OpenAtEnd)})
		_ = w.Write(nil)
		_ = w.Write([]string{"month", "raised", "cumulative"})
		for _, m := range st.ByMonth {
			_ = w.Write([]string{m.Month, itoa(m.Raised), itoa(m.Cumulative)})
		}
		w.Flush()
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="modifications-%s-%s.csv"`, st.From, st.To))
		c.Data(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	default:
		s.fail(c, http.StatusBadRequest, "parameter format: json or csv")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

type registerBody struct {
	F        registerFilter
	Mods     []corpus.Modification
	Stats    corpus.Stats
	Chart    template.HTML
	SortURL  map[string]string
	Parties  []corpus.Named
	Docs     []*corpus.Document
	Releases []*corpus.Release
	CSV      string
}

func (s *Server) modificationsPage(c *gin.Context) {
	f, err := s.registerFilter(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	from, to, err := s.statsPeriod(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	v := s.view(c)
	b := registerBody{F: f, Mods: s.register(v, f), Stats: s.code.ModificationStats(from, to), SortURL: map[string]string{},
		Parties: s.code.Parties, Docs: v.Documents(), Releases: s.code.Releases}
	b.Chart = chartSVG(b.Stats)
	b.CSV = s.u(fmt.Sprintf("/api/v1/modifications/stats?from=%s&to=%s&format=csv", from, to))
	pd := pageData{Title: "Modification register", Path: s.u(c.Request.URL.RequestURI())}
	for _, k := range registerSorts() {
		dir := k
		if f.Sort == k {
			dir = "-" + k // a second click reverses
		}
		b.SortURL[k] = pd.URL("sort", dir)
	}
	pd.Body = b
	s.page(c, http.StatusOK, "modifications", pd)
}

// chartSVG draws proposals raised per month (bars) and the running total (line). It uses
// presentation attributes only, so it needs neither script nor inline styles (the CSP allows
// neither); the page carries the same figures as a table for those who cannot see it.
func chartSVG(st corpus.Stats) template.HTML {
	const w, h, left, bottom, top = 640.0, 260.0, 40.0, 40.0, 16.0
	n := len(st.ByMonth)
	if n == 0 {
		return ""
	}
	maxCum := 1
	for _, m := range st.ByMonth {
		maxCum = max(maxCum, m.Cumulative, m.Raised)
	}
	plotW, plotH := w-left-10, h-bottom-top
	slot := plotW / float64(n)
	y := func(v int) float64 { return top + plotH - plotH*float64(v)/float64(maxCum) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&b, `<title id="chart-title">Proposals raised per month, %s to %s</title>`, st.From, st.To)
	fmt.Fprintf(&b, `<desc id="chart-desc">Bars: proposals raised in each month. Line: cumulative number in the period, reaching %d. The same figures are in the table below.</desc>`, st.Raised)
	// Axis and gridlines.
	for _, v := range []int{0, maxCum / 2, maxCum} {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d5d9de" stroke-width="1"/>`, left, y(v), w-10, y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="end" fill="#4d5560">%d</text>`, left-4, y(v)+4, v)
	}
	var pts []string
	for i, m := range st.ByMonth {
		x := left + slot*float64(i)
		bw := slot * 0.6
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#0b57a4"><title>%s: %d raised</title></rect>`,
			x+slot*0.2, y(m.Raised), bw, top+plotH-y(m.Raised), m.Month, m.Raised)
		if n <= 24 || i%((n+23)/24) == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="10" text-anchor="middle" fill="#4d5560">%s</text>`, x+slot/2, h-bottom+14, m.Month[2:])
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x+slot/2, y(m.Cumulative)))
	}
	fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#c0392b" stroke-width="2.5" stroke-dasharray="6 3"/>`, strings.Join(pts, " "))
	for _, p := range pts {
		xy := strings.Split(p, ",")
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="#c0392b"/>`, xy[0], xy[1])
	}
	fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="12" fill="#0b57a4"/><text x="%.0f" y="%.0f" font-size="11" fill="#1b1f24">raised in the month</text>`, left, h-14, left+16, h-4)
	fmt.Fprintf(&b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="#c0392b" stroke-width="2.5" stroke-dasharray="6 3"/><text x="%.0f" y="%.0f" font-size="11" fill="#1b1f24">cumulative</text>`, left+160, h-8, left+190, h-8, left+196, h-4)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
