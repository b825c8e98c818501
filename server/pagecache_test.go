package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hit reports whether the page cache answered the request that fn makes.
func hit(t testing.TB, s *Server, fn func() *httptest.ResponseRecorder) (*httptest.ResponseRecorder, bool) {
	t.Helper()
	before := s.cache.hits.Load()
	w := fn()
	assert.Empty(t, w.Header().Get("X-Cache"), "no header tells what other readers asked")
	return w, s.cache.hits.Load() > before
}

func TestPageCacheAnonymous(t *testing.T) {
	s := testServer(t)
	for _, path := range []string{"/docs/section-h", "/docs/section-h?party=dcc", "/search?q=smki+recovery", "/api/v1/search?q=smki", "/feeds/releases.atom", "/docs"} {
		t.Run(path, func(t *testing.T) {
			first := get(t, s, path)
			require.Equal(t, 200, first.Code)
			second, fromCache := hit(t, s, func() *httptest.ResponseRecorder { return get(t, s, path) })
			require.Equal(t, 200, second.Code)
			assert.True(t, fromCache, "the second anonymous read is served from the cache")
			assert.Equal(t, first.Body.String(), second.Body.String())
			assert.Equal(t, first.Header().Get("Content-Type"), second.Header().Get("Content-Type"))
			assert.Equal(t, fmt.Sprint(second.Body.Len()), second.Header().Get("Content-Length"))
			assert.NotEmpty(t, second.Header().Get("Content-Security-Policy"), "security headers on cached answers too")
			assert.Equal(t, "private, no-cache", second.Header().Get("Cache-Control"))
			assert.Equal(t, "Cookie", second.Header().Get("Vary"))
			etag := second.Header().Get("ETag")
			require.NotEmpty(t, etag)
			assert.Equal(t, etag, first.Header().Get("ETag"), "a kept page keeps its ETag")

			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.Header.Set("If-None-Match", `"other", W/`+etag)
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			assert.Equal(t, http.StatusNotModified, w.Code)
			assert.Empty(t, w.Body.String())
		})
	}
}

func TestPageCacheKeys(t *testing.T) {
	s := testServer(t)
	plain := get(t, s, "/docs/section-h")
	dcc := get(t, s, "/docs/section-h", &http.Cookie{Name: partyCookie, Value: "dcc"})
	require.Equal(t, 200, dcc.Code)
	assert.NotEqual(t, plain.Body.String(), dcc.Body.String(), "the party cookie is part of the key")
	assert.NotEqual(t, plain.Header().Get("ETag"), dcc.Header().Get("ETag"))

	// Errors are never kept.
	for range 2 {
		w, fromCache := hit(t, s, func() *httptest.ResponseRecorder { return get(t, s, "/docs/no-such-doc") })
		assert.Equal(t, http.StatusNotFound, w.Code)
		assert.False(t, fromCache)
	}
	for range 2 {
		w, fromCache := hit(t, s, func() *httptest.ResponseRecorder { return get(t, s, "/search?q=x&size=1000") })
		assert.Equal(t, http.StatusBadRequest, w.Code)
		assert.False(t, fromCache)
	}
}

// A page kept for anonymous readers is never given to a signed-in reader, and a signed-in
// reader's page (with their name, CSRF token and restricted documents) is never kept.
func TestPageCacheSignedIn(t *testing.T) {
	s := authServer(t)
	for range 2 {
		w := get(t, s, "/docs")
		require.Equal(t, 200, w.Code)
		assert.NotContains(t, w.Body.String(), "panel-meeting-digest")
	}
	cookie, _ := login(t, s, "member", testPassword)
	require.NotNil(t, cookie)
	for range 2 {
		w, fromCache := hit(t, s, func() *httptest.ResponseRecorder { return get(t, s, "/docs", cookie) })
		require.Equal(t, 200, w.Code)
		assert.False(t, fromCache, "signed-in pages bypass the cache")
		assert.Contains(t, w.Body.String(), "panel-meeting-digest", "a member sees green documents")
		assert.Contains(t, w.Body.String(), "Signed in as")
	}
	w, fromCache := hit(t, s, func() *httptest.ResponseRecorder { return get(t, s, "/docs") })
	assert.True(t, fromCache)
	assert.NotContains(t, w.Body.String(), "panel-meeting-digest")
	assert.NotContains(t, w.Body.String(), "Signed in as")
}

func TestPageCacheDayChange(t *testing.T) {
	base := testServer(t)
	now := fixedNow
	s, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
		Now: func() time.Time { return now }})
	require.NoError(t, err)
	page := func() *httptest.ResponseRecorder { return get(t, s, "/docs/section-h") }
	page()
	_, fromCache := hit(t, s, page)
	assert.True(t, fromCache)
	now = now.AddDate(0, 0, 1)
	_, fromCache = hit(t, s, page)
	assert.False(t, fromCache, "a new day renders again: other versions may be in force")
}

func TestPageCacheOff(t *testing.T) {
	base := testServer(t)
	s, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler), Index: base.index,
		Now: func() time.Time { return fixedNow }, PageCacheBytes: -1})
	require.NoError(t, err)
	for range 2 {
		w := get(t, s, "/docs/section-h")
		require.Equal(t, 200, w.Code)
		assert.Empty(t, w.Header().Get("ETag"))
	}
}

func TestPageCacheWhatIsKept(t *testing.T) {
	gin.SetMode(gin.TestMode)
	s := &Server{cache: newPageCache(1 << 20), now: func() time.Time { return fixedNow }}
	e := gin.New()
	e.GET("/cookie", s.cached, func(c *gin.Context) {
		c.SetCookie("x", "1", 60, "/", "", false, true)
		c.String(200, "with a cookie")
	})
	e.GET("/redirect", s.cached, func(c *gin.Context) { c.Redirect(http.StatusFound, "/elsewhere") })
	e.GET("/big", s.cached, func(c *gin.Context) { c.String(200, strings.Repeat("x", maxCachedPage+1)) })
	e.GET("/ok", s.cached, func(c *gin.Context) { c.String(200, "fine") })
	for _, tc := range []struct {
		path   string
		status int
		body   string
		kept   bool
	}{
		{"/cookie", 200, "with a cookie", false},
		{"/redirect", http.StatusFound, "", false},
		{"/big", 200, "", false},
		{"/ok", 200, "fine", true},
	} {
		t.Run(tc.path, func(t *testing.T) {
			for i := range 2 {
				w, fromCache := hit(t, s, func() *httptest.ResponseRecorder {
					w := httptest.NewRecorder()
					e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tc.path, nil))
					return w
				})
				assert.Equal(t, tc.status, w.Code)
				if tc.body != "" {
					assert.Equal(t, tc.body, w.Body.String())
				}
				if tc.status == http.StatusFound {
					assert.Equal(t, "/elsewhere", w.Header().Get("Location"))
				}
				if tc.path == "/cookie" {
					assert.NotEmpty(t, w.Header().Get("Set-Cookie"), "the cookie still reaches the reader")
				}
				if tc.path == "/big" {
					assert.Equal(t, maxCachedPage+1, w.Body.Len())
				}
				assert.Equal(t, tc.kept && i == 1, fromCache)
			}
		})
	}
}

func TestPageCacheEviction(t *testing.T) {
	pc := newPageCache(3 * (1000 + 256 + 1))
	page := func(k string) *cachedPage { return &cachedPage{key: k, body: make([]byte, 1000)} }
	pc.put(page("a"))
	pc.put(page("b"))
	pc.put(page("c"))
	_, ok := pc.get("a") // a is now the most recent
	require.True(t, ok)
	pc.put(page("d")) // pushes out b, the least recently used
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		_, ok := pc.get(k)
		assert.Equal(t, want, ok, k)
	}
	assert.LessOrEqual(t, pc.size, pc.max)
	pc.put(&cachedPage{key: "huge", body: make([]byte, pc.max)})
	_, ok = pc.get("huge")
	assert.False(t, ok, "a page bigger than the whole cache is not kept")
	assert.Nil(t, newPageCache(0), "no memory, no cache")
}
