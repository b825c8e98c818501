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
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
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

// searchBenchURLs are searches of the sample corpus like bench/suite's query mix: words,
// words with a party, a date, a category or every version, phrases, required and excluded
// words, prefixes, a misspelling (did you mean) and a name (suggestions).
var searchBenchURLs = []string{
	"/search?q=security+assessment",
	"/search?q=user+entry&party=small-supplier",
	"/search?at=2019-10-01&q=notice",
	"/search?category=section&q=audit",
	"/search?at=all&q=firmware",
	"/search?q=%22working+days%22",
	"/search?q=%2Bnotice+%2Bperiod",
	"/search?q=%2Bpanel+-election&party=dcc",
	"/search?q=assess%2A",
	"/search?q=securty+asessment",
	"/search?q=smart+metering+key+infrastructure",
	"/search?q=suppl%2A&at=2019-10-01&party=small-supplier",
}

// BenchmarkSearchPageUncached measures a search request as a reader whose pages are not
// cached gets it (page cache off, a JSON logger and the metrics on, as codenav serve runs):
// the search page and the same searches on the API, answered by the index ("page", "api")
// or by canned answers the index gave before ("page-server", "api-server": what the server
// adds to a search, without the index's time and noise), and index.Search alone ("index").
//
// CODENAV_SEARCHBENCH=CORPUS,DATA,MIX runs it on another corpus, whose index is in the data
// folder DATA (codenav index), with the /search URLs of MIX (bench/suite mix), such as the
// generated corpus of 10k words a document.
func BenchmarkSearchPageUncached(b *testing.B) {
	code, idx, urls, now := benchSearchSetup(b)
	newServer := func() *Server {
		s, err := New(Config{Code: code, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Index: idx,
			Now: func() time.Time { return now }, PageCacheBytes: -1, Metrics: NewMetrics()})
		require.NoError(b, err)
		// New renders the versions in force in the background: wait for that here, or it
		// runs during the first measurement (seconds of CPU at 10k words).
		s.warm()
		return s
	}
	s, canned := newServer(), newServer()
	// The canned server records the index's answers, then answers with copies of them.
	answers := map[string]*index.Result{}
	key := func(r index.Request) string {
		return strings.Join([]string{r.Query, r.Party, r.Category, r.Doc, string(r.At), strconv.FormatBool(r.AllVersions),
			strconv.Itoa(r.Page), strconv.Itoa(r.Size)}, "\x00")
	}
	canned.find = func(ctx context.Context, r index.Request) (*index.Result, error) {
		if res, ok := answers[key(r)]; ok {
			cp := *res
			cp.Hits = slices.Clone(res.Hits)
			return &cp, nil
		}
		res, err := idx.Search(ctx, r)
		if err == nil {
			cp := *res
			cp.Hits = slices.Clone(res.Hits)
			answers[key(r)] = &cp
		}
		return res, err
	}
	for _, sv := range []*Server{s, canned} {
		for _, p := range []string{"", "/api/v1"} {
			for _, u := range urls {
				w := httptest.NewRecorder()
				sv.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, p+u, nil))
				require.Equal(b, http.StatusOK, w.Code, u)
			}
		}
	}
	run := func(s *Server, prefix string) func(b *testing.B) {
		return func(b *testing.B) {
			h := s.Handler()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, prefix+urls[i%len(urls)], nil))
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
				i++
			}
		}
	}
	b.Run("page", run(s, ""))
	b.Run("page-server", run(canned, ""))
	b.Run("api", run(s, "/api/v1"))
	b.Run("api-server", run(canned, "/api/v1"))
	b.Run("index", func(b *testing.B) {
		reqs := make([]index.Request, len(urls))
		visible := []string{}
		for _, d := range s.code.For(corpus.Reader{}).Documents() {
			visible = append(visible, d.ID)
		}
		for i, u := range urls {
			q, err := url.ParseQuery(strings.TrimPrefix(u, "/search?"))
			require.NoError(b, err)
			r := index.Request{Code: s.code.ID, Query: q.Get("q"), Party: q.Get("party"), Category: q.Get("category"),
				Today: corpus.DateOf(now), Page: 1, Size: 20, Visible: visible, OrElseAnyWord: true}
			if at := q.Get("at"); at == "all" {
				r.AllVersions = true
			} else {
				r.At = corpus.Date(at)
			}
			reqs[i] = r
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.index.Search(context.Background(), reqs[i%len(reqs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// benchSearchSetup is the code, index, search URLs and today of BenchmarkSearchPageUncached:
// the sample's, or those CODENAV_SEARCHBENCH names.
func benchSearchSetup(b *testing.B) (*corpus.Code, *index.Manager, []string, time.Time) {
	env := os.Getenv("CODENAV_SEARCHBENCH")
	if env == "" {
		base := testServer(b)
		return base.code, base.index, searchBenchURLs, fixedNow
	}
	parts := strings.Split(env, ",")
	require.Len(b, parts, 3, "CODENAV_SEARCHBENCH=CORPUS,DATA,MIX")
	gin.SetMode(gin.TestMode)
	code, err := corpus.Load(parts[0])
	require.NoError(b, err)
	idx, err := index.Open(context.Background(), parts[1], code, index.Options{Logger: slog.New(slog.DiscardHandler), Budget: time.Minute})
	require.NoError(b, err)
	b.Cleanup(func() { idx.Close() })
	require.NoError(b, idx.Wait(context.Background()))
	raw, err := os.ReadFile(parts[2])
	require.NoError(b, err)
	var mix struct {
		Today   string
		Queries []struct{ URL string }
	}
	require.NoError(b, json.Unmarshal(raw, &mix))
	var urls []string
	for _, q := range mix.Queries {
		urls = append(urls, q.URL)
	}
	now, err := time.Parse("2006-01-02", mix.Today)
	require.NoError(b, err)
	return code, idx, urls, now
}
