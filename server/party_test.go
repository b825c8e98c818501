package server

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/index"
)

var smallSupplier = &http.Cookie{Name: partyCookie, Value: "small-supplier"}

// The party chosen in the header applies to search (page and API), obligations, changes and
// document pages, and every page shows it with a link that removes it.
func TestPartyContext(t *testing.T) {
	s := testServer(t)
	var plain, withCookie, asked index.Result
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q=consent").Body.Bytes(), &plain))
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q=consent", smallSupplier).Body.Bytes(), &withCookie))
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q=consent&party=small-supplier").Body.Bytes(), &asked))
	assert.Less(t, withCookie.Total, plain.Total, "the cookie narrows the search")
	assert.Equal(t, asked.Total, withCookie.Total)
	var none index.Result
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q=consent&party=", smallSupplier).Body.Bytes(), &none))
	assert.Equal(t, plain.Total, none.Total, "party= (empty) searches every category")

	page := get(t, s, "/search?q=consent", smallSupplier).Body.String()
	assert.Contains(t, page, "that apply to Small Supplier Party")

	for _, path := range []string{"/", "/search?q=consent", "/obligations", "/changes", "/docs/section-h", "/party/small-supplier", "/terms"} {
		w := get(t, s, path, smallSupplier)
		require.Equal(t, http.StatusOK, w.Code, path)
		body := w.Body.String()
		assert.Contains(t, body, `id="party-chip"`, path)
		assert.Contains(t, body, `Party: <a href="/party/small-supplier"><strong>Small Supplier Party</strong></a>`, path)
		// html/template writes the percent escapes in lower case.
		assert.Contains(t, body, `href="/party?party=&amp;next=`+strings.ToLower(url.QueryEscape(path))+`"`, path)
		assert.Contains(t, body, `href="/feeds/changes.atom?party=small-supplier"`, path)
		// Without the cookie, no chip.
		assert.NotContains(t, get(t, s, path).Body.String(), `id="party-chip"`, path)
	}
	// Obligations and changes follow the cookie.
	assert.Contains(t, get(t, s, "/obligations", smallSupplier).Body.String(), "of <strong>Small Supplier Party</strong>")
	assert.Contains(t, get(t, s, "/docs/section-h", smallSupplier).Body.String(), "apply to <strong>Small Supplier Party</strong>")

	// The × removes the cookie and returns to the page without a party of its own.
	w := get(t, s, "/party?party=&next="+url.QueryEscape("/search?q=consent&party=small-supplier"), smallSupplier)
	require.Equal(t, http.StatusSeeOther, w.Code)
	assert.Equal(t, "/search?q=consent", w.Header().Get("Location"))
	require.Len(t, w.Result().Cookies(), 1)
	assert.Negative(t, w.Result().Cookies()[0].MaxAge)
}

var facetRE = regexp.MustCompile(`<a href="(/search\?[^"]+)"[^>]*>([^<]+)</a> <span class="count">(\d+)</span>`)

// Each facet link of the search page leads to as many clauses as its count says, with or
// without a party chosen; the clauses for all parties are shown, not dropped.
func TestSearchFacetsMatchLinks(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		q      string
		cookie *http.Cookie
	}{{"security assessment", nil}, {"consent", smallSupplier}, {"security assessment", smallSupplier}} {
		cookies := []*http.Cookie{}
		if c.cookie != nil {
			cookies = append(cookies, c.cookie)
		}
		body := get(t, s, "/search?q="+url.QueryEscape(c.q), cookies...).Body.String()
		assert.Contains(t, body, `id="facet-all"`, "the clauses for all parties are counted on the page")
		links := facetRE.FindAllStringSubmatch(body, -1)
		require.NotEmpty(t, links, c.q)
		for _, l := range links {
			href := html.UnescapeString(l[1])
			want, _ := strconv.Atoi(l[3])
			w := get(t, s, href, cookies...)
			require.Equal(t, http.StatusOK, w.Code, href)
			m := regexp.MustCompile(`<span id="total">(\d+)</span>`).FindStringSubmatch(w.Body.String())
			require.NotNil(t, m, href)
			got, _ := strconv.Atoi(m[1])
			assert.Equal(t, want, got, "%q (cookie %v): facet %s says %d, its link gives %d", c.q, c.cookie != nil, l[2], want, got)
		}
	}
}

func TestSearchReadsLikeTheAnchors(t *testing.T) {
	s := testServer(t)
	// A modification id goes to the modification.
	for q, want := range map[string]string{"MP140": "/modifications/MP140", "secmp0049": "/modifications/SECMP0049", "DP 110": "/modifications/DP110"} {
		w := get(t, s, "/search?q="+url.QueryEscape(q))
		assert.Equal(t, http.StatusSeeOther, w.Code, q)
		assert.Equal(t, want, w.Header().Get("Location"), q)
		var res index.Result
		require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q="+url.QueryEscape(q)).Body.Bytes(), &res))
		assert.Equal(t, want, res.Goto, q)
	}
	assert.Equal(t, http.StatusOK, get(t, s, "/search?q=MP999").Code, "no such modification: searched as words")

	// Did you mean, as a link.
	body := get(t, s, "/search?q="+url.QueryEscape("secuirty assesment")).Body.String()
	assert.Contains(t, body, `id="didyoumean"`)
	assert.Contains(t, body, "<strong>security assessment</strong>")

	// Every word is required.
	var all, one index.Result
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q="+url.QueryEscape("within five working days")).Body.Bytes(), &all))
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/search?q=days").Body.Bytes(), &one))
	assert.Positive(t, all.Total)
	assert.Less(t, all.Total, one.Total)
}

func TestSuggest(t *testing.T) {
	s := testServer(t)
	type answer struct {
		Q           string       `json:"q"`
		Suggestions []suggestion `json:"suggestions"`
	}
	ask := func(q string, cookies ...*http.Cookie) answer {
		t.Helper()
		w := get(t, s, "/api/v1/suggest?q="+url.QueryEscape(q), cookies...)
		require.Equal(t, http.StatusOK, w.Code, q)
		var a answer
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &a))
		return a
	}
	labels := func(a answer) []string {
		var out []string
		for _, x := range a.Suggestions {
			out = append(out, x.Kind+":"+x.Label)
		}
		return out
	}
	g320 := ask("g3.2")
	require.NotEmpty(t, g320.Suggestions)
	assert.Equal(t, "clause", g320.Suggestions[0].Kind)
	assert.True(t, strings.HasPrefix(g320.Suggestions[0].Label, "G3.2"), labels(g320))
	assert.LessOrEqual(t, len(g320.Suggestions), 10)
	assert.Contains(t, labels(ask("user security assess")), "term:User Security Assessment")
	assert.Contains(t, labels(ask("security assessment")), "term:User Security Assessment", "a later word of a name")
	assert.Contains(t, labels(ask("section h")), "document:Section H: DCC Services")
	assert.Empty(t, ask("").Suggestions)
	assert.Equal(t, http.StatusBadRequest, get(t, s, "/api/v1/suggest?q="+strings.Repeat("x", 101)).Code)

	// A restricted document's clauses are suggested only to those who may read it.
	assert.Empty(t, ask("sscf1").Suggestions, "anonymous")
	as := authServer(t)
	member, _ := login(t, as, "ssc-member", testPassword)
	w := get(t, as, "/api/v1/suggest?q=sscf1", member)
	assert.Contains(t, w.Body.String(), `"SSCF1.1`)
	w = get(t, as, "/api/v1/suggest?q=sscf1")
	assert.NotContains(t, w.Body.String(), "SSCF1")

	// Without JavaScript the search page lists them.
	body := get(t, s, "/search?q="+url.QueryEscape("security assessment")).Body.String()
	assert.Contains(t, body, `class="suggestions"`)
	assert.Contains(t, body, ">User Security Assessment</a>")
}

func TestDashboard(t *testing.T) {
	s := testServer(t)
	w := get(t, s, "/api/v1/parties/small-supplier")
	require.Equal(t, http.StatusOK, w.Code)
	var d dashboard
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &d))
	assert.Equal(t, "Small Supplier Party", d.PartyName)

	// The same duties as the obligations API, counted by kind.
	var ob struct {
		Total  int         `json:"total"`
		Counts []kindCount `json:"counts"`
	}
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/obligations?party=small-supplier").Body.Bytes(), &ob))
	assert.Equal(t, ob.Total, d.Total)
	assert.Equal(t, ob.Counts, d.Counts)
	sum := 0
	for _, doc := range d.Documents {
		sum += doc.Total
	}
	assert.Equal(t, d.Total, sum)
	for _, dl := range d.Deadlines {
		assert.NotEmpty(t, dl.Duty.Deadline, dl.Duty.Clause)
	}
	assert.NotEmpty(t, d.Deadlines)

	// The releases: what the changes API gives for the same dates.
	require.NotNil(t, d.Last)
	var ch struct {
		Total int `json:"total"`
	}
	require.NoError(t, json.Unmarshal(get(t, s, "/api/v1/changes?party=small-supplier&from="+string(previousDay(d.Last.Date))+"&to="+string(d.Last.Date)).Body.Bytes(), &ch))
	assert.Equal(t, ch.Total, d.Last.Total)
	require.NotNil(t, d.Next, "the sample plans a release after %s", fixedNow)
	assert.Greater(t, d.Next.Date, d.At)

	page := get(t, s, "/party/small-supplier").Body.String()
	assert.Contains(t, page, `<span id="duty-total">`+strconv.Itoa(d.Total)+`</span>`)
	assert.Equal(t, http.StatusNotFound, get(t, s, "/party/nobody").Code)
	assert.Equal(t, http.StatusNotFound, get(t, s, "/api/v1/parties/nobody").Code)

	// The home page's choice leads to the dashboard.
	home := get(t, s, "/").Body.String()
	assert.Contains(t, home, `href="/party?party=small-supplier&amp;next=/party/small-supplier"`)
}
