package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// concrete turns a route pattern into an address of the sample.
func concrete(route string) string {
	r := strings.NewReplacer(":id", "x", "*filepath", "site.css")
	switch {
	case strings.HasPrefix(route, "/docs/:id"), strings.HasPrefix(route, "/api/v1/documents/:id"):
		return strings.Replace(route, ":id", "section-h", 1)
	case strings.HasPrefix(route, "/releases/:id"), strings.HasPrefix(route, "/api/v1/releases/:id"):
		return strings.Replace(route, ":id", "2019-11", 1)
	case strings.HasPrefix(route, "/modifications/:id"), strings.HasPrefix(route, "/api/v1/modifications/:id"):
		return strings.Replace(route, ":id", "MP071", 1)
	case strings.HasPrefix(route, "/frameworks/:id"), strings.HasPrefix(route, "/api/v1/frameworks/:id"):
		return strings.Replace(route, ":id", "scf", 1)
	}
	return r.Replace(route)
}

// Every route declares the parameters it takes, and answers 400 naming any other.
func TestUnknownParameters(t *testing.T) {
	s := testServer(t)
	for _, r := range s.engine.Routes() {
		_, ok := s.params[r.Path]
		assert.True(t, ok, "route %s %s is missing from allowedParams (server/params_allowed.go)", r.Method, r.Path)
		if r.Method != http.MethodGet {
			continue
		}
		w := get(t, s, concrete(r.Path)+"?zzz=1")
		assert.Equal(t, http.StatusBadRequest, w.Code, r.Path)
		assert.Contains(t, w.Body.String(), "unknown parameter zzz", r.Path)
	}
	w := get(t, s, "/docs/section-h?version=1.0&version=2.0")
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), "given 2 times")
}

// Hostile input gets a 4xx naming the problem, never a 5xx, never a file it should not serve.
func TestHostileInput(t *testing.T) {
	s := testServer(t)
	paths := []string{
		"/docs/..%2f..%2fetc%2fpasswd", "/docs/../../etc/passwd", "/docs/%2e%2e", "/docs/section-h?version=../../x",
		"/docs/section-h?version=1.0%00", "/api/v1/documents/..%2Fcorpus", "/releases/..%2F..%2Fgo.mod",
		"/modifications/..%2F..%2Fgo.mod", "/static/../go.mod", "/static/..%2f..%2fgo.mod", "/static/%2e%2e/%2e%2e/go.mod",
		"/draft?doc=../../etc/passwd", "/api/v1/compare?doc=../../etc&from=1.0", "/docs/section-h/compare?from=1.0/../..",
		"/frameworks/..%2f..", "/docs/%ff", "/search?q=%ff", "/api/v1/search?q=%ff%fe", "/api/v1/documents/section-h?at=%ff",
		"/search?q=" + strings.Repeat("(", 500) + "x" + strings.Repeat(")", 500), "/api/v1/search?q=" + strings.Repeat("a", 5000),
		"/api/v1/search?q=" + strings.Repeat("a*+", 60), "/api/v1/search?q=%22%22%22", "/api/v1/search?q=" + strings.Repeat("x~2+", 40),
		"/api/v1/search?q=/.*/&at=all", "/api/v1/search?page=99999999999999999999", "/api/v1/search?size=-1",
		"/docs/section-h?at=99999-01-01", "/docs/section-h?at=0000-00-00", "/party?next=%0d%0aSet-Cookie:x=y",
		"/api/v1/modifications/stats?from=2020-01-01&to=2020-01-01T00", "/docs/" + strings.Repeat("a", 5000),
	}
	for _, p := range paths {
		w := get(t, s, p)
		assert.Less(t, w.Code, 500, p)
		assert.NotContains(t, w.Body.String(), "module codenav", "%s serves a file from outside", p)
		assert.NotContains(t, w.Body.String(), "root:x:0", p)
		if w.Code >= 400 && w.Code != 404 {
			assert.NotEmpty(t, strings.TrimSpace(w.Body.String()), "%s: a 4xx says what is wrong", p)
		}
	}
	// A header injection through the redirect is not possible.
	w := get(t, s, "/party?party=dcc&next=%2Fdocs%0d%0aSet-Cookie:x=y")
	assert.NotContains(t, w.Header().Values("Set-Cookie"), "x=y")

	forms := []struct {
		path, ctype, body string
		max               int
	}{
		{"/login", "application/x-www-form-urlencoded", "user=%zz&password=%", 499},
		{"/draft", "application/x-www-form-urlencoded", "doc=section-h&text=%zz", 499},
		{"/draft", "multipart/form-data; boundary=x", "--x\r\nbroken", 499},
		{"/api/v1/redline", "application/json", `{"old": [1, 2], "new": {}}`, 499},
		{"/api/v1/redline", "application/json", strings.Repeat("[", 100000), 499},
		{"/logout", "text/plain", "whatever", 499},
	}
	for _, f := range forms {
		req := httptest.NewRequest(http.MethodPost, f.path, strings.NewReader(f.body))
		req.Header.Set("Content-Type", f.ctype)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		assert.GreaterOrEqual(t, rec.Code, 400, f.path)
		assert.LessOrEqual(t, rec.Code, f.max, "%s %q", f.path, f.body[:min(20, len(f.body))])
	}
	big := strings.NewReader(strings.Repeat("a", 7<<20))
	req := httptest.NewRequest(http.MethodPost, "/draft", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
}
