package merge

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

const baseDoc = `# Section Z: Test

An introduction to the Section.

## Z1 Part One {#Z1}

**Z1.1** The DCC shall publish the guide within 30 days of the request.

**Z1.2** A Party may ask the Panel for a determination.

**Z1.3** The Panel shall decide within 10 Working Days:

- (a) after hearing each Party; and
- (b) after consulting the Code Administrator.

## Z2 Part Two {#Z2}

**Z2.1** This Section Z2 applies to every Party.
`

// rewrite returns baseDoc with each pair of old, new replaced once (old must be there).
func rewrite(t *testing.T, pairs ...string) string {
	t.Helper()
	s := baseDoc
	for i := 0; i+1 < len(pairs); i += 2 {
		require.Contains(t, s, pairs[i])
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func merge3(base, ours, theirs string) *Result {
	return MergeMarkdown([]byte(base), []byte(ours), []byte(theirs))
}

func explicitIDs(d *legaltext.Doc) []string {
	var out []string
	for _, n := range d.Nodes {
		if n.Explicit {
			out = append(out, n.ID)
		}
	}
	return out
}

func TestMerge(t *testing.T) {
	const z11 = "**Z1.1** The DCC shall publish the guide within 30 days of the request."
	const z12 = "**Z1.2** A Party may ask the Panel for a determination.\n\n"
	cases := []struct {
		name         string
		ours, theirs string
		want         string // the merged text, when clean
		conflicts    []Conflict
		ids          []string // the ids of the merged text, when they differ from the base's
	}{
		{
			name:   "different words of one clause",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, "shall publish the guide", "shall issue the guide"),
			want:   rewrite(t, "within 30 days", "within 45 days", "shall publish the guide", "shall issue the guide"),
		},
		{
			name:   "different clauses",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, "Working Days", "Business Days"),
			want:   rewrite(t, "within 30 days", "within 45 days", "Working Days", "Business Days"),
		},
		{
			name:   "the same change on both sides",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, "within 30 days", "within 45 days", "Z2 applies", "Z2 applies only"),
			want:   rewrite(t, "within 30 days", "within 45 days", "Z2 applies", "Z2 applies only"),
		},
		{
			name:   "the same words changed differently",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, "within 30 days", "within 60 days"),
			conflicts: []Conflict{{Clause: "Z1.1", Kind: KindWords, Base: z11,
				Ours:   strings.Replace(z11, "30", "45", 1),
				Theirs: strings.Replace(z11, "30", "60", 1)}},
			want: rewrite(t, "within 30 days", "within 45 days"),
		},
		{
			name:   "changes to neighbouring words meet",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, "30 days of", "30 Working Days of"),
			conflicts: []Conflict{{Clause: "Z1.1", Kind: KindWords, Base: z11,
				Ours:   strings.Replace(z11, "30", "45", 1),
				Theirs: strings.Replace(z11, "days", "Working Days", 1)}},
			want: rewrite(t, "within 30 days", "within 45 days"),
		},
		{
			name:   "an insertion next to a change of the other side, with a word between",
			ours:   rewrite(t, "shall publish", "shall promptly publish"),
			theirs: rewrite(t, "the guide within", "the guidance within"),
			want:   rewrite(t, "shall publish", "shall promptly publish", "the guide within", "the guidance within"),
		},
		{
			name:   "deleted on one side, unchanged on the other",
			ours:   rewrite(t, z12, ""),
			theirs: rewrite(t, "within 30 days", "within 45 days"),
			want:   rewrite(t, z12, "", "within 30 days", "within 45 days"),
			ids:    []string{"Z1", "Z1.1", "Z1.3", "Z2", "Z2.1"},
		},
		{
			name:   "deleted on one side, changed on the other",
			ours:   rewrite(t, "may ask the Panel", "may ask the Change Board"),
			theirs: rewrite(t, z12, ""),
			conflicts: []Conflict{{Clause: "Z1.2", Kind: KindDeleted, Base: strings.TrimSpace(z12),
				Ours: "**Z1.2** A Party may ask the Change Board for a determination."}},
			want: rewrite(t, "may ask the Panel", "may ask the Change Board"),
		},
		{
			name:   "added on both sides, the same",
			ours:   baseDoc + "\n**Z2.2** New text.\n",
			theirs: baseDoc + "\n**Z2.2** New text.\n",
			want:   baseDoc + "\n**Z2.2** New text.\n",
			ids:    []string{"Z1", "Z1.1", "Z1.2", "Z1.3", "Z2", "Z2.1", "Z2.2"},
		},
		{
			name:      "added on both sides, different",
			ours:      baseDoc + "\n**Z2.2** New text.\n",
			theirs:    baseDoc + "\n**Z2.2** Other text.\n",
			conflicts: []Conflict{{Clause: "Z2.2", Kind: KindAdded, Ours: "**Z2.2** New text.", Theirs: "**Z2.2** Other text."}},
			want:      baseDoc + "\n**Z2.2** New text.\n",
			ids:       []string{"Z1", "Z1.1", "Z1.2", "Z1.3", "Z2", "Z2.1", "Z2.2"},
		},
		{
			name:   "added at the same place on both sides, different ids: ours first",
			ours:   rewrite(t, z12, z12+"**Z1.2A** Ours.\n\n"),
			theirs: rewrite(t, z12, z12+"**Z1.2B** Theirs.\n\n"),
			want:   rewrite(t, z12, z12+"**Z1.2A** Ours.\n\n**Z1.2B** Theirs.\n\n"),
			ids:    []string{"Z1", "Z1.1", "Z1.2", "Z1.2A", "Z1.2B", "Z1.3", "Z2", "Z2.1"},
		},
		{
			name:   "moved on one side, changed on the other",
			ours:   rewrite(t, "within 30 days", "within 45 days"),
			theirs: rewrite(t, z12, "", z11, z12+z11),
			want:   rewrite(t, z12, "", z11, z12+strings.Replace(z11, "30", "45", 1)),
			ids:    []string{"Z1", "Z1.2", "Z1.1", "Z1.3", "Z2", "Z2.1"},
		},
		{
			name:   "a sub-paragraph changed on each side",
			ours:   rewrite(t, "hearing each Party", "hearing every Party"),
			theirs: rewrite(t, "consulting the Code", "consulting the SEC Code"),
			want:   rewrite(t, "hearing each Party", "hearing every Party", "consulting the Code", "consulting the SEC Code"),
		},
		{
			name:   "a sub-paragraph added on one side, words changed on the other",
			ours:   rewrite(t, "each Party; and", "each Party;\n- (c) after a hearing; and"),
			theirs: rewrite(t, "10 Working Days", "15 Working Days"),
			want:   rewrite(t, "each Party; and", "each Party;\n- (c) after a hearing; and", "10 Working Days", "15 Working Days"),
		},
		{
			name:   "the title and introduction",
			ours:   rewrite(t, "An introduction", "A short introduction"),
			theirs: rewrite(t, "Section Z: Test", "Section Z: Testing"),
			want:   rewrite(t, "An introduction", "A short introduction", "Section Z: Test", "Section Z: Testing"),
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := merge3(baseDoc, c.ours, c.theirs)
			assert.Equal(t, append([]Conflict{}, c.conflicts...), r.Conflicts)
			assert.Equal(t, c.want, r.Text)
			ids := c.ids
			if ids == nil {
				ids = []string{"Z1", "Z1.1", "Z1.2", "Z1.3", "Z2", "Z2.1"}
			}
			assert.Equal(t, ids, explicitIDs(r.Doc), "the merged text parses into the merged ids")
			assert.Empty(t, r.Doc.Problems)
			assert.Equal(t, len(c.conflicts) == 0, r.Clean())

			// Swapping the sides gives the same conflicts, ours and theirs swapped.
			sw := merge3(baseDoc, c.theirs, c.ours)
			assert.Equal(t, swapped(r.Conflicts), sortedConflicts(sw.Conflicts))
		})
	}
}

func TestMergeMovedBothWays(t *testing.T) {
	z11 := "**Z1.1** The DCC shall publish the guide within 30 days of the request.\n\n"
	z12 := "**Z1.2** A Party may ask the Panel for a determination.\n\n"
	// Ours moves Z1.1 after Z1.2; theirs moves Z2.1 to the start of Part Z1.
	ours := rewrite(t, z11, "", z12, z12+z11)
	theirs := rewrite(t, "**Z2.1** This Section Z2 applies to every Party.\n", "", "{#Z1}\n\n", "{#Z1}\n\n**Z2.1** This Section Z2 applies to every Party.\n\n")
	r := merge3(baseDoc, ours, theirs)
	require.NotEmpty(t, r.Conflicts)
	for _, c := range r.Conflicts {
		assert.Equal(t, KindMoved, c.Kind)
	}
	assert.Equal(t, explicitIDs(legaltext.Parse([]byte(ours))), explicitIDs(r.Doc), "ours' order is kept")

	// Moved the same way on both sides: no conflict.
	r = merge3(baseDoc, ours, ours)
	assert.Empty(t, r.Conflicts)
	assert.Equal(t, ours, r.Text)
}

func TestMergeStructure(t *testing.T) {
	// Each side's words are harmless alone; together they start a paragraph with a clause
	// number, which would make a new clause that neither side wrote.
	base := "**A1.1** foo bold **b12** bar.\n"
	ours := "**A1.1** foo\n\n**b12** bar.\n"
	theirs := "**A1.1** foo bold **B12** bar.\n"
	r := merge3(base, ours, theirs)
	require.Len(t, r.Conflicts, 1)
	assert.Equal(t, KindStructure, r.Conflicts[0].Kind)
	assert.Equal(t, "A1.1", r.Conflicts[0].Clause)
	assert.Equal(t, ours, r.Text, "the clause keeps ours")
	assert.Equal(t, []string{"A1.1"}, explicitIDs(r.Doc))
}

func TestMergeNil(t *testing.T) {
	r := Merge(nil, nil, nil)
	assert.Equal(t, "", r.Text)
	assert.Empty(t, r.Conflicts)

	r = Merge(nil, nil, legaltext.Parse([]byte(baseDoc)))
	assert.Equal(t, baseDoc, r.Text)
	assert.Empty(t, r.Conflicts)
}

func TestMergeLineEndings(t *testing.T) {
	crlf := strings.ReplaceAll(rewrite(t, "within 30 days", "within 45 days"), "\n", "\r\n")
	r := merge3(baseDoc, rewrite(t, "Working Days", "Business Days"), crlf)
	assert.Empty(t, r.Conflicts)
	assert.Equal(t, rewrite(t, "within 30 days", "within 45 days", "Working Days", "Business Days"), r.Text)
}

func TestMergeWords(t *testing.T) {
	cases := []struct {
		base, ours, theirs, want string
		ok                       bool
	}{
		{"a b c d e", "a X c d e", "a b c Y e", "a X c Y e", true},
		{"a b c d e", "a X c d e", "a b Y d e", "", false},         // meet: only a space between
		{"a b c d e", "a X c d e", "a X c d e", "a X c d e", true}, // identical
		{"a b c", "a b c Z", "Y a b c", "Y a b c Z", true},
		{"a b c", "a b Z c", "a b Y c", "", false}, // two insertions at one place
		{"a, b", "X, b", "a, Y", "X, Y", true},     // a punctuation mark between
		{"", "x", "x", "x", true},
		{"", "x", "y", "", false},
		{"a\nb", "a b", "a\nB", "", false}, // a rewrap meets a change
	}
	for _, c := range cases {
		got, ok := mergeWords(c.base, c.ours, c.theirs)
		assert.Equal(t, c.ok, ok, "%q %q %q", c.base, c.ours, c.theirs)
		assert.Equal(t, c.want, got, "%q %q %q", c.base, c.ours, c.theirs)
		got2, ok2 := mergeWords(c.base, c.theirs, c.ours)
		assert.Equal(t, ok, ok2, "symmetric")
		assert.Equal(t, got, got2, "symmetric")
	}
}
