package server

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
)

// The pattern bombs of issue 13 are refused with a 400 that names the problem, on the API
// and on the HTML search page alike.
func TestSearchPatternBombs(t *testing.T) {
	s := testServer(t)
	for _, tc := range []struct{ q, want string }{
		{strings.Repeat("a*", 500), "characters"},
		{strings.Repeat("*a", 500), "characters"},
		{"*a", "starts with a wildcard"},
		{"/.*a.{100}/", "counted repetition"},
		{"tamper~5", "edits"},
	} {
		for _, path := range []string{"/api/v1/search", "/search"} {
			w := get(t, s, path+"?q="+url.QueryEscape(tc.q))
			assert.Equal(t, http.StatusBadRequest, w.Code, "%s %q", path, tc.q)
			assert.Contains(t, w.Body.String(), tc.want, "%s %q", path, tc.q)
		}
	}
}

func TestSearchBusyAndSlow(t *testing.T) {
	s := testServer(t)
	gin.SetMode(gin.TestMode)
	for _, err := range []error{fmt.Errorf("%w: x", index.ErrBusy), fmt.Errorf("%w: x", index.ErrTooSlow)} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodGet, "/api/v1/search?q=x*", nil)
		s.searchFail(c, err)
		assert.Equal(t, http.StatusServiceUnavailable, w.Code, err)
		assert.NotEmpty(t, w.Header().Get("Retry-After"), err)
	}
}

// removeDoc deletes a document from a corpus copy, and the references to it.
func removeDoc(t *testing.T, dir, id string) {
	t.Helper()
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "documents", id)))
	strip := strings.NewReplacer(", "+id+"]", "]", id+", ", "", "["+id+"]", "[]")
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(p, []byte(strip.Replace(string(b))), 0o644)
	}))
}

// After a reload that removes a document, search never shows it: not while the previous
// index answers (during the rebuild), and not from the page cache once the new index is in.
func TestSearchAfterReloadRemovingADocument(t *testing.T) {
	const gone = "guidance-user-entry"
	dir := filepath.Join(t.TempDir(), "sec")
	require.NoError(t, os.CopyFS(dir, os.DirFS("../corpus/sec")))
	data := t.TempDir()
	ctx := context.Background()
	code1, err := corpus.Load(dir)
	require.NoError(t, err)
	m1, err := index.Open(ctx, data, code1, index.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	require.NoError(t, m1.Wait(ctx))
	require.NoError(t, m1.Close())

	removeDoc(t, dir, gone)
	code2, err := corpus.Load(dir)
	require.NoError(t, err)
	block := make(chan struct{})
	m2, err := index.Open(ctx, data, code2, index.Options{Logger: slog.New(slog.DiscardHandler),
		Progress: func(int, int) { <-block }})
	require.NoError(t, err)
	defer m2.Close()
	unblock := func() {
		select {
		case <-block:
		default:
			close(block)
		}
	}
	defer unblock()
	s, err := New(Config{Code: code2, Logger: slog.New(slog.DiscardHandler), Index: m2, Now: func() time.Time { return fixedNow }})
	require.NoError(t, err)

	check := func(w *httptest.ResponseRecorder) {
		t.Helper()
		require.Equal(t, http.StatusOK, w.Code)
		var r apiResult
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &r))
		require.NotEmpty(t, r.Hits)
		for _, h := range r.Hits {
			assert.NotEqual(t, gone, h.Doc)
		}
		for _, f := range r.Facets["doc"] {
			assert.NotEqual(t, gone, f.Value)
		}
		assert.NotContains(t, w.Body.String(), "Guidance on the User Entry Process")
	}
	search := func() *httptest.ResponseRecorder { return get(t, s, "/api/v1/search?q=user+entry+process") }
	require.False(t, m2.Current(), "the previous index answers")
	check(search())
	w, fromCache := hit(t, s, search)
	check(w)
	assert.True(t, fromCache)

	unblock()
	require.Eventually(t, m2.Current, 20*time.Second, 10*time.Millisecond)
	w, fromCache = hit(t, s, search)
	check(w)
	assert.False(t, fromCache, "an answer of the previous index is not kept past the swap")
}
