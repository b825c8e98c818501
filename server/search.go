package server

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
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
	visible := []string{}
	for _, d := range v.Documents() {
		visible = append(visible, d.ID)
	}
	today := s.today()
	searchStart := time.Now()
	res, err := s.index.Search(c.Request.Context(), index.Request{Code: s.code.ID, Query: p.Q, Party: p.Party, Category: p.Category,
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
			if x := d.At(day); x != nil {
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

type facetLink struct {
	Label, URL string
	Count      int
	Active     bool
}

type searchBody struct {
	P       searchParams
	Res     *index.Result
	Facets  map[string][]facetLink
	Clear   map[string]string
	Prev    string
	Next    string
	Pages   int
	TookMS  string
	Message string
	// AllParties is how many clauses apply to every party (each party's count includes them).
	AllParties int
	// DidYouMean links to the query with misspelt words corrected.
	DidYouMean string
	// Suggestions are clauses, documents and defined terms whose id or name starts with the query.
	Suggestions []suggestion
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
	b := searchBody{P: p, Res: res, Facets: map[string][]facetLink{}, Clear: map[string]string{},
		TookMS: fmt.Sprintf("%.1f", float64(res.Took.Microseconds())/1000)}
	u := c.Request.URL
	with := func(key, val string) string {
		q := u.Query()
		q.Del("page")
		switch {
		case val == "" && key == "party":
			// An empty party, not none: the party chosen in the header would apply again.
			q.Set(key, "")
		case val == "":
			q.Del(key)
		default:
			q.Set(key, val)
		}
		return s.u("/search?" + q.Encode())
	}
	names := map[string]func(string) string{
		"party":    pd.withCode(s.code).PartyName,
		"category": pd.withCode(s.code).CategoryName,
		"doc": func(id string) string {
			if d := s.code.Document(id); d != nil {
				if d.Reference != "" {
					return d.Reference
				}
				return d.Title
			}
			return id
		},
	}
	active := map[string]string{"party": p.Party, "category": p.Category, "doc": p.Doc}
	for name, vals := range res.Facets {
		for _, fv := range vals {
			if name == "party" && fv.Value == "all" {
				// Not a category to choose: these clauses are in every party's count.
				b.AllParties = fv.Count
				continue
			}
			b.Facets[name] = append(b.Facets[name], facetLink{Label: names[name](fv.Value), URL: with(name, fv.Value),
				Count: fv.Count, Active: active[name] == fv.Value})
		}
		if active[name] != "" {
			b.Clear[name] = with(name, "")
		}
	}
	if res.DidYouMean != "" {
		b.DidYouMean = with("q", res.DidYouMean)
	}
	b.Suggestions = s.suggest(c, p.Q, 8)
	b.Pages = (res.Total + p.Size - 1) / p.Size
	page := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return s.u("/search?" + q.Encode())
	}
	if p.Page > 1 {
		b.Prev = page(p.Page - 1)
	}
	if p.Page < b.Pages {
		b.Next = page(p.Page + 1)
	}
	pd.Body = b
	s.page(c, http.StatusOK, "search", pd)
}

func (d pageData) withCode(c *corpus.Code) pageData { d.Code = c; return d }

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

// Snippet marks a hit's snippet as safe HTML: the index escapes the text and adds only <mark>.
func (d pageData) Snippet(h index.Hit) template.HTML { return template.HTML(h.Snippet) }
