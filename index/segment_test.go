package index

import (
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleSegment writes the segment of the sample's public entries and opens it.
func sampleSegment(t testing.TB) (*segment, []*Entry, analysers) {
	t.Helper()
	c, _ := sample(t)
	set := map[string]bool{}
	for _, id := range public(c) {
		set[id] = true
	}
	entries := entriesOf(c, set)
	an, err := newAnalysers()
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "segment")
	require.NoError(t, writeSegment(context.Background(), p, entries, an))
	s, err := openSegment(p)
	require.NoError(t, err)
	t.Cleanup(func() { s.close() })
	return s, entries, an
}

// Every entry reads back as written: columns, record, document, facet, group.
func TestSegmentRoundTrip(t *testing.T) {
	s, entries, _ := sampleSegment(t)
	require.Equal(t, len(entries), s.n)
	byID := map[string]*Entry{}
	for _, e := range entries {
		byID[e.ID()] = e
	}
	var ids []string
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for n, id := range ids {
		e := byID[id]
		clause, heading, text, vFrom, vTo, parties := s.record(n)
		d := s.docs[s.col32(n, colDoc)]
		assert.Equal(t, []string{e.Clause, e.Heading, e.Text, e.VersionFrom, e.VersionTo, e.Doc, e.Title, e.Category, e.Facet},
			[]string{clause, heading, text, vFrom, vTo, d.Key, d.Title, d.Category, s.facets[s.col32(n, colFacet)]}, id)
		assert.Equal(t, strings.Join(e.Parties, " "), strings.Join(parties, " "), id)
		assert.Equal(t, []int{e.From, e.To}, []int{int(s.col32(n, colFrom)), int(s.col32(n, colTo))}, id)
		g := int(s.col32(n, colGroup))
		assert.Equal(t, clauseKey(id), clauseKey(ids[g]), id)
		if g > 0 {
			assert.NotEqual(t, clauseKey(id), clauseKey(ids[g-1]), "the group starts at the clause's first entry")
		}
		for _, p := range e.Applies {
			i := slices.Index(s.parties, p)
			require.GreaterOrEqual(t, i, 0, p)
			assert.NotZero(t, s.applies(n)&(1<<i), "%s applies to %s", id, p)
		}
	}
}

// A damaged segment is refused at open (and the view rebuilt, see TestLifecycle): cut short,
// a byte changed, or not a segment at all.
func TestSegmentDamage(t *testing.T) {
	s, _, _ := sampleSegment(t)
	good := slices.Clone(s.data)
	cases := map[string][]byte{
		"empty":      nil,
		"cut short":  good[:len(good)/2],
		"no trailer": good[:len(good)-3],
		"byte in body": func() []byte {
			b := slices.Clone(good)
			b[len(b)/3] ^= 0x40
			return b
		}(),
		"not a segment": []byte("hello, world, this is not an index segment at all"),
	}
	for name, b := range cases {
		p := filepath.Join(t.TempDir(), "segment")
		require.NoError(t, os.WriteFile(p, b, 0o644))
		_, err := openSegment(p)
		assert.ErrorIs(t, err, errDamaged, name)
	}
}

// oldMapping is the bleve mapping the index used before it had a segment of its own: the
// same analysers on the same fields. The differential test below checks that the segment
// finds what bleve found.
func oldMapping(t testing.TB) mapping.IndexMapping {
	t.Helper()
	im, err := newMapping()
	require.NoError(t, err)
	txt := func(an string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer, f.Store, f.IncludeInAll, f.IncludeTermVectors = an, false, false, true
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fText, txt(analyzerName))
	dm.AddFieldMappingsAt(fTable, txt(analyzerName))
	dm.AddFieldMappingsAt(fHeading, txt(analyzerName))
	dm.AddFieldMappingsAt(fExact, txt(exactAnalyzer))
	dm.AddFieldMappingsAt(fClause, txt(keyword.Name))
	im.DefaultMapping = dm
	im.DefaultField = fText
	return im
}

// The segment matches exactly the entries bleve matched for the same parsed query, over
// words, phrases, required and excluded words, OR, prefixes, wildcards, regexps, fuzzy
// terms and fields; and for word and phrase queries it ranks them in the same order.
func TestSegmentMatchesBleve(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a bleve index of the sample: skipped with -short")
	}
	s, entries, an := sampleSegment(t)
	idx, err := bleve.NewMemOnly(oldMapping(t))
	require.NoError(t, err)
	defer idx.Close()
	b := idx.NewBatch()
	for _, e := range entries {
		require.NoError(t, b.Index(e.ID(), map[string]any{fText: e.Text, fTable: e.Table, fHeading: e.Heading, fExact: fieldText(e, segExact), fClause: e.Clause}))
	}
	require.NoError(t, idx.Batch(b))
	ids := make([]string, len(entries))
	for i, e := range entries {
		ids[i] = e.ID()
	}
	slices.Sort(ids)
	analyse, err := newAnalyser()
	require.NoError(t, err)

	cases := []struct {
		q      string
		ranked bool   // compare the order of the first hits too
		asked  string // what bleve is asked instead, where bleve is wrong
	}{
		{q: "notice", ranked: true}, {q: "user entry", ranked: true}, {q: "security sub-committee", ranked: true}, {q: `"security sub-committee"`, ranked: true},
		{q: `"terms of reference"`, ranked: true}, {q: "+dcc -gateway", ranked: true}, {q: "meter OR metering", ranked: true}, {q: "shall not", ranked: true},
		{q: "incident report within", ranked: true}, {q: "vulnerabilities", ranked: true}, {q: "H1.2", ranked: true}, {q: "non-binding", ranked: true},
		{q: "assess*", ranked: false}, {q: "certif*", ranked: false}, {q: "tamp?r", ranked: false}, {q: "/notic(e|es)/", asked: "exact:notice OR exact:notices"}, {q: "/notic.s?/"},
		{q: "threshhold~1", ranked: false}, {q: "complience~2", ranked: false}, {q: "heading:panel", ranked: true}, {q: `heading:"user entry"`, ranked: true},
		{q: "clause:H1.1", ranked: false}, {q: "exact:notices", ranked: false}, {q: `-notice`, ranked: false}, {q: "panel -heading:panel", ranked: true},
		{q: "+security +sub-committee", ranked: true}, {q: "zzzznotaword", ranked: false},
	}
	for _, tc := range cases {
		r := Request{Query: tc.q, analyse: analyse, Size: 20}
		q, _, err := buildQuery(r)
		require.NoError(t, err, tc.q)
		ev := newEvaluator(context.Background(), s, an, nil)
		got, err := ev.eval(q)
		require.NoError(t, err, tc.q)
		// The same parsed query, built again (buildQuery's rewrites are in place), on bleve.
		// (bleve's regexps do not match every word the alternation allows: /notic(e|es)/
		// finds "notice" but not "notices"; bleve is asked for both words instead.)
		if tc.asked != "" {
			r.Query = tc.asked
		}
		bq, _, err := buildQuery(r)
		require.NoError(t, err)
		req := bleve.NewSearchRequestOptions(bq, len(entries), 0, false)
		req.SortBy([]string{"-_score", "_id"})
		sr, err := idx.Search(req)
		require.NoError(t, err, tc.q)
		var want, mine []string
		for _, h := range sr.Hits {
			want = append(want, h.ID)
		}
		order := make([]scored, len(got.ids))
		for i, e := range got.ids {
			order[i] = scored{e, got.sc[i]}
		}
		slices.SortFunc(order, func(a, b scored) int {
			if better(a, b) {
				return -1
			}
			return 1
		})
		for _, o := range order {
			mine = append(mine, ids[o.e])
		}
		assert.ElementsMatch(t, want, mine, "%q: the entries found", tc.q)
		if tc.ranked && len(want) > 0 {
			n := min(10, len(want))
			assert.Equal(t, want[:n], mine[:min(n, len(mine))], "%q: the first hits in order", tc.q)
		}
	}
}

// FuzzSegment opens damaged segments (their checksum made right again, so that the damage
// reaches the reader) and searches them: each search answers or fails, never panics.
func FuzzSegment(f *testing.F) {
	s, _, an := sampleSegment(f)
	good := slices.Clone(s.data)
	f.Add(uint32(100), byte(1), uint32(0))
	f.Add(uint32(len(good)-60), byte(0xff), uint32(7))
	f.Add(uint32(len(good)/2), byte(0x80), uint32(1000))
	queries := []string{"notice", `"user entry"`, "assess*", "panel -heading:panel", "threshhold~1", "clause:H1.1", "/notic(e|es)/"}
	analyse, err := newAnalyser()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, at uint32, x byte, at2 uint32) {
		b := slices.Clone(good)
		b[int(at)%len(b)] ^= x
		b[int(at2)%len(b)] ^= x >> 1
		// Make the checksum right again.
		const tail = 4 + len(segMagic)
		fl := int(binary.LittleEndian.Uint32(b[len(b)-tail:]))
		if fl > 4 && fl < len(b)-tail {
			body := b[:len(b)-tail-fl]
			binary.LittleEndian.PutUint32(b[len(b)-tail-4:], crc32.ChecksumIEEE(body))
		}
		seg, err := parseSegment(b, nil)
		if err != nil {
			return
		}
		v := &view{seg: seg}
		for _, q := range queries {
			r := Request{Query: q, analyse: analyse, Today: today, Size: 5}
			pq, _, err := buildQuery(r)
			if err != nil {
				continue
			}
			_, _ = run(context.Background(), v, pq, r, an, nil)
			r.AllVersions = true
			_, _ = run(context.Background(), v, pq, r, an, nil)
		}
	})
}

// The quick way of finding the words to mark marks what analysing the whole text marks.
func TestQuickMarksAsFullAnalysis(t *testing.T) {
	s, entries, an := sampleSegment(t)
	analyse, err := newAnalyser()
	require.NoError(t, err)
	for _, q := range []string{"notice", "supply obligations", `"party's obligations"`, "vulnerabilities", "meter*", "certif*", "smart metering equipment", "shall not"} {
		ev := newEvaluator(context.Background(), s, an, nil)
		pq, _, err := buildQuery(Request{Query: q, analyse: analyse})
		require.NoError(t, err)
		_, err = ev.eval(pq)
		require.NoError(t, err)
		for _, e := range entries {
			var full [][2]int
			for _, tk := range an.legal.Analyze([]byte(e.Text)) {
				if ev.marks[string(tk.Term)] || ev.exact[strings.ToLower(e.Text[tk.Start:tk.End])] {
					full = append(full, [2]int{tk.Start, tk.End})
				}
			}
			assert.Equal(t, full, ev.quickMarks(e.Text), "%q in %s", q, e.ID())
		}
	}
}
