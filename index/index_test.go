package index

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

const today = corpus.Date("2026-11-28")

var (
	sharedOnce sync.Once
	sharedCode *corpus.Code
	sharedIdx  *Manager
	sharedErr  error
	sharedDir  string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "codenav-index-test")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	if sharedIdx != nil {
		sharedIdx.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func quiet() Options { return Options{Logger: slog.New(slog.DiscardHandler)} }

// sample returns the sample corpus and an index of it, built once for the package.
func sample(t testing.TB) (*corpus.Code, *Manager) {
	t.Helper()
	sharedOnce.Do(func() {
		sharedCode, sharedErr = corpus.Load("../corpus/sec")
		if sharedErr != nil {
			return
		}
		sharedIdx, sharedErr = Open(context.Background(), sharedDir, sharedCode, quiet())
		if sharedErr == nil {
			sharedErr = sharedIdx.Wait(context.Background())
		}
	})
	require.NoError(t, sharedErr)
	return sharedCode, sharedIdx
}

func public(c *corpus.Code) []string {
	var ids []string
	for _, d := range c.For(corpus.Reader{}).Documents() {
		ids = append(ids, d.ID)
	}
	return ids
}

func all(c *corpus.Code) []string {
	var ids []string
	for _, d := range c.Documents {
		ids = append(ids, d.ID)
	}
	return ids
}

func TestDates(t *testing.T) {
	cases := []struct {
		in   corpus.Date
		num  int
		prev int
	}{
		{"2019-11-07", 20191107, 20191106},
		{"2020-03-01", 20200301, 20200229},
		{"2019-03-01", 20190301, 20190228},
		{"2000-03-01", 20000301, 20000229},
		{"1900-03-01", 19000301, 19000228},
		{"2020-01-01", 20200101, 20191231},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.num, DateNum(tc.in))
		assert.Equal(t, tc.prev, dayBefore(tc.in), tc.in)
		assert.Equal(t, tc.in, NumDate(tc.num))
	}
	assert.Equal(t, corpus.Date(""), NumDate(openTo))
}

// One entry per distinct clause text: the index grows with the text, not with versions.
func TestEntriesAreDistinctTexts(t *testing.T) {
	c, _ := sample(t)
	entries := Entries(c)
	clauseVersions := 0
	for _, d := range c.Documents {
		for _, v := range d.Versions {
			clauseVersions += len(v.Tree().Clauses())
		}
	}
	assert.Less(t, len(entries), clauseVersions*2/3, "unchanged clauses are indexed once")

	byClause := map[string][]*Entry{}
	for _, e := range entries {
		byClause[e.Doc+"/"+e.Clause] = append(byClause[e.Doc+"/"+e.Clause], e)
	}
	for k, es := range byClause {
		for i := 1; i < len(es); i++ {
			assert.Less(t, es[i-1].To, es[i].From, "intervals of %s do not overlap", k)
		}
		for _, e := range es {
			assert.LessOrEqual(t, e.From, e.To, k)
		}
	}
	// H1.1 reads the same from 1.0 on? Then it is one entry; whatever it is, every day of
	// its history is covered by exactly one entry at a time.
	h := c.Document("section-h")
	for _, v := range h.Versions {
		day := DateNum(v.Effective)
		for _, n := range v.Tree().Clauses() {
			found := 0
			for _, e := range byClause["section-h/"+n.ID] {
				if e.From <= day && day <= e.To {
					found++
					assert.Equal(t, strings.TrimSpace(strings.TrimPrefix(n.Text, n.ID)), e.Text)
				}
			}
			assert.Equal(t, 1, found, "%s in %s", n.ID, v.Number)
		}
	}
}

func find(t *testing.T, m *Manager, r Request) *Result {
	t.Helper()
	if r.Today == "" {
		r.Today = today
	}
	res, err := m.Search(context.Background(), r)
	require.NoError(t, err, r.Query)
	return res
}

func TestFilters(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	base := find(t, m, Request{Query: "shall", Visible: vis, Size: 100})
	require.Greater(t, base.Total, 100)

	for _, p := range c.PartyIDs() {
		res := find(t, m, Request{Query: "shall", Visible: vis, Party: p, Size: 100})
		assert.Less(t, res.Total, base.Total, p)
		assert.Greater(t, res.Total, 0, p)
		for _, h := range res.Hits {
			assert.True(t, has(h.Parties, p) || has(h.Parties, "all"), "%s %s %v", p, h.Clause, h.Parties)
		}
	}
	res := find(t, m, Request{Query: "shall", Visible: vis, Category: "appendix", Size: 100})
	require.NotEmpty(t, res.Hits)
	for _, h := range res.Hits {
		assert.True(t, strings.HasPrefix(h.Doc, "appendix-"), h.Doc)
	}
	res = find(t, m, Request{Query: "shall", Visible: vis, Doc: "section-g", Size: 100})
	require.NotEmpty(t, res.Hits)
	for _, h := range res.Hits {
		assert.Equal(t, "section-g", h.Doc)
	}
	assert.Equal(t, []FacetValue{{Value: "section-g", Count: res.Total}}, res.Facets["doc"])
}

// Each facet count is the total of the search filtered by that value.
func TestFacetCounts(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	for _, q := range []string{"shall", "security", `"user entry process"`} {
		base := find(t, m, Request{Query: q, Visible: vis, Size: 1})
		require.NotEmpty(t, base.Facets["category"], q)
		sum := 0
		for _, f := range base.Facets["category"] {
			res := find(t, m, Request{Query: q, Visible: vis, Category: f.Value, Size: 1})
			assert.Equal(t, res.Total, f.Count, "%s in category %s", q, f.Value)
			sum += f.Count
		}
		assert.Equal(t, base.Total, sum, q)
		for _, f := range base.Facets["doc"] {
			res := find(t, m, Request{Query: q, Visible: vis, Doc: f.Value, Size: 1})
			assert.Equal(t, res.Total, f.Count, "%s in %s", q, f.Value)
		}
		for _, f := range base.Facets["party"] {
			if f.Value == "all" {
				continue
			}
			res := find(t, m, Request{Query: q, Visible: vis, Party: f.Value, Size: 1})
			assert.Equal(t, res.Total, f.Count, "%s for %s (clauses for all included)", q, f.Value)
		}
	}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A date search finds the text in force on that date and nothing that came later.
func TestPointInTime(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	for _, at := range []corpus.Date{"2019-03-01", "2019-10-01", "2020-03-01", today, "2027-03-01"} {
		res := find(t, m, Request{Query: "shall", Visible: vis, At: at, Size: 100})
		require.NotEmpty(t, res.Hits, at)
		for _, h := range res.Hits {
			assert.LessOrEqual(t, string(h.From), string(at), "%s %s", h.Doc, h.Clause)
			if h.To != "" {
				assert.GreaterOrEqual(t, string(h.To), string(at), "%s %s", h.Doc, h.Clause)
			}
		}
	}
	assert.Equal(t, 0, find(t, m, Request{Query: "shall", Visible: vis, At: "2018-01-01"}).Total, "nothing was in force")

	// Every-version search groups the versions of a clause into one hit.
	res := find(t, m, Request{Query: "User Entry Process", Visible: vis, AllVersions: true, Size: 100})
	seen := map[string]bool{}
	grouped := false
	for _, h := range res.Hits {
		k := h.Doc + "/" + h.Clause
		assert.False(t, seen[k], "one hit per clause: %s", k)
		seen[k] = true
		grouped = grouped || h.Versions > 1
	}
	assert.True(t, grouped, "some clause matched in several versions")
}

// The date and party filters select exactly the entries in force on the date that apply to
// the party, on every day where the texts in force change, the day before and the day after.
func TestInForceOnEveryBoundary(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	visible := map[string]bool{}
	for _, id := range vis {
		visible[id] = true
	}
	entries := Entries(c)
	periods := Periods(entries)
	require.Greater(t, len(periods), 5)
	days := map[int]bool{19000101: true, openTo - 1: true}
	for _, p := range periods {
		days[p], days[dayAfter(p)] = true, true
		days[dayBefore(NumDate(p))] = true
	}
	for day := range days {
		at := NumDate(day)
		if at == "" {
			continue
		}
		for _, party := range []string{"", "dcc", "gas-network"} {
			want := 0
			for _, e := range entries {
				if !visible[e.Doc] || e.From > day || e.To < day {
					continue
				}
				if party == "" || slices.Contains(e.Parties, party) || slices.Contains(e.Parties, "all") {
					want++
				}
			}
			res := find(t, m, Request{Visible: vis, At: at, Party: party, Size: 1})
			assert.Equal(t, want, res.Total, "in force on %s for %q", at, party)
		}
	}
}

func TestPeriods(t *testing.T) {
	es := []*Entry{{From: 20190101, To: 20190630}, {From: 20190701, To: openTo}, {From: 20200229, To: 20200229}}
	assert.Equal(t, []int{20190101, 20190701, 20200229, 20200301}, Periods(es))
	assert.Equal(t, 20200301, dayAfter(20200229))
	assert.Equal(t, 20200101, dayAfter(20191231))
	assert.Equal(t, 20190301, dayAfter(20190228))
}

// A word that is only in a clause's table finds the clause, and the sentence introducing a
// long table still ranks its clause.
func TestTableRows(t *testing.T) {
	c, m := sample(t)
	res := find(t, m, Request{Query: `"Election among Gas Network Parties"`, Visible: public(c), Doc: "section-g"})
	require.NotEmpty(t, res.Hits)
	assert.Equal(t, "G7.2", res.Hits[0].Clause)
}

// Restricted documents are never searched, counted or shown.
func TestVisibility(t *testing.T) {
	c, m := sample(t)
	for _, canary := range []string{"CANARY-GREEN", "CANARY-AMBER", "CANARY-RED"} {
		phrase := `"` + canary + `"`
		pub := find(t, m, Request{Query: phrase, Visible: public(c), AllVersions: true})
		assert.Equal(t, 0, pub.Total, canary)
		for _, f := range pub.Facets {
			assert.Empty(t, f)
		}
		every := find(t, m, Request{Query: phrase, Visible: all(c), AllVersions: true})
		assert.Equal(t, 1, every.Total, "the canary is indexed: %s", canary)
	}
	pub := find(t, m, Request{Query: "panel", Visible: public(c)})
	for _, f := range pub.Facets["category"] {
		assert.NotEqual(t, "committee", f.Value)
	}
	assert.Equal(t, 0, find(t, m, Request{Query: "shall", Visible: nil}).Total, "no visible document, no result")
}

func TestBadQueries(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	bad := []struct {
		name string
		r    Request
		want string
	}{
		{"too long", Request{Query: strings.Repeat("a", MaxQueryLen+1)}, "characters"},
		{"too many terms", Request{Query: strings.Repeat("x ", MaxQueryTerms+1)}, "terms"},
		{"size", Request{Query: "x", Size: MaxPageSize + 1}, "size"},
		{"utf8", Request{Query: "bad \xff"}, "UTF-8"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.Visible, tc.r.Today = vis, today
			_, err := m.Search(context.Background(), tc.r)
			require.ErrorIs(t, err, ErrBadQuery)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Syntax the query language cannot parse is searched as words, never an error.
	for _, q := range []string{`"unclosed`, `foo:bar`, `+`, `-`, `(`, `title:CANARY`, `doc:smki-key-ceremony-record`,
		`classification:red`, `text:`, `^^`, `/[/`, `~~`, `\`, `AND OR NOT`} {
		res, err := m.Search(context.Background(), Request{Query: q, Visible: vis, Today: today, AllVersions: true})
		if errors.Is(err, ErrTooSlow) {
			continue
		}
		require.NoError(t, err, q)
		for _, h := range res.Hits {
			assert.NotContains(t, h.Snippet, "CANARY", q)
		}
	}
	// A page past the end is empty, not an error.
	res := find(t, m, Request{Query: "shall", Visible: vis, Page: 9999})
	assert.Empty(t, res.Hits)
	assert.Greater(t, res.Total, 0)
}

// Pattern terms whose automaton or expansion could grow are refused before bleve builds
// anything, with a message naming the problem; the ones allowed answer.
func TestPatternLimits(t *testing.T) {
	c, m := sample(t)
	refused := []struct{ q, want string }{
		{strings.Repeat("a*", 500), "characters"},
		{strings.Repeat("*a", 500), "characters"},
		{strings.Repeat("a*", 20), "wildcards"},
		{"a*b*c*d*e*f", "wildcards"},
		{"*", "starts with a wildcard"},
		{"*a", "starts with a wildcard"},
		{"?amper", "starts with a wildcard"},
		{"/.*a.{100}/", "counted repetition"},
		{"/a.{9}/", "counted repetition"},
		{"/.*a/", "does not start with a letter"},
		{"/(ab+)+/", "nested repetition"},
		{"/a.*b.*c.*d.*e.*f/", "unbounded repetitions"},
		{"/a.*a" + strings.Repeat(".", 30) + "/", "positions"},
		{"/a.{8}.{8}/", "positions"},
		{"/(?i)abcdefghij/", "positions"},
		{"tamper~3", "edits"},
		{"ta~1", "too short"},
		{"tamp~2", "too short"},
		{"ab* cd* ef* gh* ij*", "more than 4"},
		{"party " + strings.Repeat("x", 41) + "*", "characters"},
	}
	for _, tc := range refused {
		_, err := m.Search(context.Background(), Request{Query: tc.q, Visible: public(c), Today: today, AllVersions: true})
		require.ErrorIs(t, err, ErrBadQuery, tc.q)
		assert.Contains(t, err.Error(), tc.want, tc.q)
	}
	for _, q := range []string{"vulnerab*", "assess* securit?", "/secur.ty/", "/ac(c|k)ess/", "tamper~1", "securty~2", "a*", "s*"} {
		_, err := m.Search(context.Background(), Request{Query: q, Visible: public(c), Today: today, AllVersions: true})
		require.NoError(t, err, q)
	}
}

// A refused pattern costs work in proportion to its length, not more: the allocations of
// a bomb four times as long grow at most linearly (before the limits, bleve built an
// automaton whose size grew with the pattern before any check).
func TestPatternCostGrowth(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	cost := func(q string) float64 {
		return testing.AllocsPerRun(5, func() {
			_, err := m.Search(context.Background(), Request{Query: q, Visible: vis, Today: today})
			require.ErrorIs(t, err, ErrBadQuery, q)
		})
	}
	for _, bomb := range []func(n int) string{
		func(n int) string { return strings.Repeat("a*", n) },
		func(n int) string { return strings.Repeat("*a", n) },
		func(n int) string { return "/.*a.{" + strconv.Itoa(n) + "}/" },
		func(n int) string { return "/a" + strings.Repeat("(b+)", n/10+1) + "/" },
		func(n int) string { return strings.Repeat("ab* ", n/10+5) },
	} {
		small, big := cost(bomb(100)), cost(bomb(400))
		assert.LessOrEqual(t, big, 6*small+200, "%q: %v allocations at n, %v at 4n", bomb(100), small, big)
	}
}

// Beyond MaxPatternSearches at once, a pattern search answers ErrBusy at once; a plain
// search is not held back.
func TestPatternSlots(t *testing.T) {
	code, err := corpus.Load("../corpus/sec")
	require.NoError(t, err)
	opt := quiet()
	opt.MaxPatternSearches = 1
	m, err := Open(context.Background(), t.TempDir(), code, opt)
	require.NoError(t, err)
	defer m.Close()
	require.NoError(t, m.Wait(context.Background()))
	m.patterns <- struct{}{} // one pattern search running
	_, err = m.Search(context.Background(), Request{Query: "vulnerab*", Visible: public(code), Today: today})
	require.ErrorIs(t, err, ErrBusy)
	_, err = m.Search(context.Background(), Request{Query: "vulnerability", Visible: public(code), Today: today})
	require.NoError(t, err)
	<-m.patterns
	_, err = m.Search(context.Background(), Request{Query: "vulnerab*", Visible: public(code), Today: today})
	require.NoError(t, err)
}

// The budget holds: a search past it answers ErrTooSlow at the budget, not when bleve is done.
func TestBudgetAnswers(t *testing.T) {
	code, err := corpus.Load("../corpus/sec")
	require.NoError(t, err)
	opt := quiet()
	opt.Budget = time.Nanosecond
	m, err := Open(context.Background(), t.TempDir(), code, opt)
	require.NoError(t, err)
	defer m.Close()
	require.NoError(t, m.Wait(context.Background()))
	_, err = m.Search(context.Background(), Request{Query: "shall", Visible: public(code), Today: today, AllVersions: true})
	require.ErrorIs(t, err, ErrTooSlow)
}

func TestStablePagination(t *testing.T) {
	c, m := sample(t)
	for _, allVersions := range []bool{false, true} {
		first := find(t, m, Request{Query: "shall", Visible: public(c), Size: 25, AllVersions: allVersions})
		seen := map[string]bool{}
		for page := 1; (page-1)*25 < first.Total; page++ {
			res := find(t, m, Request{Query: "shall", Visible: public(c), Size: 25, Page: page, AllVersions: allVersions})
			for _, h := range res.Hits {
				k := h.Doc + "/" + h.Clause + "@" + string(h.From)
				assert.False(t, seen[k], "%s appears on two pages", k)
				seen[k] = true
			}
		}
		assert.Equal(t, first.Total, len(seen))
	}
}

func TestHighlight(t *testing.T) {
	c, m := sample(t)
	res := find(t, m, Request{Query: `"security sub-committee"`, Visible: public(c), Size: 5})
	require.NotEmpty(t, res.Hits)
	assert.Contains(t, res.Hits[0].Snippet, "<mark>")
	// Stop words that matter in legal text are searchable.
	for _, w := range []string{"not", "no", "any", "all"} {
		assert.Greater(t, find(t, m, Request{Query: w, Visible: public(c)}).Total, 0, w)
	}
	// Stemming: "vulnerabilities" finds "vulnerability"; prefix terms search the unstemmed text.
	assert.Greater(t, find(t, m, Request{Query: "vulnerabilities", Visible: public(c)}).Total, 0)
	assert.Greater(t, find(t, m, Request{Query: "vulnerab*", Visible: public(c)}).Total, 0)
}

// copyCorpus copies the sample so that a test may change it.
func copyCorpus(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "sec")
	require.NoError(t, os.CopyFS(dst, os.DirFS("../corpus/sec")))
	return dst
}

func TestLifecycle(t *testing.T) {
	dir := copyCorpus(t)
	data := t.TempDir()
	code, err := corpus.Load(dir)
	require.NoError(t, err)
	ctx := context.Background()

	m, err := Open(ctx, data, code, quiet())
	require.NoError(t, err)
	require.NoError(t, m.Wait(ctx))
	require.True(t, m.Current())
	name := m.Name()
	pub := m.pubKey
	builtAt := metaOf(t, data, name, pub).Built
	require.NoError(t, m.Close())

	// Same corpus: reused, not rebuilt.
	m, err = Open(ctx, data, code, quiet())
	require.NoError(t, err)
	assert.True(t, m.Ready(), "a matching index is ready at once")
	require.NoError(t, m.Wait(ctx))
	assert.Equal(t, name, m.Name())
	assert.Equal(t, builtAt, metaOf(t, data, name, pub).Built)
	require.NoError(t, m.Close())

	// The corpus changes: the old index answers until the new one is swapped in.
	p := filepath.Join(dir, "documents", "section-h", "3.0.md")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, append(b, []byte("\n**H14.99** Zebracrossing obligations apply.\n")...), 0o644))
	code2, err := corpus.Load(dir)
	require.NoError(t, err)
	m, err = Open(ctx, data, code2, quiet())
	require.NoError(t, err)
	assert.True(t, m.Ready(), "the previous index serves during the rebuild")
	require.Eventually(t, m.Current, 20*time.Second, 20*time.Millisecond)
	assert.NotEqual(t, name, m.Name())
	res, err := m.Search(ctx, Request{Query: "zebracrossing", Visible: public(code2), Today: today})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Total)
	entries, _ := os.ReadDir(filepath.Join(data, "index"))
	dirs := 0
	for _, e := range entries {
		if e.IsDir() {
			dirs++
		}
	}
	assert.Equal(t, 1, dirs, "old index folders are removed")
	name = m.Name()
	require.NoError(t, m.Close())

	// A damaged index is rebuilt, never served.
	damage := []func(){
		func() {
			require.NoError(t, os.WriteFile(filepath.Join(data, "index", "CURRENT"), []byte("../../etc\n"), 0o644))
		},
		func() {
			require.NoError(t, os.WriteFile(filepath.Join(data, "index", "CURRENT"), []byte(name+"\n"), 0o644))
			require.NoError(t, os.RemoveAll(filepath.Join(data, "index", name, "views", pub, "segment")))
		},
		func() {
			require.NoError(t, os.WriteFile(filepath.Join(data, "index", name, "views", pub, "meta.json"), []byte(`{"format":"codenav-index-0"}`), 0o644))
		},
	}
	for i, d := range damage {
		d()
		m, err = Open(ctx, data, code2, quiet())
		require.NoError(t, err, i)
		require.NoError(t, m.Wait(ctx), i)
		require.True(t, m.Current(), i)
		res, err := m.Search(ctx, Request{Query: "zebracrossing", Visible: public(code2), Today: today})
		require.NoError(t, err, i)
		assert.Equal(t, 1, res.Total, i)
		require.NoError(t, m.Close())
	}
}

func metaOf(t *testing.T, data, name, view string) meta {
	t.Helper()
	m, err := readMeta(filepath.Join(data, "index", name, "views", view))
	require.NoError(t, err)
	return m
}

func BenchmarkSearch(b *testing.B) {
	c, m := sample(b)
	vis := public(c)
	queries := []Request{
		{Query: "user entry process"},
		{Query: `"security sub-committee"`},
		{Query: "privacy assessment", Party: "other"},
		{Query: "shall", At: "2019-10-01"},
		{Query: "vulnerab*"},
		{Query: "smki recovery", AllVersions: true},
	}
	for _, q := range queries {
		q.Visible, q.Today = vis, today
		b.Run(q.Query, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBuild(b *testing.B) {
	c, _ := sample(b)
	entries := Entries(c)
	an, err := newAnalysers()
	require.NoError(b, err)
	for b.Loop() {
		if err := build(context.Background(), entries, filepath.Join(b.TempDir(), "segment"), an, nil); err != nil {
			b.Fatal(err)
		}
	}
}
