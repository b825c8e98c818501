package redline

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// sectionA reads the sample's Section A (its definitions are the table of A1.1), body only.
func sectionA(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDocs, "section-a", "3.0.md"))
	require.NoError(t, err)
	_, body, _, _, _ := legaltext.FrontMatter(data)
	return string(body)
}

// Each definition of Section A1.1 is a row of its table: changing two of them is two
// changes, each named by its term, in the items, the summary, the JSON and the HTML.
func TestDefinitionRowsAreChanges(t *testing.T) {
	old := sectionA(t)
	new := strings.NewReplacer(
		"| **Change Sub-Committee** | means the Sub-Committee established under Section C6.7. |",
		"| **Change Sub-Committee** | means the Sub-Committee established under Section C6.8. |",
		"| **Code** | means this Smart Energy Code,",
		"| **Code** | means the Smart Energy Code,",
	).Replace(old)
	require.NotEqual(t, old, new)
	r := checkLaw(t, "two definitions", legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))

	items := r.Items()
	require.Len(t, items, 2, "%+v", items)
	for k, term := range []string{"Change Sub-Committee", "Code"} {
		assert.Equal(t, term, items[k].Term)
		assert.Equal(t, ChangeChanged, items[k].Kind)
		assert.Equal(t, "A1.1", items[k].Label)
		assert.Positive(t, items[k].Line)
	}
	assert.Equal(t, items[0].Change, items[1].Change, "both in the one change of A1.1")
	assert.Equal(t, 1, r.Summary.Clauses.Changed, "one clause changed")
	assert.Equal(t, 2, r.Summary.Changes.Changed, "two changes")
	assert.Equal(t, r.Summary.Clauses.Unchanged, r.Summary.Changes.Unchanged)

	var js bytes.Buffer
	require.NoError(t, WriteJSON(&js, r))
	var got struct {
		Summary struct {
			Changes map[string]int `json:"changes"`
		} `json:"summary"`
		Changes []struct {
			Change int    `json:"change"`
			Line   int    `json:"line"`
			Kind   string `json:"kind"`
			Label  string `json:"label"`
			Term   string `json:"term"`
			Anchor string `json:"anchor"`
		} `json:"changes"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	assert.Equal(t, 2, got.Summary.Changes["changed"])
	require.Len(t, got.Changes, 2)
	assert.Equal(t, "Change Sub-Committee", got.Changes[0].Term)
	assert.Equal(t, "Code", got.Changes[1].Term)
	assert.Equal(t, "changed", got.Changes[0].Kind)

	page := renderHTML(t, r, HTMLOptions{})
	assert.Contains(t, page, "<h2>Changes (2)</h2>")
	assert.Contains(t, page, `<p class="rl-summary">2 changes: 0 added, 0 deleted, 2 changed,`)
	for _, c := range got.Changes {
		assert.Contains(t, page, `<a href="#`+c.Anchor+`">row `+c.Term+`: changed</a>`)
		assert.Contains(t, page, `id="`+c.Anchor+`"`, "the JSON's anchor is the row's id in the HTML")
	}
}

// How a changed block splits into changes.
func TestItemsOf(t *testing.T) {
	row := func(kind Change, ops ...Op) Line { return Line{Kind: kind, Style: StyleRow, Ops: ops} }
	eq := func(s string) Op { return Op{Kind: OpEqual, Text: s} }
	text := Line{Ops: []Op{eq("A1.1 Defined terms:")}}
	cases := []struct {
		name  string
		b     Block
		kinds []Change // of the items, in order
		terms []string
	}{
		{"a row inserted, one changed, one deleted",
			Block{Kind: ChangeChanged, NewID: "A1.1", OldID: "A1.1", Change: 1, Lines: []Line{text,
				row(ChangeEqual, eq("Term | Meaning")),
				row(ChangeInserted, Op{Kind: OpInsert, Text: "New | means new"}),
				row(ChangeEqual, eq("Kept | means "), Op{Kind: OpDelete, Text: "x"}, Op{Kind: OpInsert, Text: "y"}),
				row(ChangeDeleted, Op{Kind: OpDelete, Text: "Gone | means gone"})}},
			[]Change{ChangeInserted, ChangeChanged, ChangeDeleted}, []string{"New", "Kept", "Gone"}},
		{"the text outside the table changed too",
			Block{Kind: ChangeChanged, NewID: "A1.1", Change: 1, Lines: []Line{
				{Ops: []Op{eq("A1.1 "), {Kind: OpInsert, Text: "All "}, eq("Defined terms:")}},
				row(ChangeInserted, Op{Kind: OpInsert, Text: "New | means new"})}},
			[]Change{ChangeChanged, ChangeInserted}, []string{"", "New"}},
		{"no row changed", Block{Kind: ChangeChanged, NewID: "H1.1", Change: 2, Lines: []Line{{Ops: []Op{{Kind: OpInsert, Text: "x"}}}}},
			[]Change{ChangeChanged}, []string{""}},
		{"inserted whole", Block{Kind: ChangeInserted, NewID: "A1.2", Change: 3, Lines: []Line{row(ChangeInserted, Op{Kind: OpInsert, Text: "a | b"})}},
			[]Change{ChangeInserted}, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var kinds []Change
			var terms []string
			for _, it := range itemsOf(c.b) {
				kinds = append(kinds, it.Kind)
				terms = append(terms, it.Term)
				assert.Equal(t, c.b.Change, it.Change)
			}
			assert.Equal(t, c.kinds, kinds)
			assert.Equal(t, c.terms, terms)
		})
	}
}

// firstWords reads only the start of a long paragraph; it names a block exactly as reading
// the whole of it would.
func TestFirstWordsReadsOnlyTheStart(t *testing.T) {
	whole := func(b Block, n int) string {
		var words []string
		for _, l := range b.Lines {
			words = append(words, strings.Fields(l.text(OpInsert))...)
			if len(words) == 0 {
				words = append(words, strings.Fields(l.text(OpDelete))...)
			}
			if len(words) >= n {
				break
			}
		}
		if len(words) > n {
			return strings.Join(words[:n], " ") + "…"
		}
		return strings.Join(words, " ")
	}
	pieces := []string{"a", "word ", " ", "   ", strings.Repeat("long", 40), "x y z ", "é\u00a0ü", "\t", ""}
	for seed := range 3000 {
		rng := rand.New(rand.NewPCG(uint64(seed), 9))
		var b Block
		for range 1 + rng.IntN(3) {
			var l Line
			for range rng.IntN(30) {
				l.Ops = append(l.Ops, Op{Kind: OpKind(rng.IntN(3)), Text: pieces[rng.IntN(len(pieces))]})
			}
			b.Lines = append(b.Lines, l)
		}
		n := 1 + rng.IntN(10)
		require.Equal(t, whole(b, n), firstWords(b, n), "seed %d", seed)
	}
}
