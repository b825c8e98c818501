package server

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type apiHit struct {
	Doc, Clause, Heading, Snippet, Version, From, To string
	Score                                            float64
}

type apiResult struct {
	Total  int
	Hits   []apiHit
	Facets map[string][]struct {
		Value string
		Count int
	}
}

func apiSearch(t *testing.T, s *Server, q string) (int, apiResult, string) {
	t.Helper()
	w := get(t, s, "/api/v1/search?"+q)
	var r apiResult
	if w.Code == http.StatusOK {
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &r))
	}
	return w.Code, r, w.Body.String()
}

func TestSearchAPI(t *testing.T) {
	s := testServer(t)
	code, r, _ := apiSearch(t, s, "q=user+entry")
	require.Equal(t, 200, code)
	require.NotEmpty(t, r.Hits)
	for _, k := range []string{"party", "category", "doc"} {
		assert.NotEmpty(t, r.Facets[k], k)
	}
	h := r.Hits[0]
	for _, v := range []string{h.Doc, h.Clause, h.Snippet, h.Version, h.From} {
		assert.NotEmpty(t, v)
	}

	// A clause reference is the first hit, in any spelling people type.
	for _, q := range []string{"G3.20", "g3.20", "Section G3.20", "section  g3.20"} {
		_, r, _ := apiSearch(t, s, "q="+url.QueryEscape(q))
		require.NotEmpty(t, r.Hits, q)
		assert.Equal(t, "section-g", r.Hits[0].Doc, q)
		assert.Equal(t, "G3.20", r.Hits[0].Clause, q)
	}
	_, r, _ = apiSearch(t, s, "q="+url.QueryEscape("H1.10(d)"))
	require.NotEmpty(t, r.Hits)
	assert.Equal(t, "H1.10(d)", r.Hits[0].Clause)
	_, r, _ = apiSearch(t, s, "q="+url.QueryEscape("Appendix AD"))
	require.NotEmpty(t, r.Hits)
	assert.Equal(t, "appendix-ad", r.Hits[0].Doc)

	// The version shown is the one in force on the date searched.
	_, r, _ = apiSearch(t, s, "q=user+entry&doc=section-h&at=2019-10-01")
	require.NotEmpty(t, r.Hits)
	for _, h := range r.Hits {
		assert.Equal(t, "2.0", h.Version)
	}
	_, r, _ = apiSearch(t, s, "q=user+entry&doc=section-h")
	for _, h := range r.Hits {
		assert.Equal(t, "3.0", h.Version, "today, not the prospective 4.0")
	}
	_, all, _ := apiSearch(t, s, "q=user+entry&at=all")
	assert.GreaterOrEqual(t, all.Total, r.Total)

	bad := []struct{ q, want string }{
		{"q=" + strings.Repeat("a", 1001), "parameter q"},
		{"q=" + strings.Repeat("a+", 65), "parameter q"},
		{"q=x&size=1000", "parameter q"},
		{"q=x&size=0", "parameter size"},
		{"q=x&page=-1", "parameter page"},
		{"q=x&page=two", "parameter page"},
		{"q=x&party=aliens", "parameter party"},
		{"q=x&category=aliens", "parameter category"},
		{"q=x&doc=smki-key-ceremony-record", "parameter doc"},
		{"q=x&at=2019-02-30", "parameter at"},
		{"q=%ff", "parameter q"},
	}
	for _, b := range bad {
		code, _, body := apiSearch(t, s, b.q)
		assert.Equal(t, http.StatusBadRequest, code, b.q)
		assert.Contains(t, body, b.want, b.q)
	}
	for _, q := range []string{`"unclosed`, "foo:bar", "+", "((", "/[/"} {
		code, _, body := apiSearch(t, s, "q="+url.QueryEscape(q))
		assert.Equal(t, 200, code, q+": "+body)
	}
	code, r, _ = apiSearch(t, s, "q=shall&page=500")
	assert.Equal(t, 200, code)
	assert.Empty(t, r.Hits)
}

func TestSearchPage(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/search?q=G3.20")
	assert.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/docs/section-g#G3.20", w.Header().Get("Location"))
	w = get(t, s, "/search?q=security+assessment&party=dcc")
	require.Equal(t, 200, w.Code)
	body := w.Body.String()
	assert.Contains(t, body, "<mark>")
	assert.Contains(t, body, "that apply to DCC")
	assert.Contains(t, body, `href="/search?category=section&amp;party=dcc&amp;q=security&#43;assessment"`, "facets are links")
	assert.Contains(t, body, "Any party category", "an active facet can be cleared")
	assert.Equal(t, 200, get(t, s, "/search").Code)
	assert.Contains(t, get(t, s, "/docs/section-h").Body.String(), `action="/search"`, "a search box on every page")
}

func TestSearchWithoutIndex(t *testing.T) {
	base := testServer(t)
	s, err := New(Config{Code: base.code, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	w := get(t, s, "/api/v1/search?q=x")
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.NotEmpty(t, w.Header().Get("Retry-After"))
	assert.Equal(t, http.StatusServiceUnavailable, get(t, s, "/readyz").Code)
	assert.Equal(t, http.StatusOK, get(t, s, "/docs/section-h").Code, "pages do not wait for the index")
}

func BenchmarkSearchAPI(b *testing.B) {
	s := testServer(b)
	for b.Loop() {
		w := get(b, s, "/api/v1/search?q=user+entry&party=small-supplier")
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
