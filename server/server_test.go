package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
)

// fixedNow is the test's today: after the 2020 releases, before the 2027 one.
var fixedNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// sampleData is the data folder of the shared test server's index.
var sampleData string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "codenav-server-test")
	if err != nil {
		panic(err)
	}
	sampleData = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	sampleOnce sync.Once
	sampleSrv  *Server
	sampleErr  error
)

func testServer(t testing.TB) *Server {
	t.Helper()
	sampleOnce.Do(func() {
		gin.SetMode(gin.TestMode)
		code, err := corpus.Load("../corpus/sec")
		if err != nil {
			sampleErr = err
			return
		}
		idx, err := index.Open(context.Background(), sampleData, code, index.Options{Logger: slog.New(slog.DiscardHandler),
			// A loaded CI machine must not turn a test search into a 503: the budget itself is
			// tested in index with a budget of its own.
			Budget: 30 * time.Second})
		if err == nil {
			err = idx.Wait(context.Background())
		}
		if err != nil {
			sampleErr = err
			return
		}
		// Drafting is open on this server (no sign-in) so that its tests need not sign in;
		// the drafter role is tested in signin_test.go.
		sampleSrv, sampleErr = New(Config{Code: code, Logger: slog.New(slog.DiscardHandler), Index: idx,
			Now: func() time.Time { return fixedNow }, OpenDrafting: true})
	})
	require.NoError(t, sampleErr)
	return sampleSrv
}

func get(t testing.TB, s *Server, target string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func TestPages(t *testing.T) {
	s := testServer(t)
	cases := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{"Document Log", "Sections", "Large Supplier Party", "June 2020 SEC Release", "February 2027 SEC Release", "Illustrative sample"}, nil},
		{"/docs", 200, []string{`href="/docs/section-h"`, "Appendix AD", "Security Controls Framework", `href="/docs/section-h/history"`}, []string{"panel-meeting-digest", "CANARY"}},
		{"/docs?category=appendix", 200, []string{"Appendix AD"}, []string{`Section H: DCC Services`, "Committee papers"}},
		{"/docs?category=nope", 400, []string{"parameter category"}, nil},
		{"/docs/section-h", 200, []string{`id="H1.1"`, `id="H1"`, `id="H1.10(d)"`, "Version <strong>3.0</strong>", `class="xref"`, `class="term"`, "Defined terms used"}, []string{"Superseded.", "{parties="}},
		{"/docs/section-h?version=1.0", 200, []string{"Superseded.", "Version <strong>1.0</strong>"}, nil},
		{"/docs/section-h?version=4.0", 200, []string{"Prospective.", "2027-02-25"}, nil},
		{"/docs/section-h?at=2019-10-01", 200, []string{"Version <strong>2.0</strong>"}, nil},
		{"/docs/section-h?at=2019-09-12", 200, []string{"Version <strong>2.0</strong>"}, nil},
		{"/docs/section-h?at=2019-09-11", 200, []string{"Version <strong>1.0</strong>"}, nil},
		{"/docs/section-h?at=2000-01-01", 404, []string{"not in force on 2000-01-01"}, nil},
		{"/docs/section-h?at=2019-13-01", 400, []string{"parameter at"}, nil},
		{"/docs/section-h?version=9.9", 404, []string{"no version 9.9"}, nil},
		{"/docs/section-h?version=../../etc", 400, []string{"parameter version"}, nil},
		{"/docs/section-h?version=1.0&at=2020-01-01", 400, []string{"not both"}, nil},
		{"/docs/section-h?party=dcc", 200, []string{"apply to <strong>DCC</strong>", "Does not apply to DCC"}, nil},
		{"/docs/section-h?party=dcc&hide=1", 200, []string{"are hidden"}, []string{"Does not apply to DCC"}},
		{"/docs/section-h?party=martians", 400, []string{"parameter party", "martians"}, nil},
		{"/docs/section-h/history", 200, []string{"2019-09-adhoc", "MP082", "superseded", "prospective", "in force"}, nil},
		{"/docs/nope", 404, []string{"no document"}, nil},
		{"/docs/panel-meeting-digest", 404, []string{"no document"}, []string{"CANARY"}},
		{"/docs/smki-key-ceremony-record/history", 404, nil, []string{"CANARY"}},
		{"/releases", 200, []string{"November 2019 SEC Release", "Systems Release"}, nil},
		{"/releases/2019-11", 200, []string{"SECMP0049", `href="/docs/section-h?version=3.0"`}, nil},
		{"/releases/nope", 404, nil, nil},
		{"/modifications", 200, []string{"SECMP0034", "DP110", "MP115"}, nil},
		{"/modifications/MP071", 200, []string{"What is the issue?", "Timeline", "Who is impacted"}, nil},
		{"/modifications/NOPE", 404, nil, nil},
		{"/healthz", 200, []string{"ok"}, nil},
		{"/readyz", 200, []string{"ready"}, nil},
		{"/static/site.css", 200, []string{".clause"}, nil},
		{"/nowhere", 404, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			w := get(t, s, tc.path)
			assert.Equal(t, tc.status, w.Code, w.Body.String())
			for _, want := range tc.want {
				assert.Contains(t, w.Body.String(), want)
			}
			for _, not := range tc.not {
				assert.NotContains(t, w.Body.String(), not)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	w := get(t, testServer(t), "/docs/section-h")
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "script-src 'self'")
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'")
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	assert.NotRegexp(t, `<script>`, w.Body.String(), "no inline scripts")
}

func TestPartyCookie(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/party?party=dcc&next=/docs/section-h%3Fparty%3Dother")
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/docs/section-h", w.Header().Get("Location"), "the page's own ?party= is dropped")
	cookies := w.Result().Cookies()
	require.Len(t, cookies, 1)
	assert.True(t, cookies[0].HttpOnly)
	page := get(t, s, "/docs/section-h", cookies[0]).Body.String()
	assert.Contains(t, page, "apply to <strong>DCC</strong>")
	// ?party= overrides the cookie.
	page = get(t, s, "/docs/section-h?party=other", cookies[0]).Body.String()
	assert.Contains(t, page, "apply to <strong>Other SEC Party</strong>")

	for _, next := range []string{"https://evil.example/", "//evil.example/", "javascript:alert(1)"} {
		w := get(t, s, "/party?party=dcc&next="+url.QueryEscape(next))
		assert.Equal(t, "/", w.Header().Get("Location"), next)
	}
	assert.Equal(t, http.StatusBadRequest, get(t, s, "/party?party=nobody").Code)
}

// The party filter marks exactly the clauses whose applicability excludes the party.
func TestPartyMarking(t *testing.T) {
	s := testServer(t)
	d := s.code.Document("section-h")
	v := d.At(corpus.DateOf(fixedNow))
	for _, party := range s.code.PartyIDs() {
		page := get(t, s, "/docs/section-h?party="+party).Body.String()
		marked := map[string]bool{}
		for _, m := range regexp.MustCompile(`<div class="clause na" id="([^"]+)"`).FindAllStringSubmatch(page, -1) {
			marked[m[1]] = true
		}
		for _, n := range v.Tree().Clauses() {
			assert.Equal(t, !n.AppliesTo(party, d.Parties), marked[n.ID], "%s %s", party, n.ID)
		}
	}
	// Applicability really varies in the sample: DCC and suppliers see different clauses.
	dcc := get(t, s, "/docs/section-h?party=dcc").Body.String()
	sup := get(t, s, "/docs/section-h?party=small-supplier").Body.String()
	assert.NotEqual(t, strings.Count(dcc, `class="clause na"`), strings.Count(sup, `class="clause na"`))
}

func TestAPI(t *testing.T) {
	s := testServer(t)
	type doc struct {
		ID, Title, Category, Classification, Version, Effective, Status string
	}
	var list struct{ Documents []doc }
	w := get(t, s, "/api/v1/documents")
	require.Equal(t, 200, w.Code)
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &list))
	assert.GreaterOrEqual(t, len(list.Documents), 15)
	for _, d := range list.Documents {
		assert.Equal(t, "white", d.Classification, "anonymous readers see white documents only")
		assert.NotEmpty(t, d.Version, d.ID)
	}

	var one struct {
		ID, Version, Effective, Status string
		Clauses                        []struct {
			ID, Heading, Text string
			Parties           []string
		}
	}
	w = get(t, s, "/api/v1/documents/section-h?at=2019-10-01")
	require.Equal(t, 200, w.Code)
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &one))
	assert.Equal(t, "2.0", one.Version)
	assert.Equal(t, "superseded", one.Status)
	require.NotEmpty(t, one.Clauses)
	assert.Equal(t, "H1.1", one.Clauses[0].ID)
	assert.NotEmpty(t, one.Clauses[0].Heading)
	assert.NotContains(t, one.Clauses[0].Text, "H1.1 ", "the number is not repeated in the text")

	w = get(t, s, "/api/v1/documents/section-h?party=dcc")
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &one))
	for _, c := range one.Clauses {
		assert.True(t, contains(c.Parties, "dcc") || contains(c.Parties, "all"), c.ID)
	}

	var vers struct {
		Versions []struct{ Version, Status string }
	}
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/documents/section-h/versions").Body.Bytes(), &vers))
	require.Len(t, vers.Versions, 4)
	assert.Equal(t, "prospective", vers.Versions[3].Status)

	errs := []struct {
		path, want string
		status     int
	}{
		{"/api/v1/documents/nope", "no document", 404},
		{"/api/v1/documents/ssc-assessment-findings", "no document", 404},
		{"/api/v1/documents/section-h?at=yesterday", "parameter at", 400},
		{"/api/v1/documents/section-h?party=x", "parameter party", 400},
		{"/api/v1/documents?category=x", "parameter category", 400},
		{"/api/v1/releases/nope", "no release", 404},
		{"/api/v1/modifications/nope", "no modification", 404},
		{"/api/v1/nope", "no page", 404},
	}
	for _, e := range errs {
		w := get(t, s, e.path)
		assert.Equal(t, e.status, w.Code, e.path)
		var body struct{ Error string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body), e.path)
		assert.Contains(t, body.Error, e.want, e.path)
	}

	var rels struct {
		Releases []struct {
			ID        string
			Documents []struct{ ID, Version string }
		}
	}
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/releases").Body.Bytes(), &rels))
	assert.GreaterOrEqual(t, len(rels.Releases), 6)
	var mods struct {
		Modifications []struct {
			ID        string
			Documents []string
		}
	}
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/modifications").Body.Bytes(), &mods))
	assert.GreaterOrEqual(t, len(mods.Modifications), 15)
	w = get(t, s, "/api/v1/modifications/SECMP0049")
	assert.Equal(t, 200, w.Code)
	assert.Contains(t, w.Body.String(), `"release":"2019-11"`)
}

// TestAnonymousCrawl follows every link an anonymous reader can reach and checks that no
// restricted document shows through, and that no page fails.
func TestAnonymousCrawl(t *testing.T) {
	s := testServer(t)
	seen := map[string]bool{}
	queue := []string{"/", "/api/v1/documents", "/api/v1/releases", "/api/v1/modifications"}
	for len(queue) > 0 && len(seen) < 3000 {
		p := strings.ReplaceAll(queue[0], "&amp;", "&")
		queue = queue[1:]
		if seen[p] || strings.HasPrefix(p, "/party") {
			continue
		}
		seen[p] = true
		w := get(t, s, p)
		body, _ := io.ReadAll(w.Body)
		require.Less(t, w.Code, 500, p)
		if w.Code != 200 {
			t.Errorf("%s: %d", p, w.Code)
		}
		for _, canary := range []string{"CANARY-GREEN", "CANARY-AMBER", "CANARY-RED", "panel-meeting-digest", "ssc-assessment-findings", "smki-key-ceremony-record"} {
			assert.NotContains(t, string(body), canary, p)
		}
		for _, l := range crawlLinks(string(body), `"#`, `href="`, `"url":"`) {
			if !strings.HasPrefix(l, "/static/") {
				queue = append(queue, l)
			}
		}
	}
	assert.Greater(t, len(seen), 60, "the crawl reached the site")
}

// BenchmarkDocumentPage measures a page rendered for each request (the page cache off) and
// the same page answered from the page cache, as an anonymous reader gets it after the first.
func BenchmarkDocumentPage(b *testing.B) {
	base := testServer(b)
	uncached, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
		Now: func() time.Time { return fixedNow }, PageCacheBytes: -1})
	require.NoError(b, err)
	for _, path := range []string{"/docs/section-h", "/docs/section-a", "/docs/section-h?party=dcc"} {
		for _, sv := range []struct {
			name string
			s    *Server
		}{{"rendered", uncached}, {"cached", base}} {
			benchPage(b, sv.name+path, sv.s, path)
		}
	}
}

func benchPage(b *testing.B, name string, s *Server, path string) {
	b.Run(name, func(b *testing.B) {
		for b.Loop() {
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}

func BenchmarkStart(b *testing.B) {
	gin.SetMode(gin.TestMode)
	for b.Loop() {
		code, err := corpus.Load("../corpus/sec")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := New(Config{Code: code, Logger: slog.New(slog.DiscardHandler)}); err != nil {
			b.Fatal(err)
		}
	}
}
