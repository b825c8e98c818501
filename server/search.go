package server

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/index"
	"codenav/legaltext"
)

// searchParams is a search as the request asks for it.
type searchParams struct {
	Q, Party, Category, Doc string
	At                      corpus.Date
	All                     bool
	Page, Size              int
}

func (s *Server) searchParams(c *gin.Context) (searchParams, error) {
	p := searchParams{Q: c.Query("q"), Category: c.Query("category"), Doc: c.Query("doc")}
	var err error
	if p.Party, err = s.partyParam(c); err != nil {
		return p, err
	}
	if _, ok := s.code.Category(p.Category); p.Category != "" && !ok {
		return p, badRequest{fmt.Sprintf("parameter category: unknown document category %q", p.Category)}
	}
	if p.Doc != "" && s.view(c).Document(p.Doc) == nil {
		return p, badRequest{fmt.Sprintf("parameter doc: no document %q", p.Doc)}
	}
	if at := c.Query("at"); at == "all" {
		p.All = true
	} else if p.At, err = dateParam(c, "at"); err != nil {
		return p, err
	}
	p.Page, p.Size, err = pageParams(c)
	return p, err
}

// pageParams reads ?page= and ?size= (positive whole numbers; 1 and 20 when absent).
func pageParams(c *gin.Context) (page, size int, err error) {
	page, size = 1, 20
	for _, f := range []struct {
		name string
		dst  *int
	}{{"page", &page}, {"size", &size}} {
		v := c.Query(f.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, badRequest{fmt.Sprintf("parameter %s: %q is not a positive whole number", f.name, v)}
		}
		*f.dst = n
	}
	return page, size, nil
}

var refQueryRE = regexp.MustCompile(`^(?i:(section|clause|paragraph|appendix|schedule)\s+)?([A-Za-z]{1,4})(\d+(?:\.\d+)?(?:\([a-z]{1,4}\))*)$`)

// jump returns the clause, part or document a query names when the whole query is a
// reference ("G3.20", "H1.10(d)", "Section H1", "Appendix AD"), at the date searched.
func (s *Server) jump(v *corpus.View, q string, day corpus.Date) (corpus.Target, bool) {
	q = strings.Join(strings.Fields(q), " ")
	if m := refQueryRE.FindStringSubmatch(q); m != nil {
		kw := m[1]
		if kw == "" && !strings.Contains(m[3], ".") {
			kw = "Section"
		}
		if kw != "" {
			kw = strings.ToUpper(kw[:1]) + strings.ToLower(kw[1:]) + " "
		}
		q = kw + strings.ToUpper(m[2]) + m[3]
	}
	refs := legaltext.FindRefs(q)
	if len(refs) != 1 || refs[0].Start != 0 || refs[0].End != len(q) {
		return corpus.Target{}, false
	}
	t, ok, found := s.code.Resolve(refs[0], day)
	if !ok || !found || !v.CanSee(t.Version.Doc) {
		return corpus.Target{}, false
	}
	return t, true
}

// search runs a search for the reader, with the clause-reference jump as its first hit.
func (s *Server) search(c *gin.Context, p searchParams) (*index.Result, *corpus.Target, error) {
	v := s.view(c)
	if s.index == nil {
		return nil, nil, index.ErrNotReady
	}
	visible := s.publicIDs
	if v.Reader.SignedIn || len(v.Reader.Roles) > 0 {
		visible = []string{}
		for _, d := range v.Documents() {
			visible = append(visible, d.ID)
		}
	}
	today := s.today()
	searchStart := time.Now()
	find := s.index.Search
	if s.find != nil {
		find = s.find
	}
	res, err := find(c.Request.Context(), index.Request{Code: s.code.ID, Query: p.Q, Party: p.Party, Category: p.Category,
		Doc: p.Doc, At: p.At, AllVersions: p.All, Today: today, Page: p.Page, Size: p.Size, Visible: visible,
		OrElseAnyWord: true})
	s.met.searched(searchStart, err)
	if err != nil {
		return nil, nil, err
	}
	day := p.At
	if day == "" {
		day = today
	}
	for i := range res.Hits {
		h := &res.Hits[i]
		if d := s.code.Document(h.Doc); d != nil && !p.All {
			if x := s.versionAt(d, day); x != nil {
				h.Version = x.Number
			}
		}
	}
	var target *corpus.Target
	if p.Page == 1 {
		if t, ok := s.jump(v, p.Q, day); ok {
			target = &t
			res.Hits = append([]index.Hit{s.jumpHit(t, res)}, dropHit(res.Hits, t)...)
		}
	}
	return res, target, nil
}

func (s *Server) jumpHit(t corpus.Target, res *index.Result) index.Hit {
	h := index.Hit{Doc: t.Version.Doc.ID, Title: t.Version.Doc.Title, Clause: t.Anchor, Version: t.Version.Number,
		VersionFrom: t.Version.Number, From: t.Version.Effective, To: t.Version.Until(), Versions: 1, Parties: t.Version.Doc.Parties}
	if len(res.Hits) > 0 {
		h.Score = res.Hits[0].Score + 1
	} else {
		h.Score = 1
	}
	id := t.Anchor
	if i := strings.IndexByte(id, '('); i > 0 {
		id = id[:i]
	}
	if n := t.Version.Tree().Node(id); n != nil {
		h.Parties = t.Version.Parties(n)
		if len(n.Path) > 0 {
			h.Heading = strings.Join(n.Path, " › ")
		}
		text := []rune(strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID)))
		if len(text) > 240 {
			text = append(text[:240], '…')
		}
		h.Snippet = template.HTMLEscapeString(string(text))
	} else if t.Anchor == "" {
		h.Snippet = template.HTMLEscapeString(t.Version.Doc.Summary)
	}
	return h
}

func dropHit(hits []index.Hit, t corpus.Target) []index.Hit {
	out := hits[:0:0]
	for _, h := range hits {
		if h.Doc == t.Version.Doc.ID && h.Clause == t.Anchor {
			continue
		}
		out = append(out, h)
	}
	return out
}

func (s *Server) searchFail(c *gin.Context, err error) {
	switch {
	case errors.Is(err, index.ErrBadQuery):
		s.fail(c, http.StatusBadRequest, "parameter q: "+strings.TrimPrefix(err.Error(), index.ErrBadQuery.Error()+": "))
	case errors.Is(err, index.ErrTooSlow):
		c.Header("Retry-After", "2")
		s.fail(c, http.StatusServiceUnavailable, err.Error())
	case errors.Is(err, index.ErrBusy):
		c.Header("Retry-After", "1")
		s.fail(c, http.StatusServiceUnavailable, err.Error())
	case errors.Is(err, index.ErrNotReady):
		c.Header("Retry-After", "5")
		s.fail(c, http.StatusServiceUnavailable, err.Error()+"; try again in a few seconds")
	default:
		s.failErr(c, err)
	}
}

func (s *Server) apiSearch(c *gin.Context) {
	p, err := s.searchParams(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	res, _, err := s.search(c, p)
	if err != nil {
		s.searchFail(c, err)
		return
	}
	if m := s.modJump(s.view(c), p.Q); m != nil {
		res.Goto = s.u("/modifications/" + url.PathEscape(m.ID))
	}
	c.JSON(http.StatusOK, res)
}

// searchBody is what the search page's template shows of a search. The hits, facets and
// suggestions come written as HTML (see htmlesc.go for why).
type searchBody struct {
	P      searchParams
	Res    *index.Result
	Prev   string
	Next   string
	Pages  int
	Start  int // the number of the page's first hit
	TookMS string
	// DidYouMean links to the query with misspelt words corrected.
	DidYouMean string
	// FacetsHTML are the facets' sections; HitsHTML the items of the list of hits;
	// SuggestionsHTML the items of the list of clauses, documents and defined terms whose
	// id or name starts with the query.
	FacetsHTML, HitsHTML, SuggestionsHTML template.HTML
}

func (s *Server) searchPage(c *gin.Context) {
	p, err := s.searchParams(c)
	if err != nil {
		s.failErr(c, err)
		return
	}
	pd := pageData{Title: "Search"}
	if strings.TrimSpace(p.Q) == "" && p.Party == "" && p.Category == "" && p.Doc == "" {
		s.page(c, http.StatusOK, "search", pd)
		return
	}
	if m := s.modJump(s.view(c), p.Q); m != nil && p.Page == 1 {
		// A modification's id goes straight to the modification.
		c.Redirect(http.StatusSeeOther, s.u("/modifications/"+url.PathEscape(m.ID)))
		return
	}
	res, target, err := s.search(c, p)
	if err != nil {
		s.searchFail(c, err)
		return
	}
	if target != nil {
		// A reference goes straight to the clause.
		u := s.u(versionURL(target.Version, s.today()))
		if target.Anchor != "" {
			u += "#" + target.Anchor
		}
		c.Redirect(http.StatusSeeOther, u)
		return
	}
	pd.Title = "Search: " + p.Q
	pd.Body = s.searchView(c.Request.URL.Query(), p, res, s.suggest(c, p.Q, 8), s.today())
	pd.size = searchPageSize
	s.page(c, http.StatusOK, "search", pd)
}

// searchPageSize is about what a search page weighs (26 kB with 20 hits and a hundred
// documents to narrow to), for its buffer.
const searchPageSize = 32 << 10

// facetSections are the facets in the order the page shows them, with their headings.
var facetSections = [...]struct{ name, label, lower string }{
	{"category", "Category", "category"},
	{"doc", "Document", "document"},
	{"party", "Party category", "party category"},
}

// searchView makes what the search page shows of res, the answer to p, whose query
// parameters are query, on the day today.
func (s *Server) searchView(query url.Values, p searchParams, res *index.Result, sugg []suggestion, today corpus.Date) searchBody {
	b := searchBody{P: p, Res: res, Start: (p.Page-1)*p.Size + 1, TookMS: strconv.FormatFloat(float64(res.Took.Microseconds())/1000, 'f', 1, 64)}
	links := newQueryLinks(s.u("/search?"), query)
	pd := pageData{Code: s.code, Base: s.base, Today: today}
	active := [...]string{p.Category, p.Doc, p.Party}
	// Each part is written into one scratch buffer, then copied out at its size.
	w := s.pageBuf()
	defer s.putPageBuf(w)
	for i, f := range facetSections {
		w.WriteString("\n  ")
		allParties, shown := 0, false
		// Every link of the facet is the same address but for the value: its two sides are
		// escaped for the attribute once. Escaping them apart is escaping the whole, as
		// neither side nor an escaped value holds a scheme or a % near its end.
		head, tail := links.around(f.name)
		head, tail = attrURL(head), attrURL(tail)
		for _, fv := range res.Facets[f.name] {
			if f.name == "party" && fv.Value == "all" {
				// Not a category to choose: these clauses are in every party's count.
				allParties = fv.Count
				continue
			}
			if !shown {
				shown = true
				w.WriteString("<section><h2>")
				htmlText(w, f.label)
				w.WriteString("</h2><ul>\n  ")
			}
			w.WriteString(`<li><a href="`)
			w.WriteString(head)
			htmlURLAttr(w, queryEscape(fv.Value))
			w.WriteString(tail)
			w.WriteByte('"')
			if active[i] == fv.Value {
				w.WriteString(` aria-current="true"`)
			}
			w.WriteByte('>')
			htmlText(w, s.facetLabel(pd, f.name, fv.Value))
			w.WriteString(`</a> <span class="count">`)
			htmlInt(w, fv.Count)
			w.WriteString("</span></li>")
		}
		if shown {
			w.WriteString("\n  </ul>")
			if allParties != 0 {
				w.WriteString(`<p class="facet-note" id="facet-all">Each count includes the <span class="count">`)
				htmlInt(w, allParties)
				w.WriteString("</span> clause")
				if allParties != 1 {
					w.WriteByte('s')
				}
				w.WriteString(" for all parties.</p>")
			}
			if active[i] != "" {
				w.WriteString(`<p><a href="`)
				htmlURLAttr(w, links.with(f.name, ""))
				w.WriteString(`">Any `)
				htmlText(w, f.lower)
				w.WriteString("</a></p>")
			}
			w.WriteString("</section>")
		}
		w.WriteString("\n")
	}
	b.FacetsHTML = template.HTML(w.String())

	w.Reset()
	for _, h := range res.Hits {
		w.WriteString("<li>\n  <a class=\"hit-title\" href=\"")
		htmlURLAttr(w, s.hitURL(h, today))
		w.WriteString(`"><strong>`)
		htmlText(w, h.Clause)
		w.WriteString("</strong> · ")
		htmlText(w, h.Title)
		w.WriteString("</a>\n  ")
		if h.Heading != "" {
			w.WriteString(`<div class="hit-heading">`)
			htmlText(w, h.Heading)
			w.WriteString("</div>")
		}
		w.WriteString("\n  <p class=\"snippet\">")
		w.WriteString(h.Snippet) // escaped by the index, with <mark> added
		w.WriteString("</p>\n  <p class=\"hit-meta\">Version ")
		if p.All && h.VersionFrom != h.Version {
			htmlText(w, h.VersionFrom)
			w.WriteString("–")
		}
		htmlText(w, h.Version)
		w.WriteString(" · in force from ")
		htmlText(w, string(h.From))
		if h.To != "" {
			w.WriteString(" to ")
			htmlText(w, string(h.To))
		}
		if h.Versions > 1 {
			w.WriteString(" · ")
			htmlInt(w, h.Versions)
			w.WriteString(" versions matched")
		}
		w.WriteString(" · applies to ")
		for i, id := range h.Parties {
			if i > 0 {
				w.WriteString(", ")
			}
			htmlText(w, s.partyName(id))
		}
		w.WriteString("</p>\n</li>\n")
	}
	if len(res.Hits) == 0 {
		w.WriteString("<li>No clause matches. Try fewer words, another date, or every version.</li>")
	}
	b.HitsHTML = template.HTML(w.String())

	if len(sugg) > 0 {
		w.Reset()
		for _, it := range sugg {
			w.WriteString(`<li><a href="`)
			htmlURLAttr(w, it.URL)
			w.WriteString(`">`)
			htmlText(w, it.Label)
			w.WriteString(`</a> <span class="tag">`)
			htmlText(w, it.Kind)
			w.WriteString(`</span> <span class="doc">`)
			htmlText(w, it.Detail)
			w.WriteString("</span></li>")
		}
		b.SuggestionsHTML = template.HTML(w.String())
	}

	if res.DidYouMean != "" {
		b.DidYouMean = links.with("q", res.DidYouMean)
	}
	b.Pages = (res.Total + p.Size - 1) / p.Size
	if p.Page > 1 {
		b.Prev = links.with("page", strconv.Itoa(p.Page-1))
	}
	if p.Page < b.Pages {
		b.Next = links.with("page", strconv.Itoa(p.Page+1))
	}
	return b
}

// hitURL is pageData.HitURL of h, with its version looked up in docVersions.
func (s *Server) hitURL(h index.Hit, today corpus.Date) string {
	doc := s.code.Document(h.Doc)
	if doc == nil {
		return s.base + "/docs/" + url.PathEscape(h.Doc)
	}
	v := s.version(doc, h.Version)
	if v == nil {
		return s.base + "/docs/" + doc.ID + "#" + h.Clause
	}
	u := s.base + "/docs/" + doc.ID
	if s.versionAt(doc, today) != v {
		u += "?version=" + v.Number
	}
	if h.Clause != "" {
		u += "#" + h.Clause
	}
	return u
}

// docVersions is what a search looks up of a document's versions for each hit: their
// effective dates as numbers side by side, and the versions by number. Reading the dates
// and numbers from the versions themselves costs a cache miss per version in a large heap:
// forty per hit, twice, in every search.
type docVersions struct {
	eff   []int32 // yyyymmdd of each version's Effective, in the document's order
	vs    []*corpus.Version
	byNum map[string]*corpus.Version
}

// newDocVersions makes the table of d, or nil when a version's date is not YYYY-MM-DD
// (then d's own methods answer).
func newDocVersions(d *corpus.Document) *docVersions {
	dv := &docVersions{eff: make([]int32, len(d.Versions)), vs: d.Versions, byNum: make(map[string]*corpus.Version, len(d.Versions))}
	for i, v := range d.Versions {
		n, ok := dateNum(v.Effective)
		if !ok {
			return nil
		}
		dv.eff[i] = n
		if _, dup := dv.byNum[v.Number]; !dup {
			dv.byNum[v.Number] = v // the first of a repeated number, as Document.Version finds it
		}
	}
	return dv
}

// dateNum is a YYYY-MM-DD date as the number yyyymmdd, which orders as the text does.
func dateNum(d corpus.Date) (int32, bool) {
	if len(d) != 10 || d[4] != '-' || d[7] != '-' {
		return 0, false
	}
	var n int32
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := d[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int32(c-'0')
	}
	return n, true
}

// versionAt is d.At(day).
func (s *Server) versionAt(d *corpus.Document, day corpus.Date) *corpus.Version {
	dv := s.docVersions[d]
	n, ok := dateNum(day)
	if dv == nil || !ok {
		return d.At(day)
	}
	var best *corpus.Version
	for i, e := range dv.eff {
		if e <= n {
			best = dv.vs[i]
		}
	}
	return best
}

// version is d.Version(num).
func (s *Server) version(d *corpus.Document, num string) *corpus.Version {
	if dv := s.docVersions[d]; dv != nil {
		return dv.byNum[num]
	}
	return d.Version(num)
}

// partyName is pageData.PartyName from a map made once.
func (s *Server) partyName(id string) string {
	if n, ok := s.partyNames[id]; ok {
		return n
	}
	return id
}

// facetLabel is the name a facet's link shows for value.
func (s *Server) facetLabel(pd pageData, facet, value string) string {
	switch facet {
	case "party":
		return pd.PartyName(value)
	case "category":
		return pd.CategoryName(value)
	}
	if d := s.code.Document(value); d != nil {
		if d.Reference != "" {
			return d.Reference
		}
		return d.Title
	}
	return value
}

// queryLinks makes the addresses of the search page with one parameter changed and the
// others as the request gave them, without page, written as url.Values.Encode writes them
// (keys sorted, each value escaped): the request's query is encoded once, not again for
// every one of the page's hundred links.
type queryLinks struct {
	prefix string
	keys   []string          // sorted
	pairs  map[string]string // key: its pairs, encoded ("at=2020-01-01&at=all")
}

func newQueryLinks(prefix string, q url.Values) *queryLinks {
	l := &queryLinks{prefix: prefix, pairs: make(map[string]string, len(q))}
	for k, vs := range q {
		if k == "page" || len(vs) == 0 {
			continue
		}
		ek := queryEscape(k)
		var b strings.Builder
		for i, v := range vs {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(queryEscape(v))
		}
		l.keys = append(l.keys, k)
		l.pairs[k] = b.String()
	}
	slices.Sort(l.keys)
	return l
}

// with is the address with key set to val, or without key when val is empty; but an empty
// party is kept, not dropped: the party chosen in the header would apply again.
func (l *queryLinks) with(key, val string) string {
	if val != "" || key == "party" {
		head, tail := l.around(key)
		return head + queryEscape(val) + tail
	}
	var b strings.Builder
	b.WriteString(l.prefix)
	n := 0
	for _, k := range l.keys {
		if k != key {
			if n > 0 {
				b.WriteByte('&')
			}
			n++
			b.WriteString(l.pairs[k])
		}
	}
	return b.String()
}

// around splits the address with key set around key's value: with(key, val) is head,
// queryEscape(val), tail.
func (l *queryLinks) around(key string) (head, tail string) {
	var b strings.Builder
	b.WriteString(l.prefix)
	n := 0
	add := func(s ...string) {
		if n > 0 {
			b.WriteByte('&')
		}
		n++
		for _, x := range s {
			b.WriteString(x)
		}
	}
	done := false
	for _, k := range l.keys {
		if !done && k >= key {
			add(queryEscape(key), "=")
			head, done = b.String(), true
			b.Reset()
		}
		if k != key {
			add(l.pairs[k])
		}
	}
	if !done {
		add(queryEscape(key), "=")
		return b.String(), ""
	}
	return head, b.String()
}

// HitURL is the address of a hit: the clause in the version the hit shows.
func (d pageData) HitURL(h index.Hit) string {
	doc := d.Code.Document(h.Doc)
	if doc == nil {
		return d.Base + "/docs/" + url.PathEscape(h.Doc)
	}
	v := doc.Version(h.Version)
	if v == nil {
		return d.Base + "/docs/" + doc.ID + "#" + h.Clause
	}
	u := d.Base + versionURL(v, d.Today)
	if h.Clause != "" {
		u += "#" + h.Clause
	}
	return u
}
