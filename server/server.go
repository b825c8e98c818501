// Package server serves a code as a website and a JSON API (/api/v1) with gin.
package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"codenav/alerts"
	"codenav/auth"
	"codenav/corpus"
	"codenav/corpus/writer"
	"codenav/frontend"
	"codenav/index"
	"codenav/legaltext"
)

// Config is what a Server needs.
type Config struct {
	Code   *corpus.Code
	Logger *slog.Logger
	// Now tells the time; today's date decides which versions are in force.
	Now func() time.Time
	// Index answers searches; without one, searches answer 503.
	Index *index.Manager
	// Auth and Signer enable signing in; without them every reader is anonymous.
	Auth   auth.Authenticator
	Signer *auth.Signer
	// LoginLimiter limits sign-in attempts. Give one that outlives the Server (codenav serve
	// does) so that a reload does not give attackers a fresh allowance; nil makes one with
	// auth.DefaultLoginLimits.
	LoginLimiter *auth.LoginLimiter
	// Proxies says where a request's client address comes from (the connection's address
	// unless a trusted proxy header is configured).
	Proxies auth.Proxies
	// SecureCookies marks cookies Secure on plain HTTP too (TLS ends at a proxy in front).
	SecureCookies bool
	// HSTS, when positive, is the max-age of the Strict-Transport-Security header.
	HSTS time.Duration
	// OpenDrafting lets every reader use the drafting page when signing in is not configured;
	// with sign-in, drafting needs the drafter or admin role whatever this says.
	OpenDrafting bool
	// RenderCache is the cache of rendered versions, shared with other servers (codes of a
	// site, generations); nil makes one of RenderCacheBytes (0: DefaultRenderCacheBytes).
	RenderCache      *RenderCache
	RenderCacheBytes int
	// PageCacheBytes is the memory for pages kept for anonymous readers: 0 means
	// DefaultPageCacheBytes, a negative value turns the cache off.
	PageCacheBytes int
	// Limits bound the cost of one request; zero fields take their defaults.
	Limits Limits
	// Writer saves drafts into the corpus; without one, drafts cannot be saved.
	Writer *writer.Writer
	// Reload makes the site serve the corpus as it is on disk now (Live.Reload); a save
	// runs it before the save is recorded.
	Reload func(ctx context.Context) error
	// Alerts keeps the alerts readers save (with sign-in); nil turns alerts off.
	Alerts *alerts.Store
	// BaseURL is the site's public address (https://code.example.org), for the links of
	// e-mail digests.
	BaseURL string
	// Metrics records requests, searches, redlines, cache and work-slot use; make one per
	// process (NewMetrics) so that the counts carry on across reloads. nil records nothing.
	Metrics *Metrics
	// Prefix is the path the code is served under when a site serves several codes ("/rec");
	// "" serves it at the root. Every link the server writes (pages, redirects, API, feeds,
	// sitemap, cookies' paths) starts with it, and Handler strips it from requests.
	Prefix string
	// Site lists the codes served with this one in a site, each under /<its id>:
	// references into them (code.yaml's cites) link there.
	Site []*corpus.Code
}

// Server holds the loaded code, its rendered versions and the HTTP routes.
type Server struct {
	code    *corpus.Code
	log     *slog.Logger
	now     func() time.Time
	tmpl    *frontend.Templates
	index   *index.Manager
	auth    auth.Authenticator
	signer  *auth.Signer
	limiter *auth.LoginLimiter
	pwSlots chan struct{} // password checks (bcrypt) at once: one per CPU
	proxies auth.Proxies
	edge    edgeOptions
	rl      redlines
	limits  Limits
	work    *work               // the semaphore of expensive requests
	drafts  drafting            // saving drafts (drafts.go)
	params  map[string][]string // query parameters each route takes
	pages   *RenderCache
	cache   *pageCache
	sugg    suggestIndex // search suggestions (see suggest.go)
	engine  *gin.Engine
	ready   atomic.Bool
	started time.Time
	alerts  *alerts.Store
	baseURL string
	met     *Metrics
	base    string               // Config.Prefix
	site    []*corpus.Code       // Config.Site
	names   []legaltext.CodeName // the phrases naming the codes the text cites

	// find, when set, answers searches instead of index.Search: a benchmark gives canned
	// answers to measure what the server adds to a search.
	find func(context.Context, index.Request) (*index.Result, error)

	// publicIDs are the ids of the documents every reader may see: what a reader who is
	// not signed in searches.
	publicIDs []string

	// docVersions are the documents' versions as searches look them up (versionAt).
	docVersions map[*corpus.Document]*docVersions
	// partyNames are the display names of the party categories, and of "all".
	partyNames map[string]string

	// partyOptions is PartyOptions for each party chosen ("" for none).
	partyOptions map[string]template.HTML

	// pageBufs keeps the buffers pages are assembled in: the page of a large
	// document is hundreds of kilobytes, allocated and collected for every request otherwise.
	pageBufs sync.Pool
}

// edgeOptions are Config's SecureCookies, HSTS (as the header's value) and OpenDrafting.
type edgeOptions struct {
	secureCookies bool
	hsts          string
	openDrafting  bool
}

// pageKey names a version rendered with its links resolved on a date.
type pageKey struct {
	v   *corpus.Version
	day corpus.Date
}

// renderedVersion is a version rendered once: the text of a version never changes while the
// process runs. Its links are resolved on its reading date (see linkDate), so the version in
// force is rendered again when the day changes, and every other version only once.
type renderedVersion struct {
	nodes []template.HTML
	// open is, per node other than the title, the tag that opens its wrapping div on the
	// document page when it applies to the reader: `<div class="clause" id="H1.1"
	// data-parties="dcc">`, made once rather than for every request.
	open    []string
	applies []string          // per clause, the "Applies to" line
	anchors map[string]string // see anchorMap: for the "Cited by" lines, made once
	terms   []corpus.TermDef  // the defined terms the version uses, for its glossary
	// Parts of the document page that depend on the version only.
	toc, glossary, versions template.HTML
	// The "Cited by" lines as a reader who is not signed in sees them (public documents
	// only), on citedDay: the same for every such reader.
	citedMu   sync.Mutex
	citedDay  corpus.Date
	citedAnon map[string]string
}

// New renders every version of the code and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Code == nil {
		return nil, errors.New("server: no code")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if p := cfg.Prefix; p != "" && (!strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.ContainsAny(p, "?#")) {
		return nil, fmt.Errorf("server: prefix %q: want a path such as /rec", p)
	}
	t, err := frontend.LoadBase(cfg.Prefix)
	if err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	if cfg.LoginLimiter == nil {
		cfg.LoginLimiter = auth.NewLoginLimiter(auth.DefaultLoginLimits, cfg.Now)
	}
	s := &Server{code: cfg.Code, log: cfg.Logger, now: cfg.Now, tmpl: t, index: cfg.Index,
		auth: cfg.Auth, signer: cfg.Signer, limiter: cfg.LoginLimiter, proxies: cfg.Proxies, pwSlots: make(chan struct{}, runtime.GOMAXPROCS(0)),
		edge:  edgeOptions{secureCookies: cfg.SecureCookies, openDrafting: cfg.OpenDrafting},
		pages: cfg.RenderCache, started: time.Now(), params: allowedParams(),
		alerts: cfg.Alerts, baseURL: strings.TrimRight(cfg.BaseURL, "/"), base: cfg.Prefix, site: cfg.Site, names: cfg.Code.CodeNames()}
	if cfg.HSTS > 0 {
		s.edge.hsts = fmt.Sprintf("max-age=%d", int64(cfg.HSTS/time.Second))
	}
	if s.pages == nil {
		s.pages = NewRenderCache(cfg.RenderCacheBytes)
	}
	s.publicIDs = []string{}
	for _, d := range cfg.Code.Documents {
		if cfg.Code.Public(d) {
			s.publicIDs = append(s.publicIDs, d.ID)
		}
	}
	s.docVersions = make(map[*corpus.Document]*docVersions, len(cfg.Code.Documents))
	for _, d := range cfg.Code.Documents {
		s.docVersions[d] = newDocVersions(d)
	}
	s.partyNames = map[string]string{}
	for _, p := range cfg.Code.Parties {
		if _, dup := s.partyNames[p.ID]; !dup {
			s.partyNames[p.ID] = p.Name // the first of a repeated id, as Code.Party finds it
		}
	}
	s.partyNames["all"] = pageData{}.PartyName("all")
	if s.partyOptions, err = partyOptions(t, cfg.Code); err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	s.drafts = drafting{writer: cfg.Writer, reload: cfg.Reload}
	s.limits = cfg.Limits.withDefaults()
	s.work = newWork(s.limits)
	s.met, s.work.met = cfg.Metrics, cfg.Metrics
	s.rl.max, s.rl.maxBytes = defaultRedlineCache, defaultRedlineCacheBytes
	switch {
	case cfg.PageCacheBytes == 0:
		s.cache = newPageCache(DefaultPageCacheBytes)
	case cfg.PageCacheBytes > 0:
		s.cache = newPageCache(cfg.PageCacheBytes)
	}
	// Versions are rendered when first read, not here: a large corpus would otherwise hold
	// every version rendered and take minutes to start. The version in force of each
	// document is rendered in the background, so that its first reader does not wait.
	s.engine = s.routes()
	s.ready.Store(true)
	if cfg.Prefix == "" {
		s.met.adopt(s) // a code of a Site is adopted with the others by NewSite
	}
	go s.warm()
	return s, nil
}

// Handler returns the HTTP handler of the site and API. Under a prefix it answers the
// paths under it (the prefix is taken off before routing).
func (s *Server) Handler() http.Handler {
	if s.base == "" {
		return s.engine
	}
	strip := http.StripPrefix(s.base, s.engine)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// gin's redirects of a path with a trailing slash put this header's prefix back
		// (whatever a client sent in it is replaced).
		r.Header.Set("X-Forwarded-Prefix", s.base)
		strip.ServeHTTP(w, r)
	})
}

// u is the address of the server's path p ("/docs/x") under its prefix.
func (s *Server) u(p string) string { return s.base + p }

// Prefix is the path the code is served under ("" at the root).
func (s *Server) Prefix() string { return s.base }

// Code is the code served.
func (s *Server) Code() *corpus.Code { return s.code }

func (s *Server) today() corpus.Date { return corpus.DateOf(s.now()) }

// linkDate is the date on which the references of v are resolved: today for the version in
// force (a reader of today's text follows links to today's text), the version's own
// effective date for a superseded or prospective version.
func (s *Server) linkDate(v *corpus.Version) corpus.Date {
	today := s.today()
	if v.Doc.At(today) == v {
		return today
	}
	return v.Effective
}

// rendered returns v rendered for its reading date, rendering it on first use.
func (s *Server) rendered(v *corpus.Version) (*renderedVersion, error) {
	k := pageKey{v: v, day: s.linkDate(v)}
	return s.pages.get(k, func() (*renderedVersion, error) {
		r, err := s.render(v, k.day)
		if err != nil {
			return nil, fmt.Errorf("render %s %s: %w", v.Doc.ID, v.Number, err)
		}
		return r, nil
	})
}

// warm renders the version in force of each document, until the render cache is half full.
func (s *Server) warm() {
	for _, d := range s.code.Documents {
		if _, size := s.pages.stats(); size > s.pages.max/2 {
			return
		}
		if v := d.At(s.today()); v != nil {
			if _, err := s.rendered(v); err != nil {
				s.log.Error("render", "document", d.ID, "version", v.Number, "error", err)
			}
		}
	}
}

// render renders v with links resolved on day.
func (s *Server) render(v *corpus.Version, day corpus.Date) (*renderedVersion, error) {
	l := &linker{s: s, v: v, day: day, terms: s.code.TermsAt(day)}
	tree, err := v.TreeErr()
	if err != nil {
		return nil, err
	}
	nodes, err := legaltext.Render(tree, l)
	if err != nil {
		return nil, err
	}
	r := &renderedVersion{nodes: nodes, applies: make([]string, len(nodes)), open: make([]string, len(nodes))}
	pd := pageData{Code: s.code}
	for i, n := range tree.Nodes {
		r.open[i] = nodeOpen(n, v, false)
		if n.Kind == legaltext.KindClause {
			r.applies[i] = `<p class="applies">Applies to: ` + template.HTMLEscapeString(pd.PartyNames(v.Parties(n))) + "</p>\n"
		}
	}
	if l.terms.Matcher != nil {
		for _, term := range l.terms.Matcher.Terms(tree.Text()) {
			r.terms = append(r.terms, l.terms.Defs[term])
		}
	}
	r.toc, r.glossary, r.versions = pageParts(v, r.terms)
	r.anchors = anchorMap(tree)
	return r, nil
}

// pageParts makes the contents list, the glossary and the version chooser's options of
// v's page.
func pageParts(v *corpus.Version, terms []corpus.TermDef) (toc, glossary, versions template.HTML) {
	esc := template.HTMLEscapeString
	var b strings.Builder
	for _, n := range v.Tree().Nodes {
		if n.Kind == legaltext.KindHeading && n.ID != "title" {
			fmt.Fprintf(&b, "<li class=\"l%d\"><a href=\"#%s\">%s</a></li>\n", n.Level, esc(n.ID), esc(n.Text))
		}
	}
	toc = template.HTML(b.String())
	b.Reset()
	for _, t := range terms {
		fmt.Fprintf(&b, "<dt data-anchor=\"%s\">%s</dt><dd>%s</dd>", esc(t.Anchor), esc(t.Term), esc(t.Meaning))
	}
	glossary = template.HTML(b.String())
	b.Reset()
	for _, x := range v.Doc.Versions {
		sel := ""
		if x == v {
			sel = " selected"
		}
		fmt.Fprintf(&b, "<option value=\"%s\"%s>%s (from %s)</option>\n", esc(x.Number), sel, esc(x.Number), esc(string(x.Effective)))
	}
	return toc, glossary, template.HTML(b.String())
}

// linker resolves references and terms of one version for legaltext.Render.
type linker struct {
	s     *Server
	v     *corpus.Version
	day   corpus.Date
	terms *corpus.Terms
}

func (l *linker) RefHref(r legaltext.Ref) (string, bool) {
	t, ok, found := l.s.code.Resolve(r, l.day)
	if !ok || !found || !l.s.mayLink(l.v.Doc, t.Version.Doc) {
		return "", false
	}
	return l.s.href(l.v, t.Version, t.Anchor), true
}

func (l *linker) TermHref(term string) (string, bool) {
	def, ok := l.terms.Defs[term]
	if !ok {
		return "", false
	}
	return l.s.href(l.v, def.Version, def.Anchor), true
}

func (l *linker) Terms() *legaltext.TermMatcher { return l.terms.Matcher }

// CodeNames are the phrases naming the codes the text cites: their references are never
// linked as this code's own, and are linked into the other code when the site serves it.
func (l *linker) CodeNames() []legaltext.CodeName { return l.s.names }

// CodeRefHref links a reference into another code of the site, as it stood on the date the
// version is read, when its document is public there (a rendered page is the same for every
// reader, so it links nothing restricted).
func (l *linker) CodeRefHref(r legaltext.CodeRef) (string, bool) {
	for _, other := range l.s.site {
		if other.ID != r.Code || other == l.s.code {
			continue
		}
		t, ok, found := other.Resolve(r.Ref, l.day)
		if !ok || !found || !other.Public(t.Version.Doc) {
			return "", false
		}
		href := "/" + other.ID + versionURL(t.Version, l.s.today())
		if t.Anchor != "" {
			href += "#" + t.Anchor
		}
		return href, true
	}
	return "", false
}

// mayLink reports whether text in document from may link to document to: a link must not
// reveal a restricted document to someone allowed to read the citing one.
func (s *Server) mayLink(from, to *corpus.Document) bool {
	if s.code.Public(to) || from == to {
		return true
	}
	return from.Classification == to.Classification &&
		strings.Join(from.Groups, ",") == strings.Join(to.Groups, ",") &&
		strings.Join(from.People, ",") == strings.Join(to.People, ",")
}

// href is the address of anchor in version to, as seen from version from: the plain document
// address when to is in force today, a version address otherwise.
func (s *Server) href(from, to *corpus.Version, anchor string) string {
	frag := ""
	if anchor != "" {
		frag = "#" + anchor
	}
	if from == to && anchor != "" {
		return frag
	}
	return s.u(versionURL(to, s.today())) + frag
}

// versionURL is the address of v under the server's prefix.
func (s *Server) versionURL(v *corpus.Version, today corpus.Date) string {
	return s.u(versionURL(v, today))
}

// versionURL is the path of v on the code's site, without the server's prefix (s.u adds it).
func versionURL(v *corpus.Version, today corpus.Date) string {
	if v.Doc.At(today) == v {
		return "/docs/" + v.Doc.ID
	}
	return "/docs/" + v.Doc.ID + "?version=" + v.Number
}

func (s *Server) routes() *gin.Engine {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	if s.met != nil {
		e.Use(s.met.observe(s.base))
	}
	e.Use(s.logRequests, s.recover, s.securityHeaders, limitBody(6<<20), s.session, s.checkParams)
	e.NoRoute(func(c *gin.Context) { s.notFound(c, "no page at "+c.Request.URL.Path) })
	e.NoMethod(func(c *gin.Context) {
		s.fail(c, http.StatusMethodNotAllowed, "method "+c.Request.Method+" is not allowed here")
	})

	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	e.GET("/sitemap.xml", s.sitemapXML)
	e.GET("/readyz", s.readyz)
	e.StaticFS("/static", filesOnly{http.FS(frontend.Static())})

	e.GET("/", s.cached, s.homePage)
	e.GET("/party", s.setParty)
	e.GET("/docs", s.cached, s.documentLogPage)
	e.GET("/docs/:id", s.cached, s.documentPage)
	e.GET("/docs/:id/history", s.cached, s.historyPage)
	e.GET("/docs/:id/compare", s.cached, s.comparePage)
	e.GET("/releases", s.cached, s.releasesPage)
	e.GET("/releases/:id", s.cached, s.releasePage)
	e.GET("/releases/:id/redline", s.releaseRedlinePage)
	e.GET("/releases/:id/redlines.zip", s.releaseZip)
	e.GET("/assets/redline.css", redlineCSS)
	e.GET("/modifications", s.cached, s.modificationsPage)
	e.GET("/modifications/:id", s.cached, s.modificationPage)
	e.GET("/search", s.cached, s.searchPage)
	e.GET("/draft", s.mayDraft, s.draftPage)
	e.POST("/draft", s.mayDraft, s.draftPost)
	e.GET("/draft/compare", s.mayDraft, s.draftCompare)
	e.GET("/draft/rebase", s.mayDraft, s.rebasePage)
	e.POST("/draft/rebase", s.mayDraft, s.rebasePost)
	e.POST("/draft/upload", s.mayDraft, s.draftUpload)
	e.GET("/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)

	api := e.Group("/api/v1")
	api.GET("/documents", s.cached, s.apiDocuments)
	api.GET("/documents/:id", s.cached, s.apiDocument)
	api.GET("/documents/:id/versions", s.apiVersions)
	api.GET("/releases", s.apiReleases)
	api.GET("/releases/:id", s.apiRelease)
	api.GET("/modifications", s.apiModifications)
	api.GET("/modifications/stats", s.apiModificationStats)
	api.GET("/modifications/:id", s.apiModification)
	api.GET("/search", s.cached, s.apiSearch)
	api.GET("/compare", s.apiCompare)
	api.POST("/redline", s.apiRedline)
	s.registerIssue8Routes(e, api)
	s.registerPartyRoutes(e, api)
	s.registerAlertRoutes(e)
	return e
}

func (s *Server) readyz(c *gin.Context) {
	if !s.ready.Load() {
		c.String(http.StatusServiceUnavailable, "not ready: rendering\n")
		return
	}
	if s.index == nil || !s.index.Ready() {
		c.String(http.StatusServiceUnavailable, "not ready: the search index is being built\n")
		return
	}
	c.String(http.StatusOK, "ready\n")
}

// view returns the code as the requesting reader may see it: every handler reads the code
// through it, so that a restricted document is absent from every route alike.
func (s *Server) view(c *gin.Context) *corpus.View { return s.code.For(reader(c)) }

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
		slog.String("method", c.Request.Method), slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()), slog.Int("bytes", c.Writer.Size()),
		slog.Duration("duration", time.Since(start)))
}

func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.log.ErrorContext(c.Request.Context(), "panic", "error", fmt.Sprint(r), "path", c.Request.URL.Path)
			c.AbortWithStatusJSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		}
	}()
	c.Next()
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if s.edge.hsts != "" {
		h.Set("Strict-Transport-Security", s.edge.hsts)
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// filesOnly serves the files of a file system and answers 404 for its folders, which
// http.FileServer would otherwise list.
type filesOnly struct{ http.FileSystem }

func (f filesOnly) Open(name string) (http.File, error) {
	file, err := f.FileSystem.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, fs.ErrNotExist
	}
	return file, nil
}

// isAPI reports whether the request is for the JSON API (errors are JSON there).
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

func (s *Server) notFound(c *gin.Context, msg string) { s.fail(c, http.StatusNotFound, msg) }

// fail answers with an error: JSON under /api, an HTML page elsewhere.
func (s *Server) fail(c *gin.Context, status int, msg string) {
	if isAPI(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": msg})
		return
	}
	s.page(c, status, "error", pageData{Title: http.StatusText(status), Body: errorBody{Status: status, Message: msg}})
	c.Abort()
}

// anonCited returns the "Cited by" lines of the version for a reader who is not signed in,
// made by build once a day.
func (r *renderedVersion) anonCited(today corpus.Date, build func() map[string]string) map[string]string {
	r.citedMu.Lock()
	defer r.citedMu.Unlock()
	if r.citedAnon == nil || r.citedDay != today {
		r.citedAnon, r.citedDay = build(), today
	}
	return r.citedAnon
}

// nodeOpen is the tag that opens node n's div on the document page of v; na marks a clause
// that does not apply to the reader's party.
func nodeOpen(n *legaltext.Node, v *corpus.Version, na bool) string {
	var b strings.Builder
	b.WriteString(`<div class="`)
	b.WriteString(n.Kind.String())
	if na {
		b.WriteString(" na")
	}
	b.WriteString(`" id="`)
	b.WriteString(template.HTMLEscapeString(n.ID))
	b.WriteString(`" data-parties="`)
	b.WriteString(template.HTMLEscapeString(strings.Join(v.Parties(n), " ")))
	b.WriteString("\">\n")
	return b.String()
}

// bodyMark stands for the body in a page executed by pageWithBody. html/template writes no
// NUL (it escapes it), so the mark is found only where the body goes.
const bodyMark = "\x00codenav-page-body\x00"

// maxPooledPage is the largest page buffer kept for the next page.
const maxPooledPage = 8 << 20

// pageWithBody executes page name, whose body (d.Body's Text) is bodyMark, and has body write
// the body straight into the page's buffer where the mark is: the body of a large document is
// then neither made into a string nor copied through the template, and the buffer is reused.
// size is about the body's length.
func (s *Server) pageWithBody(c *gin.Context, status int, name string, d pageData, size int, body func(*bytes.Buffer)) {
	s.pageFields(c, name, &d)
	buf := s.pageBuf()
	defer s.putPageBuf(buf)
	buf.Grow(size + 32<<10)
	err := s.tmpl.Execute(buf, name, d)
	at := bytes.Index(buf.Bytes(), []byte(bodyMark))
	if err == nil && at < 0 {
		err = errors.New("the page has no place for its body")
	}
	if err != nil {
		s.log.ErrorContext(c.Request.Context(), "template", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	tail := bytes.Clone(buf.Bytes()[at+len(bodyMark):])
	buf.Truncate(at)
	body(buf)
	buf.Write(tail)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// partyOptions makes the header's party options for each party chosen and for none.
func partyOptions(t *frontend.Templates, code *corpus.Code) (map[string]template.HTML, error) {
	out := make(map[string]template.HTML, len(code.Parties)+1)
	for _, id := range append([]string{""}, code.PartyIDs()...) {
		var b strings.Builder
		if err := t.ExecutePart(&b, "party-options", pageData{Code: code, Party: id}); err != nil {
			return nil, err
		}
		out[id] = template.HTML(b.String())
	}
	return out, nil
}

// pageBuf returns an empty buffer for a page, from those of earlier pages when it can.
func (s *Server) pageBuf() *bytes.Buffer {
	buf, _ := s.pageBufs.Get().(*bytes.Buffer)
	if buf == nil {
		return new(bytes.Buffer)
	}
	buf.Reset()
	return buf
}

// putPageBuf keeps buf for the next page, once the page has been written out of it.
func (s *Server) putPageBuf(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooledPage {
		s.pageBufs.Put(buf)
	}
}

// pageFields fills in what every page shows of the request: the path, party, reader, day.
func (s *Server) pageFields(c *gin.Context, name string, d *pageData) {
	d.Code = s.code
	d.Base = s.base
	d.Path = s.base + c.Request.URL.RequestURI()
	d.Party = s.partyOf(c)
	d.PartyOptions = s.partyOptions[d.Party]
	d.Today = s.today()
	d.Reader = reader(c)
	d.AuthEnabled = s.auth != nil && s.signer != nil
	d.AlertsOn = s.alertsOn() && d.Reader.SignedIn
	if d.AuthEnabled && (d.Reader.SignedIn || name == "login") {
		d.CSRF = s.signer.CSRFToken(s.csrfBinding(c, true))
	}
}

// page renders a template into a buffer first, so that a template error becomes a clean 500.
func (s *Server) page(c *gin.Context, status int, name string, d pageData) {
	s.pageFields(c, name, &d)
	buf := s.pageBuf()
	defer s.putPageBuf(buf)
	buf.Grow(d.size)
	if err := s.tmpl.Execute(buf, name, d); err != nil {
		s.log.ErrorContext(c.Request.Context(), "template", "page", name, "error", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// ListenAndServe serves h on addr until ctx ends, then shuts down gracefully: it stops
// accepting connections and waits (up to 15 s) for the requests in flight.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger, onListen func(addr string)) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		MaxHeaderBytes: 1 << 16}
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	if onListen != nil {
		onListen(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
