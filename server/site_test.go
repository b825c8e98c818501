package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
)

var (
	siteOnce sync.Once
	siteSrv  *Site
	siteErr  error
)

// testSite serves the sample (sec) and the small test code (rec) together, as
// `codenav serve --corpus corpus/sec --corpus corpus/testdata/rec` does.
func testSite(t testing.TB) *Site {
	t.Helper()
	siteOnce.Do(func() {
		var codes []*corpus.Code
		for _, dir := range []string{"../corpus/sec", "../corpus/testdata/rec"} {
			c, err := corpus.Load(dir)
			if err != nil {
				siteErr = err
				return
			}
			codes = append(codes, c)
		}
		idx, err := index.OpenSite(context.Background(), filepath.Join(sampleData, "site"), codes, index.Options{Logger: slog.New(slog.DiscardHandler),
			Budget: 30 * time.Second, ViewWait: time.Minute})
		if err == nil {
			err = idx.Wait(context.Background())
		}
		if err != nil {
			siteErr = err
			return
		}
		var servers []*Server
		for _, c := range codes {
			s, err := New(Config{Code: c, Prefix: "/" + c.ID, Site: codes, Logger: slog.New(slog.DiscardHandler), Index: idx,
				Now: func() time.Time { return fixedNow }, OpenDrafting: true})
			if err != nil {
				siteErr = err
				return
			}
			servers = append(servers, s)
		}
		siteSrv, siteErr = NewSite(servers, idx, slog.New(slog.DiscardHandler))
	})
	require.NoError(t, siteErr)
	return siteSrv
}

func siteGet(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

func TestSitePages(t *testing.T) {
	st := testSite(t)
	for _, tc := range []struct {
		path, want string
		status     int
	}{
		{"/", "Retail Energy Code", 200},
		{"/", `href="/sec/"`, 200},
		{"/sec/", "Smart Energy Code", 200},
		{"/sec/docs/section-h", "H1.1", 200},
		{"/rec/", "Retail Energy Code", 200},
		{"/rec/docs/schedule-3", "S1.1", 200},
		{"/rec/docs/section-h", "no document", 404},
		{"/rec/api/v1/documents", `"url":"/rec/docs/main-body"`, 200},
		{"/api/v1/codes", `"url":"/rec/"`, 200},
		{"/docs/section-h", "no page", 404},
		{"/readyz", "ready", 200},
		{"/static/site.css", "", 200},
		{"/search?nope=1", "parameter nope", 400},
		{"/search?code=xyz", "no code", 400},
		{"/sitemap.xml", "<loc>http://example.com/rec/sitemap.xml</loc>", 200},
	} {
		w := siteGet(t, st, tc.path)
		assert.Equal(t, tc.status, w.Code, tc.path)
		assert.Contains(t, w.Body.String(), tc.want, tc.path)
	}
	for _, p := range []string{"/rec/docs/", "/rec/docs/main-body/"} {
		w := siteGet(t, st, p)
		assert.Equal(t, http.StatusMovedPermanently, w.Code, p)
		assert.Equal(t, strings.TrimSuffix(p, "/"), w.Header().Get("Location"), "a trailing slash is dropped within the code")
	}
	w := siteGet(t, st, "/rec?x=1")
	assert.Equal(t, http.StatusMovedPermanently, w.Code)
	assert.Equal(t, "/rec/?x=1", w.Header().Get("Location"))
}

// Every link a code's pages and API answers write stays under the code's prefix, except
// links to the site's root.
func TestSitePrefixedLinks(t *testing.T) {
	st := testSite(t)
	crossCode := 0
	linkRE := regexp.MustCompile(`(?:href|action|src)="(/[^"]*)"|"(?:url|redline|compare|history)":"(/[^"]*)"`)
	for _, code := range []string{"rec", "sec"} {
		prefix := "/" + code + "/"
		seen := map[string]bool{}
		queue := []string{prefix, prefix + "api/v1/documents", prefix + "api/v1/releases", prefix + "api/v1/modifications",
			prefix + "search?q=meter", prefix + "api/v1/search?q=meter", prefix + "api/v1/suggest?q=se", prefix + "terms",
			prefix + "obligations?party=dcc", prefix + "changes?from=2019-01-01&to=2020-01-01", prefix + "draft",
			prefix + "feeds/changes.atom", prefix + "sitemap.xml", prefix + "api/v1/terms"}
		limit := 250
		if testing.Short() {
			limit = 80
		}
		for len(queue) > 0 && len(seen) < limit {
			p := strings.ReplaceAll(queue[0], "&amp;", "&")
			queue = queue[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			w := siteGet(t, st, p)
			require.Less(t, w.Code, 500, p)
			body := w.Body.String()
			if loc := w.Header().Get("Location"); loc != "" {
				assert.True(t, strings.HasPrefix(loc, prefix), "%s redirects to %s", p, loc)
			}
			for _, m := range linkRE.FindAllStringSubmatch(body, -1) {
				l := m[1] + m[2]
				l = strings.ReplaceAll(l, "&amp;", "&")
				if l == "/" {
					continue
				}
				if other := "/sec/"; code == "rec" && strings.HasPrefix(l, other) {
					crossCode++ // a reference into the other code
					continue
				}
				if !assert.True(t, strings.HasPrefix(l, prefix), "%s links to %s", p, l) {
					continue
				}
				if strings.HasPrefix(l, prefix+"static/") || strings.Contains(l, "/party") || strings.Contains(l, ".zip") ||
					strings.Contains(l, "/logout") || strings.Contains(l, "format=docx") {
					continue
				}
				queue = append(queue, l)
			}
			// Absolute links (feeds, sitemap) carry the prefix after the host.
			for _, m := range regexp.MustCompile(`https?://example\.com(/[^"<\s]*)`).FindAllStringSubmatch(body, -1) {
				assert.True(t, strings.HasPrefix(m[1], prefix), "%s links to %s", p, m[1])
			}
		}
		assert.Greater(t, len(seen), 30, "the crawl of %s reached the code", code)
	}
	assert.Positive(t, crossCode, "rec links into sec")
}

// The party cookie is the code's (its categories are the code's); a form's way back stays
// in the code.
func TestSitePartyCookie(t *testing.T) {
	st := testSite(t)
	w := siteGet(t, st, "/rec/party?party=supplier&next=/rec/docs")
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/rec/docs", w.Header().Get("Location"))
	assert.Contains(t, w.Header().Get("Set-Cookie"), "Path=/rec/")
	w = siteGet(t, st, "/rec/party?party=supplier&next=https://evil.example/")
	assert.Equal(t, "/rec/", w.Header().Get("Location"))
}

type siteSearchAnswer struct {
	Total  int                           `json:"total"`
	Hits   []map[string]any              `json:"hits"`
	Facets map[string][]index.FacetValue `json:"facets"`
}

func siteSearch(t *testing.T, h http.Handler, target string) siteSearchAnswer {
	t.Helper()
	w := siteGet(t, h, target)
	require.Equal(t, 200, w.Code, w.Body.String())
	var a siteSearchAnswer
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &a))
	return a
}

func facetCount(vals []index.FacetValue, v string) int {
	for _, f := range vals {
		if f.Value == v {
			return f.Count
		}
	}
	return 0
}

func TestSiteSearch(t *testing.T) {
	st := testSite(t)
	all := siteSearch(t, st, "/api/v1/search?q=meter&size=100")
	codes := map[string]int{}
	for _, h := range all.Hits {
		codes[h["code"].(string)]++
		u := h["url"].(string)
		assert.True(t, strings.HasPrefix(u, "/"+h["code"].(string)+"/docs/"+h["doc"].(string)), u)
	}
	require.Greater(t, codes["rec"], 0, "a hit in rec")
	require.Greater(t, codes["sec"], 0, "a hit in sec")
	assert.Equal(t, all.Total, codes["rec"]+codes["sec"])
	assert.Equal(t, codes["rec"], facetCount(all.Facets["code"], "rec"))
	assert.Equal(t, codes["sec"], facetCount(all.Facets["code"], "sec"))
	assert.Equal(t, 5, codes["rec"], "M2.2, M3.1 (its heading) and S1.1-S1.3; not the red minutes")
	assert.Equal(t, 3, facetCount(all.Facets["doc"], "rec/schedule-3"), "document facets name their code")

	only := siteSearch(t, st, "/api/v1/search?q=meter&code=rec&size=100")
	assert.Equal(t, codes["rec"], only.Total)
	for _, h := range only.Hits {
		assert.Equal(t, "rec", h["code"])
	}
	assert.Equal(t, all.Facets["code"], only.Facets["code"], "the code facet counts every code whichever is chosen")

	within := siteSearch(t, st, "/rec/api/v1/search?q=meter&size=100")
	assert.Equal(t, codes["rec"], within.Total, "a code's own search finds what the site's finds in it")
	assert.Equal(t, 3, facetCount(within.Facets["doc"], "schedule-3"), "a code's own facets speak its ids")
	sec := siteSearch(t, st, "/sec/api/v1/search?q=meter&size=100")
	assert.Equal(t, codes["sec"], sec.Total)

	doc := siteSearch(t, st, "/api/v1/search?q=meter&doc=sec/section-g")
	assert.Positive(t, doc.Total)
	for _, h := range doc.Hits {
		assert.Equal(t, "section-g", h["doc"])
		assert.Equal(t, "sec", h["code"])
	}
	w := siteGet(t, st, "/search?q=meter")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), `href="/rec/docs/schedule-3#S1.3"`)
	assert.Contains(t, w.Body.String(), `href="/search?code=rec&amp;q=meter"`, "a code facet link")
	assert.Equal(t, 400, siteGet(t, st, "/api/v1/search?q=meter&doc=section-g").Code, "a site document names its code")
}

// A red document of one code is in no count, hit or snippet of any search of an anonymous
// reader: the site's, the code's own, or another code's.
func TestSiteNoLeak(t *testing.T) {
	st := testSite(t)
	for _, p := range []string{"/search?q=meter", "/search?q=tamper", "/api/v1/search?q=meter", "/api/v1/search?q=canary",
		"/rec/search?q=meter", "/rec/api/v1/search?q=canary", "/sec/search?q=tamper", "/", "/api/v1/codes", "/rec/docs",
		"/rec/api/v1/suggest?q=bo", "/api/v1/search?q=minutes", "/rec/sitemap.xml", "/sec/api/v1/search?q=canary"} {
		w := siteGet(t, st, p)
		assert.Less(t, w.Code, 500, p)
		body := w.Body.String()
		for _, canary := range []string{"CANARY-REC-RED", "rec-board-minutes", "Board Minutes", "CANARY-RED", "smki-key-ceremony-record"} {
			assert.NotContains(t, body, canary, p)
		}
	}
	a := siteSearch(t, st, "/api/v1/search?q=canary")
	assert.Zero(t, a.Total, "only red documents say canary")
	assert.Empty(t, a.Facets["code"])
	a = siteSearch(t, st, "/api/v1/search?q=minutes")
	assert.Zero(t, facetCount(a.Facets["code"], "rec"), "rec's minutes are red")
	assert.Zero(t, facetCount(a.Facets["doc"], "rec/rec-board-minutes"))
	var home struct{ Codes []siteCode }
	require.NoError(t, json.Unmarshal(siteGet(t, st, "/api/v1/codes").Body.Bytes(), &home))
	require.Len(t, home.Codes, 2)
	assert.Equal(t, "rec", home.Codes[1].ID)
	assert.Equal(t, 2, home.Codes[1].Documents, "the home page counts the 2 public documents of rec, not its red one")
}

// The site answers a code's pages only under its prefix; the body of a page of one code is
// not answered under another's.
func TestSiteCodesApart(t *testing.T) {
	st := testSite(t)
	b := siteGet(t, st, "/sec/docs/section-h").Body.String()
	assert.Contains(t, b, `<body data-base="/sec">`)
	assert.Contains(t, b, `href="/sec/static/site.css"`)
	assert.Equal(t, 404, siteGet(t, st, "/sec/docs/main-body").Code)
}

// A clause that cites another code by a name its code.yaml lists links into that code, as it
// stood on the date read; the reference is never taken for one of the citing code's own.
func TestSiteCrossCodeLinks(t *testing.T) {
	st := testSite(t)
	b := siteGet(t, st, "/rec/docs/main-body").Body.String()
	assert.Contains(t, b, `<a class="xref xcode" href="/sec/docs/section-h#H1.1">H1.1 of the Smart Energy Code</a>`)
	assert.Contains(t, b, `<a class="xref xcode" href="/sec/docs/section-h">SEC Section H</a>`)
	w := siteGet(t, st, "/sec/docs/section-h")
	require.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), `id="H1.1"`, "the link's target exists")
}

// With sign-in, one session is the whole site's: signed in at one code, a reader is signed in
// at the other and at the site's search, each code showing what that reader may see of it.
func TestSiteSignedIn(t *testing.T) {
	plain := testSite(t)
	base := authServer(t) // the users and signer of the sign-in tests
	var servers []*Server
	var codes []*corpus.Code
	for _, s := range plain.codes {
		codes = append(codes, s.code)
	}
	for _, c := range codes {
		s, err := New(Config{Code: c, Prefix: "/" + c.ID, Site: codes, Logger: slog.New(slog.DiscardHandler), Index: plain.index,
			Now: func() time.Time { return fixedNow }, Auth: base.auth, Signer: base.signer})
		require.NoError(t, err)
		servers = append(servers, s)
	}
	st, err := NewSite(servers, plain.index, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	assert.Contains(t, siteGet(t, st, "/").Body.String(), `href="/sec/login?next=/"`)

	w := siteGet(t, st, "/rec/login")
	require.Equal(t, 200, w.Code)
	m := csrfRE.FindStringSubmatch(w.Body.String())
	require.NotNil(t, m)
	req := httptest.NewRequest(http.MethodPost, "/rec/login", strings.NewReader(url.Values{"user": {"pma-chair"},
		"password": {testPassword}, "csrf": {m[1]}, "next": {"/sec/docs"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = "192.0.2.1:1234"
	for _, c := range w.Result().Cookies() {
		req.AddCookie(c)
	}
	w = httptest.NewRecorder()
	st.ServeHTTP(w, req)
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	assert.Equal(t, "/sec/docs", w.Header().Get("Location"))
	var session *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
			assert.Equal(t, "/", c.Path, "the session is the site's")
		}
	}
	require.NotNil(t, session)
	as := func(target string) string {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.AddCookie(session)
		w := httptest.NewRecorder()
		st.ServeHTTP(w, req)
		require.Equal(t, 200, w.Code, target)
		return w.Body.String()
	}
	assert.Contains(t, as("/sec/docs"), "Signed in as <strong>pma-chair</strong>")
	assert.Contains(t, as("/rec/docs"), "rec-board-minutes", "the chair is named in rec's red minutes")
	assert.Contains(t, as("/"), "Signed in as <strong>pma-chair</strong>")
	var res siteSearchAnswer
	require.NoError(t, json.Unmarshal([]byte(as("/api/v1/search?q=canary&code=rec")), &res))
	assert.Equal(t, 1, res.Total, "the chair finds rec's red minutes across the site")
	assert.Equal(t, 1, facetCount(res.Facets["code"], "rec"))
	assert.Zero(t, siteSearch(t, st, "/api/v1/search?q=canary").Total, "and an anonymous reader does not")
}

// BenchmarkSiteSearch compares, with the page cache off, a search of every code of a site, a
// search of one code of the site and the same search on a server of that code alone.
func BenchmarkSiteSearch(b *testing.B) {
	st := testSite(b)
	alone := testServer(b)
	s, err := New(Config{Code: alone.code, Logger: slog.New(slog.DiscardHandler), Index: alone.index,
		Now: func() time.Time { return fixedNow }, PageCacheBytes: -1})
	require.NoError(b, err)
	var servers []*Server
	for _, x := range st.codes {
		y, err := New(Config{Code: x.code, Prefix: x.base, Site: x.site, Logger: slog.New(slog.DiscardHandler), Index: st.index,
			Now: func() time.Time { return fixedNow }, PageCacheBytes: -1})
		require.NoError(b, err)
		servers = append(servers, y)
	}
	site, err := NewSite(servers, st.index, slog.New(slog.DiscardHandler))
	require.NoError(b, err)
	for _, bc := range []struct {
		name, path string
		h          http.Handler
	}{
		{"alone", "/api/v1/search?q=user+entry", s.Handler()},
		{"site-code", "/sec/api/v1/search?q=user+entry", site},
		{"site-all", "/api/v1/search?q=user+entry", site},
		{"site-all-code", "/api/v1/search?q=user+entry&code=sec", site},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				bc.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, bc.path, nil))
				if w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}
