package index

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/corpus"
)

func openSite(t *testing.T, dirs ...string) ([]*corpus.Code, *Manager) {
	t.Helper()
	var codes []*corpus.Code
	for _, d := range dirs {
		c, err := corpus.Load(d)
		require.NoError(t, err)
		codes = append(codes, c)
	}
	m, err := OpenSite(context.Background(), t.TempDir(), codes, quiet())
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	require.NoError(t, m.Wait(context.Background()))
	return codes, m
}

func keys(code string, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = code + "/" + id
	}
	return out
}

// A search of one code of a site answers, byte for byte, what the index of that code alone
// answers: hits, order, scores, totals and facets; the other code and the documents the
// reader may not see change nothing.
func TestSiteSearchOfOneCodeIsTheCodeAlone(t *testing.T) {
	codes, site := openSite(t, "../corpus/sec", "../corpus/testdata/rec")
	require.Equal(t, []string{"rec", "sec"}, site.Codes())
	readers := map[string]corpus.Reader{
		"anonymous": {},
		"member":    {SignedIn: true, User: "someone", Party: "dcc"},
		"chair":     {SignedIn: true, User: "pma-chair"},
	}
	queries := []Request{{Query: "meter"}, {Query: "tamper"}, {Query: "metering", Party: "supplier"},
		{Query: "security", At: "2019-06-01"}, {Query: "key*", AllVersions: true}, {Query: ""}, {Query: "tampr", OrElseAnyWord: true}}
	for _, c := range codes {
		_, alone := openCorpus(t, c.Dir)
		for name, r := range readers {
			vis := visibleTo(c, r)
			for _, q := range queries {
				q.Today, q.Visible = today, vis
				want, err := alone.Search(context.Background(), q)
				require.NoError(t, err)
				q.Code = c.ID
				got, err := site.Search(context.Background(), q)
				require.NoError(t, err)
				jw, _ := json.Marshal(want)
				jg, _ := json.Marshal(got)
				assert.JSONEq(t, string(jw), string(jg), "%s %s %q", c.ID, name, q.Query)
			}
		}
	}
}

// A search of every code finds each code's clauses, names their code, counts codes, and
// holds nothing a reader may not see: the red minutes of rec count for the chair only.
func TestSiteSearchOfEveryCode(t *testing.T) {
	codes, site := openSite(t, "../corpus/sec", "../corpus/testdata/rec")
	sec, rec := codes[0], codes[1]
	visible := func(r corpus.Reader) []string {
		return append(keys("sec", visibleTo(sec, r)), keys("rec", visibleTo(rec, r))...)
	}
	anon := find(t, site, Request{Query: "meter", Visible: visible(corpus.Reader{}), Size: 100})
	byCode := map[string]int{}
	for _, h := range anon.Hits {
		byCode[h.Code]++
		assert.NotContains(t, h.Doc, "/", "a hit's document is its code's id")
	}
	assert.Equal(t, anon.Total, byCode["sec"]+byCode["rec"])
	assert.Equal(t, 5, byCode["rec"], "M2.2, M3.1 (its heading), S1.1-S1.3; not the red minutes")
	assert.Equal(t, []FacetValue{{Value: "sec", Count: byCode["sec"]}, {Value: "rec", Count: 5}}, anon.Facets["code"])

	chair := find(t, site, Request{Query: "meter", Visible: visible(corpus.Reader{SignedIn: true, User: "pma-chair"}), Size: 100})
	assert.Contains(t, chair.Facets["doc"], FacetValue{Value: "rec/rec-board-minutes", Count: 1})
	assert.NotContains(t, anon.Facets["doc"], FacetValue{Value: "rec/rec-board-minutes", Count: 1})

	only := find(t, site, Request{Query: "meter", Visible: visible(corpus.Reader{}), CodeFilter: "rec", Size: 100})
	assert.Equal(t, 5, only.Total)
	assert.Equal(t, anon.Facets["code"], only.Facets["code"], "the code facet counts every code")
	doc := find(t, site, Request{Query: "meter", Visible: visible(corpus.Reader{}), Doc: "rec/schedule-3"})
	assert.Equal(t, 3, doc.Total)

	// A restricted document a reader may not see is not searched even when asked for.
	none := find(t, site, Request{Query: "canary", Visible: visible(corpus.Reader{})})
	assert.Zero(t, none.Total)

	_, err := site.Search(context.Background(), Request{Query: "meter", Code: "nope", Today: today})
	assert.ErrorIs(t, err, ErrBadQuery)
}

func TestOpenSiteRefusesBadCodes(t *testing.T) {
	sec, err := corpus.Load("../corpus/sec")
	require.NoError(t, err)
	_, err = OpenSite(context.Background(), t.TempDir(), []*corpus.Code{sec, sec}, quiet())
	assert.ErrorContains(t, err, `two codes have the id "sec"`)
	_, err = OpenSite(context.Background(), t.TempDir(), nil, quiet())
	assert.Error(t, err)
}
