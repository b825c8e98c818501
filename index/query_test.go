package index

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // text, with its sign first and "OR" for the keyword
	}{
		{"within five working days", []string{"within", "five", "working", "days"}},
		{`"user entry" +smki -ceremony`, []string{`"user entry"`, "+smki", "-ceremony"}},
		{"meter OR metering or x", []string{"meter", "OR", "metering", "or", "x"}},
		{`heading:"user entry" /tamp.r/ tamper~1`, []string{`heading:"user entry"`, "/tamp.r/", "tamper~1"}},
		{`"unclosed phrase`, []string{`"unclosed phrase`}},
		{"  ", nil},
	} {
		var got []string
		for _, tk := range tokenize(c.in) {
			s := tk.text
			if tk.sign != 0 {
				s = string(tk.sign) + s
			}
			got = append(got, s)
		}
		assert.Equal(t, c.want, got, c.in)
	}
}

// Every word is required unless joined by OR; stop words are not required.
func TestAllWordsRequired(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	words := []string{"within", "five", "working", "days"}
	all := find(t, m, Request{Query: strings.Join(words, " "), Visible: vis, Size: 100})
	require.Positive(t, all.Total)
	assert.False(t, all.AnyWord)
	for _, w := range words {
		one := find(t, m, Request{Query: w, Visible: vis, Size: 1})
		assert.LessOrEqual(t, all.Total, one.Total, w)
	}
	for _, h := range all.Hits {
		s := strings.ToLower(h.Snippet + " " + h.Heading)
		assert.Contains(t, s, "five", h.Clause)
		assert.Contains(t, s, "working", h.Clause)
	}
	// A stop word does not empty the result.
	with := find(t, m, Request{Query: "within the five working days", Visible: vis, Size: 1})
	assert.Equal(t, all.Total, with.Total)

	// OR keeps alternatives: the union of the two.
	a := find(t, m, Request{Query: "arbitration", Visible: vis, Size: 1}).Total
	b := find(t, m, Request{Query: "negligence", Visible: vis, Size: 1}).Total
	bothRes := find(t, m, Request{Query: "arbitration negligence", Visible: vis, Size: 1, OrElseAnyWord: true})
	both := bothRes.Total
	if bothRes.AnyWord {
		both = 0 // no clause has both
	}
	either := find(t, m, Request{Query: "arbitration OR negligence", Visible: vis, Size: 1}).Total
	assert.Equal(t, a+b-both, either)
	assert.Less(t, both, either)

	// -excluded still excludes.
	ex := find(t, m, Request{Query: "arbitration -negligence", Visible: vis, Size: 1}).Total
	assert.Equal(t, a-both, ex)

	// No clause has every word: the clauses with any of them, marked.
	anyRes := find(t, m, Request{Query: "arbitration zzqxnotaword", Visible: vis, Size: 1, OrElseAnyWord: true})
	assert.True(t, anyRes.AnyWord)
	assert.Equal(t, a, anyRes.Total)
	// Not unless asked, and never for a query with signs, phrases or OR: they ask for
	// something the any-word answer would not keep.
	for _, r := range []Request{
		{Query: "arbitration zzqxnotaword"},
		{Query: "+arbitration +zzqxnotaword", OrElseAnyWord: true},
		{Query: `arbitration "zzqx notaword"`, OrElseAnyWord: true},
	} {
		r.Visible, r.Size = vis, 1
		res := find(t, m, r)
		assert.False(t, res.AnyWord, r.Query)
		assert.Zero(t, res.Total, r.Query)
	}
}

func TestDidYouMean(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	res := find(t, m, Request{Query: "secuirty assesment", Visible: vis})
	assert.Equal(t, "security assessment", res.DidYouMean)
	fixed := find(t, m, Request{Query: res.DidYouMean, Visible: vis})
	assert.Positive(t, fixed.Total)
	// Words that are in the index get no suggestion.
	assert.Empty(t, find(t, m, Request{Query: "security assessment", Visible: vis}).DidYouMean)
	assert.Empty(t, find(t, m, Request{Query: "zzqxnotaword", Visible: vis}).DidYouMean)
	assert.Equal(t, 2, editDistance("secuirty", "security"))
	assert.Equal(t, 1, editDistance("assesment", "assessment"))
	assert.Equal(t, 0, editDistance("", ""))
}

// The party facet counts, with or without a party chosen, are the totals their links give.
func TestPartyFacetMatchesLinks(t *testing.T) {
	c, m := sample(t)
	vis := public(c)
	for _, chosen := range []string{"", "small-supplier"} {
		for _, q := range []string{"security assessment", "consent"} {
			base := find(t, m, Request{Query: q, Visible: vis, Party: chosen, Size: 1})
			require.NotEmpty(t, base.Facets["party"], q)
			for _, f := range base.Facets["party"] {
				if f.Value == "all" {
					continue
				}
				res := find(t, m, Request{Query: q, Visible: vis, Party: f.Value, Size: 1})
				assert.Equal(t, res.Total, f.Count, "%q for %s (chosen %q)", q, f.Value, chosen)
			}
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{`a "b c" -d +e f OR g`, `heading:"x`, `/re\/x/ y`, `+`, `-"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		for _, tk := range tokenize(s) {
			if tk.text == "" {
				t.Fatalf("empty token from %q", s)
			}
			assert.True(t, strings.Contains(s, tk.text), "token %q not in %q", tk.text, s)
		}
		_, _ = userQuery(s, nil)
	})
}
