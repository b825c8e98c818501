package server

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
	"codenav/index"
)

// searchPartsTmpl is how the search page's template wrote its facets, hits and suggestions
// before searchView wrote them in Go: the page must stay the same, byte for byte.
var searchPartsTmpl = template.Must(template.New("parts").Funcs(template.FuncMap{
	"lower": strings.ToLower,
	"dict": func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	},
}).Parse(`{{define "facets"}}{{range $name, $label := dict "party" "Party category" "category" "Category" "doc" "Document"}}
  {{with index $.Facets $name}}<section><h2>{{$label}}</h2><ul>
  {{range .}}<li><a href="{{.URL}}"{{if .Active}} aria-current="true"{{end}}>{{.Label}}</a> <span class="count">{{.Count}}</span></li>{{end}}
  </ul>{{if and (eq $name "party") $.AllParties}}<p class="facet-note" id="facet-all">Each count includes the <span class="count">{{$.AllParties}}</span> clause{{if ne $.AllParties 1}}s{{end}} for all parties.</p>{{end}}{{with index $.Clear $name}}<p><a href="{{.}}">Any {{lower $label}}</a></p>{{end}}</section>{{end}}
{{end}}{{end}}
{{define "hits"}}{{range .Hits}}<li>
  <a class="hit-title" href="{{$.HitURL .}}"><strong>{{.Clause}}</strong> · {{.Title}}</a>
  {{with .Heading}}<div class="hit-heading">{{.}}</div>{{end}}
  <p class="snippet">{{$.Snippet .}}</p>
  <p class="hit-meta">Version {{if and $.All (ne .VersionFrom .Version)}}{{.VersionFrom}}–{{end}}{{.Version}} · in force from {{.From}}{{with .To}} to {{.}}{{end}}{{if gt .Versions 1}} · {{.Versions}} versions matched{{end}} · applies to {{$.PartyNames .Parties}}</p>
</li>
{{else}}<li>No clause matches. Try fewer words, another date, or every version.</li>{{end}}{{end}}
{{define "suggestions"}}{{range .}}<li><a href="{{.URL}}">{{.Label}}</a> <span class="tag">{{.Kind}}</span> <span class="doc">{{.Detail}}</span></li>{{end}}{{end}}`))

type oldFacetLink struct {
	Label, URL string
	Count      int
	Active     bool
}

// oldSearchParts is the data the template above was given.
type oldSearchParts struct {
	pageData
	Facets     map[string][]oldFacetLink
	Clear      map[string]string
	AllParties int
	Hits       []index.Hit
	All        bool
}

func (o oldSearchParts) Snippet(h index.Hit) template.HTML { return template.HTML(h.Snippet) }

// oldLink is how the handler made a facet's link: the request's query parsed again, page
// dropped, key set (or dropped when empty, but for an empty party), encoded.
func oldLink(s *Server, u *url.URL, key, val string) string {
	q := u.Query()
	q.Del("page")
	switch {
	case val == "" && key == "party":
		q.Set(key, "")
	case val == "":
		q.Del(key)
	default:
		q.Set(key, val)
	}
	return s.u("/search?" + q.Encode())
}

func TestSearchPartsAsTemplate(t *testing.T) {
	s := testServer(t)
	urls := append([]string{"/search?q=notice&page=2&size=5", "/search?q=notice&at=all&at=2019-10-01", "/search?q=notice&party=",
		"/search?q=notice&doc=section-h&party=dcc&category=section", "/search?q=zzzzqqq", "/search?q=a%3Cb%3E%26%27%22+%2Bx",
		"/search?party=dcc", "/search?q=assessment", "/search?q=shall&page=500", "/search?q=notice&at=all&party=other"},
		searchBenchURLs...)
	for _, target := range urls {
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = httptest.NewRequest(http.MethodGet, target, nil)
		p, err := s.searchParams(c)
		require.NoError(t, err, target)
		res, _, err := s.search(c, p)
		require.NoError(t, err, target)
		sugg := s.suggest(c, p.Q, 8)
		today := s.today()
		got := s.searchView(c.Request.URL.Query(), p, res, sugg, today)

		old := oldSearchParts{pageData: pageData{Code: s.code, Base: s.base, Today: today}, Facets: map[string][]oldFacetLink{},
			Clear: map[string]string{}, Hits: res.Hits, All: p.All}
		active := map[string]string{"party": p.Party, "category": p.Category, "doc": p.Doc}
		for name, vals := range res.Facets {
			for _, fv := range vals {
				if name == "party" && fv.Value == "all" {
					old.AllParties = fv.Count
					continue
				}
				old.Facets[name] = append(old.Facets[name], oldFacetLink{Label: s.facetLabel(old.pageData, name, fv.Value),
					URL: oldLink(s, c.Request.URL, name, fv.Value), Count: fv.Count, Active: active[name] == fv.Value})
			}
			if active[name] != "" {
				old.Clear[name] = oldLink(s, c.Request.URL, name, "")
			}
		}
		var facets, hits, suggestions strings.Builder
		require.NoError(t, searchPartsTmpl.ExecuteTemplate(&facets, "facets", old))
		require.NoError(t, searchPartsTmpl.ExecuteTemplate(&hits, "hits", old))
		require.NoError(t, searchPartsTmpl.ExecuteTemplate(&suggestions, "suggestions", sugg))
		assert.Equal(t, facets.String(), string(got.FacetsHTML), target)
		assert.Equal(t, hits.String(), string(got.HitsHTML), target)
		assert.Equal(t, suggestions.String(), string(got.SuggestionsHTML), target)
		if res.DidYouMean != "" {
			assert.Equal(t, oldLink(s, c.Request.URL, "q", res.DidYouMean), got.DidYouMean, target)
		}
		q := c.Request.URL.Query()
		q.Set("page", "2")
		if got.Next != "" && p.Page == 1 {
			assert.Equal(t, s.u("/search?"+q.Encode()), got.Next, target)
		}
	}
}

// Law: queryLinks writes what parsing the query, changing one key and encoding it writes.
func TestQueryLinksAsValuesEncode(t *testing.T) {
	for _, raw := range []string{"", "q=a+b", "q=%25&at=%3A", "a%3A=1", "q=a&at=all&at=2020-01-01&page=3", "z=1&a=2&party=dcc&q=%3C%26%3E",
		"doc=x&doc=y&category=c", "page=1", "q=%E2%80%93+%2B", "party=&q=x"} {
		q, err := url.ParseQuery(raw)
		require.NoError(t, err)
		l := newQueryLinks("/p/search?", q)
		for _, key := range []string{"a", "at", "category", "doc", "page", "party", "q", "zz"} {
			for _, val := range []string{"", "v", "a b&c", "ü+", "%41", "x:y", "<'\">"} {
				want := url.Values{}
				for k, vs := range q {
					want[k] = append([]string(nil), vs...)
				}
				want.Del("page")
				switch {
				case val == "" && key == "party":
					want.Set(key, "")
				case val == "":
					want.Del(key)
				default:
					want.Set(key, val)
				}
				assert.Equal(t, "/p/search?"+want.Encode(), l.with(key, val), "%s %s=%s", raw, key, val)
				if val != "" {
					// The page writes a facet's link as its two sides escaped apart.
					head, tail := l.around(key)
					assert.Equal(t, attrURL(l.with(key, val)), attrURL(head)+attrURL(queryEscape(val))+attrURL(tail), "%s %s=%s", raw, key, val)
				}
			}
		}
	}
}

// Law: the search's tables of versions answer as the document's own methods do, on any day
// and number, whatever the order of the versions.
func TestDocVersionsAsDocument(t *testing.T) {
	s := testServer(t)
	docs := append([]*corpus.Document{}, s.code.Documents...)
	odd := &corpus.Document{ID: "odd"}
	for _, v := range []struct{ num, eff string }{{"2.0", "2021-05-01"}, {"1.0", "2020-01-01"}, {"2.0", "2019-01-01"}, {"3.0", "2021-05-01"}} {
		odd.Versions = append(odd.Versions, &corpus.Version{Doc: odd, Number: v.num, Effective: corpus.Date(v.eff)})
	}
	bad := &corpus.Document{ID: "bad", Versions: []*corpus.Version{{Number: "1", Effective: "2020-1-01"}}}
	docs = append(docs, odd, bad)
	s2 := &Server{code: s.code, docVersions: map[*corpus.Document]*docVersions{}}
	for _, d := range docs {
		s2.docVersions[d] = newDocVersions(d)
	}
	assert.Nil(t, s2.docVersions[bad], "a version not dated YYYY-MM-DD: the document answers")
	days := []corpus.Date{"1990-01-01", "2019-01-01", "2019-12-31", "2020-01-01", "2021-05-01", "2026-11-28", "2099-12-31", "2020-1-1", ""}
	for _, d := range docs {
		for _, v := range d.Versions {
			days = append(days, v.Effective)
		}
		for _, day := range days {
			assert.Same(t, d.At(day), s2.versionAt(d, day), "%s at %s", d.ID, day)
		}
		for _, num := range []string{"1.0", "2.0", "3.0", "9.9", ""} {
			assert.Same(t, d.Version(num), s2.version(d, num), "%s version %s", d.ID, num)
		}
	}
}
