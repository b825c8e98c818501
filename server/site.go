package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/corpus"
	"codenav/frontend"
	"codenav/index"
)

// Site serves several codes from one process and one index: each code's Server under its
// own prefix (/<code-id>/), and at the root a home page listing the codes, a search of
// every code (/search, /api/v1/search, with a code facet and code= filter), the list of
// codes (/api/v1/codes), /healthz and /readyz. Sessions are the site's (one cookie for every
// path), so signing in to one code signs in to all; each code's Server decides what its
// reader may see of it.
type Site struct {
	codes  []*Server
	index  *index.Manager
	log    *slog.Logger
	now    func() time.Time
	tmpl   *frontend.Templates
	engine *gin.Engine
}

// NewSite serves the codes of servers, each made with Config.Prefix "/<code id>" and the
// same Config.Index, made with index.OpenSite of their codes.
func NewSite(servers []*Server, idx *index.Manager, log *slog.Logger) (*Site, error) {
	if len(servers) == 0 {
		return nil, errors.New("site: no code")
	}
	if log == nil {
		log = slog.Default()
	}
	seen := map[string]bool{}
	for _, s := range servers {
		if s.base != "/"+s.code.ID {
			return nil, fmt.Errorf("site: code %q is served under %q; want /%s", s.code.ID, s.base, s.code.ID)
		}
		if seen[s.code.ID] {
			return nil, fmt.Errorf("site: two codes have the id %q", s.code.ID)
		}
		seen[s.code.ID] = true
		if reservedCodeID(s.code.ID) {
			return nil, fmt.Errorf("site: code id %q is a path of the site itself; choose another id in its code.yaml", s.code.ID)
		}
		if s.index != idx {
			return nil, fmt.Errorf("site: code %q does not search the site's index", s.code.ID)
		}
	}
	t, err := frontend.LoadSite()
	if err != nil {
		return nil, fmt.Errorf("site: templates: %w", err)
	}
	st := &Site{codes: servers, index: idx, log: log, now: servers[0].now, tmpl: t}
	st.engine = st.routes()
	servers[0].met.adopt(servers...)
	return st, nil
}

// reservedCodeID reports whether a code id would hide a path of the site's root.
func reservedCodeID(id string) bool {
	switch id {
	case "search", "api", "static", "healthz", "readyz":
		return true
	}
	return false
}

// ServeHTTP sends a request under a code's prefix to its Server, others to the site's routes.
func (st *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for _, s := range st.codes {
		if p == s.base {
			u := s.base + "/"
			if r.URL.RawQuery != "" {
				u += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, u, http.StatusMovedPermanently)
			return
		}
		if strings.HasPrefix(p, s.base+"/") {
			s.Handler().ServeHTTP(w, r)
			return
		}
	}
	st.engine.ServeHTTP(w, r)
}

// Servers are the Servers of the codes, in the order given.
func (st *Site) Servers() []*Server { return st.codes }

func (st *Site) routes() *gin.Engine {
	// The site's own routes use the first code's middleware: the same logging, headers and
	// sessions (the signer and users file are the site's).
	s0 := st.codes[0]
	e := gin.New()
	e.HandleMethodNotAllowed = true
	if s0.met != nil {
		e.Use(s0.met.observe(""))
	}
	e.Use(s0.logRequests, s0.recover, s0.securityHeaders, limitBody(1<<16), s0.session, st.checkParams)
	e.NoRoute(func(c *gin.Context) { st.fail(c, http.StatusNotFound, "no page at "+c.Request.URL.Path) })
	e.NoMethod(func(c *gin.Context) {
		st.fail(c, http.StatusMethodNotAllowed, "method "+c.Request.Method+" is not allowed here")
	})
	e.GET("/", st.home)
	e.GET("/search", st.searchPage)
	e.GET("/api/v1/search", st.apiSearch)
	e.GET("/api/v1/codes", st.apiCodes)
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", st.readyz)
	e.GET("/sitemap.xml", st.sitemapIndex)
	e.StaticFS("/static", filesOnly{http.FS(frontend.Static())})
	return e
}

// siteParams are the query parameters each site route takes.
var siteParams = map[string][]string{
	"/search":        {"q", "code", "category", "doc", "at", "page", "size"},
	"/api/v1/search": {"q", "code", "category", "doc", "at", "page", "size"},
}

func (st *Site) checkParams(c *gin.Context) {
	route := c.FullPath()
	if route == "" || strings.HasPrefix(route, "/static") {
		c.Next()
		return
	}
	allowed := siteParams[route]
	for k, vs := range c.Request.URL.Query() {
		if !slices.Contains(allowed, k) {
			st.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter %s: this address takes no such parameter", k))
			return
		}
		if len(vs) > 1 {
			st.fail(c, http.StatusBadRequest, fmt.Sprintf("parameter %s: given %d times; give it once", k, len(vs)))
			return
		}
	}
	c.Next()
}

func (st *Site) readyz(c *gin.Context) {
	for _, s := range st.codes {
		if !s.ready.Load() {
			c.String(http.StatusServiceUnavailable, "not ready: rendering "+s.code.ID+"\n")
			return
		}
	}
	if st.index == nil || !st.index.Ready() {
		c.String(http.StatusServiceUnavailable, "not ready: the search index is being built\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

// siteCode is one code as the site's pages list it.
type siteCode struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Documents int    `json:"documents"` // the documents the reader may see
	Notice    string `json:"notice,omitempty"`
}

type sitePage struct {
	Title  string
	Codes  []siteCode
	Reader corpus.Reader
	Today  corpus.Date
	Body   any
	// Login is where to sign in (the first code's sign-in page; the session is the
	// site's), "" without sign-in.
	Login string
}

func (st *Site) codeList(c *gin.Context) []siteCode {
	r := reader(c)
	out := make([]siteCode, 0, len(st.codes))
	for _, s := range st.codes {
		out = append(out, siteCode{ID: s.code.ID, Title: s.code.Title, URL: s.u("/"),
			Documents: len(s.code.For(r).Documents()), Notice: s.code.Notice})
	}
	return out
}

func (st *Site) page(c *gin.Context, status int, name string, p sitePage) {
	p.Codes = st.codeList(c)
	p.Reader = reader(c)
	p.Today = corpus.DateOf(st.now())
	if s0 := st.codes[0]; s0.auth != nil && s0.signer != nil && !p.Reader.SignedIn {
		p.Login = s0.u("/login")
	}
	var buf bytes.Buffer
	if err := st.tmpl.Execute(&buf, name, p); err != nil {
		st.log.ErrorContext(c.Request.Context(), "template", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (st *Site) fail(c *gin.Context, status int, msg string) {
	if isAPI(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": msg})
		return
	}
	st.page(c, status, "error", sitePage{Title: http.StatusText(status), Body: msg})
	c.Abort()
}

func (st *Site) home(c *gin.Context) {
	st.page(c, http.StatusOK, "home", sitePage{})
}

func (st *Site) apiCodes(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"codes": st.codeList(c)})
}

// siteSearchParams is a search of every code as the request asks for it.
type siteSearchParams struct {
	Q, Code, Category, Doc string
	At                     corpus.Date
	Page, Size             int
}

func (st *Site) server(id string) *Server {
	for _, s := range st.codes {
		if s.code.ID == id {
			return s
		}
	}
	return nil
}

func (st *Site) searchParams(c *gin.Context) (siteSearchParams, error) {
	p := siteSearchParams{Q: c.Query("q"), Code: c.Query("code"), Category: c.Query("category"), Doc: c.Query("doc")}
	if p.Code != "" && st.server(p.Code) == nil {
		return p, badRequest{fmt.Sprintf("parameter code: no code %q", p.Code)}
	}
	if p.Category != "" {
		known := false
		for _, s := range st.codes {
			if _, ok := s.code.Category(p.Category); ok {
				known = true
			}
		}
		if !known {
			return p, badRequest{fmt.Sprintf("parameter category: no code has the document category %q", p.Category)}
		}
	}
	if p.Doc != "" {
		// A document of the site is "<code>/<document>".
		id, doc, _ := strings.Cut(p.Doc, "/")
		s := st.server(id)
		if s == nil || s.code.For(reader(c)).Document(doc) == nil {
			return p, badRequest{fmt.Sprintf("parameter doc: no document %q (give <code>/<document>, e.g. sec/section-h)", p.Doc)}
		}
	}
	var err error
	if p.At, err = dateParam(c, "at"); err != nil {
		return p, err
	}
	p.Page, p.Size, err = pageParams(c)
	return p, err
}

// siteHit is a hit of a search of every code, with its code and its address there.
type siteHit struct {
	index.Hit
	URL       string `json:"url"`
	CodeTitle string `json:"code_title"`
}

// search runs a search of every code the reader may see, on the view of exactly the
// documents they may see in every code.
func (st *Site) search(c *gin.Context, p siteSearchParams) (*index.Result, []siteHit, error) {
	if st.index == nil {
		return nil, nil, index.ErrNotReady
	}
	r := reader(c)
	visible := []string{}
	for _, s := range st.codes {
		for _, d := range s.code.For(r).Documents() {
			visible = append(visible, s.code.ID+"/"+d.ID)
		}
	}
	today := corpus.DateOf(st.now())
	res, err := st.index.Search(c.Request.Context(), index.Request{Query: p.Q, CodeFilter: p.Code, Category: p.Category,
		Doc: p.Doc, At: p.At, Today: today, Page: p.Page, Size: p.Size, Visible: visible, OrElseAnyWord: true})
	if err != nil {
		return nil, nil, err
	}
	// Party categories are each code's: a facet of them across codes would mix ids that
	// mean different things, and the search of every code takes no party.
	delete(res.Facets, "party")
	day := p.At
	if day == "" {
		day = today
	}
	hits := []siteHit{}
	for _, h := range res.Hits {
		s := st.server(h.Code)
		if s == nil {
			continue
		}
		sh := siteHit{Hit: h, CodeTitle: s.code.Title, URL: s.u("/docs/" + url.PathEscape(h.Doc))}
		if d := s.code.Document(h.Doc); d != nil {
			if x := d.At(day); x != nil {
				sh.Version = x.Number
				sh.URL = s.versionURL(x, today)
				if h.Clause != "" {
					sh.URL += "#" + h.Clause
				}
			}
		}
		hits = append(hits, sh)
	}
	return res, hits, nil
}

func (st *Site) searchErr(c *gin.Context, err error) {
	var bad badRequest
	switch {
	case errors.As(err, &bad):
		st.fail(c, http.StatusBadRequest, bad.msg)
	case errors.Is(err, index.ErrBadQuery):
		st.fail(c, http.StatusBadRequest, err.Error())
	case errors.Is(err, index.ErrNotReady), errors.Is(err, index.ErrBusy), errors.Is(err, index.ErrTooSlow):
		c.Header("Retry-After", "5")
		st.fail(c, http.StatusServiceUnavailable, err.Error())
	case c.Request.Context().Err() != nil:
		st.fail(c, http.StatusServiceUnavailable, "the request was cancelled")
	default:
		st.log.ErrorContext(c.Request.Context(), "site search failed", "error", err)
		st.fail(c, http.StatusInternalServerError, "internal error")
	}
}

func (st *Site) apiSearch(c *gin.Context) {
	p, err := st.searchParams(c)
	if err != nil {
		st.searchErr(c, err)
		return
	}
	res, hits, err := st.search(c, p)
	if err != nil {
		st.searchErr(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"total": res.Total, "hits": hits, "facets": res.Facets, "page": res.Page, "size": res.Size,
		"did_you_mean": res.DidYouMean, "any_word": res.AnyWord})
}

type siteFacetLink struct {
	Label, URL string
	Count      int
	Active     bool
}

type siteFacet struct {
	Label  string
	Values []siteFacetLink
	Clear  string
}

type siteSearchBody struct {
	P          siteSearchParams
	Res        *index.Result
	Hits       []siteHit
	Facets     []siteFacet
	CodeTitle  string
	DidYouMean *siteFacetLink
	Pages      int
	Prev, Next string
}

func (st *Site) searchPage(c *gin.Context) {
	p, err := st.searchParams(c)
	if err != nil {
		st.searchErr(c, err)
		return
	}
	res, hits, err := st.search(c, p)
	if err != nil {
		st.searchErr(c, err)
		return
	}
	b := siteSearchBody{P: p, Res: res, Hits: hits}
	if s := st.server(p.Code); s != nil {
		b.CodeTitle = s.code.Title
	}
	u := c.Request.URL
	with := func(key, val string) string {
		q := u.Query()
		q.Del("page")
		if val == "" {
			q.Del(key)
		} else {
			q.Set(key, val)
		}
		return "/search?" + q.Encode()
	}
	label := map[string]func(string) string{
		"code": func(id string) string {
			if s := st.server(id); s != nil {
				return s.code.Title
			}
			return id
		},
		"category": func(id string) string {
			for _, s := range st.codes {
				if cat, ok := s.code.Category(id); ok {
					return cat.Name
				}
			}
			return id
		},
		"doc": func(key string) string {
			id, doc, _ := strings.Cut(key, "/")
			if s := st.server(id); s != nil {
				if d := s.code.Document(doc); d != nil {
					return docTitle(d) + " (" + s.code.ID + ")"
				}
			}
			return key
		},
	}
	active := map[string]string{"code": p.Code, "category": p.Category, "doc": p.Doc}
	for _, f := range []struct{ name, label string }{{"code", "Code"}, {"category", "Category"}, {"doc", "Document"}} {
		sf := siteFacet{Label: f.label}
		for _, fv := range res.Facets[f.name] {
			sf.Values = append(sf.Values, siteFacetLink{Label: label[f.name](fv.Value), URL: with(f.name, fv.Value),
				Count: fv.Count, Active: active[f.name] == fv.Value})
		}
		if active[f.name] != "" {
			sf.Clear = with(f.name, "")
		}
		if len(sf.Values) > 0 {
			b.Facets = append(b.Facets, sf)
		}
	}
	if res.DidYouMean != "" {
		b.DidYouMean = &siteFacetLink{Label: res.DidYouMean, URL: with("q", res.DidYouMean)}
	}
	b.Pages = (res.Total + p.Size - 1) / p.Size
	page := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return "/search?" + q.Encode()
	}
	if p.Page > 1 {
		b.Prev = page(p.Page - 1)
	}
	if p.Page < b.Pages {
		b.Next = page(p.Page + 1)
	}
	st.page(c, http.StatusOK, "search", sitePage{Title: "Search", Body: b})
}

// Snippet marks a hit's snippet as safe HTML: the index escapes the text and adds only <mark>.
func (h siteHit) Snippet() template.HTML { return template.HTML(h.Hit.Snippet) }

// sitemapIndex lists each code's sitemap (each lists what the reader may see of it).
func (st *Site) sitemapIndex(c *gin.Context) {
	base := "http://" + c.Request.Host
	if c.Request.TLS != nil {
		base = "https://" + c.Request.Host
	}
	type loc struct {
		Loc string `xml:"loc"`
	}
	idx := struct {
		XMLName  xml.Name `xml:"sitemapindex"`
		NS       string   `xml:"xmlns,attr"`
		Sitemaps []loc    `xml:"sitemap"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, s := range st.codes {
		idx.Sitemaps = append(idx.Sitemaps, loc{Loc: base + s.u("/sitemap.xml")})
	}
	out, err := xml.MarshalIndent(idx, "", " ")
	if err != nil {
		st.fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	c.Data(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}
