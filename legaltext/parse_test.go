package legaltext

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKindString(t *testing.T) {
	assert.Equal(t, "heading", KindHeading.String())
	assert.Equal(t, "clause", KindClause.String())
	assert.Equal(t, "block", KindBlock.String())
	assert.Equal(t, "block", Kind(42).String())
}

func TestClauseDetection(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // clause ids
	}{
		{"bold number opens a paragraph", "**H1.1** A Party shall.\n", []string{"H1.1"}},
		{"several clauses", "**H1.1** One.\n\n**H1.2** Two.\n\n**H1.10** Ten.\n", []string{"H1.1", "H1.2", "H1.10"}},
		{"underscore bold", "__H1.1__ text\n", []string{"H1.1"}},
		{"number alone", "**H1.1**\n", []string{"H1.1"}},
		{"number with a letter", "**H1.2A** inserted clause\n", []string{"H1.2A"}},
		{"several levels", "**H1.2.3** deep\n", []string{"H1.2.3"}},
		{"number without prefix", "**1.1** plain numbering\n", []string{"1.1"}},
		{"bold not at paragraph start", "As set out in **H1.1** here.\n", nil},
		{"bold after leading text on the line", "Note: **H1.1** text\n", nil},
		{"bold text not a number", "**Short version:** not a clause\n", nil},
		{"bold word and number", "**Clause H1.1** text\n", nil},
		{"bold number with a title", "**H1.1 Title** text\n", nil},
		{"bold mixed", "**H1.1** **more**\n", []string{"H1.1"}},
		{"lower case", "**h1.1** text\n", nil},
		{"too many letters", "**ABCDEF1.1** text\n", nil},
		{"trailing dot", "**H1.1.** text\n", nil},
		{"italic number", "*H1.1* text\n", nil},
		{"code number", "`H1.1` text\n", nil},
		{"in a list item", "- **H1.1** text\n", nil},
		{"in a heading", "## **H1.1** text\n", nil},
		{"in a block quote", "> **H1.1** text\n", nil},
		{"after a heading", "## H1 Part {#H1}\n\n**H1.1** text\n", []string{"H1.1"}},
		{"second paragraph line", "Some text\n**H1.1** text\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			got := ids(d.Clauses())
			if tt.want == nil {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, tt.want, got)
			}
			for _, c := range d.Clauses() {
				assert.True(t, c.Explicit, "a clause id is written by the author")
				assert.Equal(t, 0, c.Level)
				assert.True(t, strings.HasPrefix(c.Text, c.ID), "clause text %q starts with its number", c.Text)
			}
		})
	}
}

// nodeDoc exercises kinds, ids, paths, parts, applicability and lines together.
const nodeDoc = `# Section H: DCC Services

Introduction to the section.

## H1 User Entry Process {#H1 parties="large-supplier small-supplier"}

### Becoming a User

**H1.1** A Party shall complete the User Entry Process set out in this
Section H1 before it sends a Service Request.

**H1.2** {parties="dcc"} The DCC shall:

- (a) publish a guide; and
- (b) keep it:
  - (i) up to date; and
  - (ii) available.

A trailing paragraph of H1.2.

## H3 DCC User Gateway {#H3}

**H3.1** Text of H3.1.

### Notes

**H3.2** {parties="all"} Text of H3.2.
`

type nodeWant struct {
	kind       Kind
	id         string
	explicit   bool
	level      int
	number     string
	title      string
	path       []string
	part       string
	parties    []string
	partiesSet bool
	line       int
}

func TestParseNodes(t *testing.T) {
	d := Parse([]byte(nodeDoc))
	require.Empty(t, d.Problems)
	assert.Equal(t, "Section H: DCC Services", d.Title)
	ls := []string{"large-supplier", "small-supplier"}
	h1 := "H1 User Entry Process"
	want := []nodeWant{
		{KindHeading, "title", false, 1, "", "Section H: DCC Services", nil, "", nil, false, 1},
		{KindBlock, "p-1", false, 0, "", "", nil, "", nil, false, 3},
		{KindHeading, "H1", true, 2, "H1", "User Entry Process", nil, "", ls, true, 5},
		{KindHeading, "becoming-a-user", false, 3, "", "Becoming a User", []string{h1}, "H1", ls, false, 7},
		{KindClause, "H1.1", true, 0, "", "", []string{h1, "Becoming a User"}, "H1", ls, false, 9},
		{KindClause, "H1.2", true, 0, "", "", []string{h1, "Becoming a User"}, "H1", []string{"dcc"}, true, 12},
		{KindHeading, "H3", true, 2, "H3", "DCC User Gateway", nil, "", nil, false, 21},
		{KindClause, "H3.1", true, 0, "", "", []string{"H3 DCC User Gateway"}, "H3", nil, false, 23},
		{KindHeading, "notes", false, 3, "", "Notes", []string{"H3 DCC User Gateway"}, "H3", nil, false, 25},
		{KindClause, "H3.2", true, 0, "", "", []string{"H3 DCC User Gateway", "Notes"}, "H3", []string{"all"}, true, 27},
	}
	require.Len(t, d.Nodes, len(want), "ids %v", ids(d.Nodes))
	for i, w := range want {
		n := d.Nodes[i]
		t.Run(w.id, func(t *testing.T) {
			assert.Equal(t, w.kind, n.Kind, "Kind")
			assert.Equal(t, w.id, n.ID, "ID")
			assert.Equal(t, w.explicit, n.Explicit, "Explicit")
			assert.Equal(t, w.level, n.Level, "Level")
			assert.Equal(t, w.number, n.Number, "Number")
			assert.Equal(t, w.title, n.Title, "Title")
			assert.Equal(t, w.path, n.Path, "Path")
			assert.Equal(t, w.part, n.Part, "Part")
			assert.Equal(t, w.parties, n.Parties, "Parties")
			assert.Equal(t, w.partiesSet, n.PartiesSet, "PartiesSet")
			assert.Equal(t, w.line, n.Line, "Line")
			assert.True(t, strings.HasPrefix(nodeDoc[lineOffset(nodeDoc, n.Line):], firstLine(n.Source)) || n.Line == 1,
				"Line %d is where the node's source starts", n.Line)
		})
	}
	h12 := d.Node("H1.2")
	assert.Equal(t, []string{"H1.2(a)", "H1.2(b)", "H1.2(b)(i)", "H1.2(b)(ii)"}, h12.SubIDs)
	assert.Contains(t, h12.Text, "A trailing paragraph of H1.2.", "blocks after a clause belong to it")
	assert.NotContains(t, h12.Text, "parties", "the attribute is not text")
	assert.True(t, strings.HasPrefix(h12.Text, "H1.2 The DCC shall:"), h12.Text)
	assert.Equal(t, "H1 User Entry Process", d.Node("H1").Text)
	assert.Equal(t, []string{"H1.1", "H1.2", "H3.1", "H3.2"}, ids(d.Clauses()))
	assert.Nil(t, d.Node("H9"))
	assert.Equal(t, nodeDoc, d.Source())
}

// lineOffset is the byte offset of 1-based line n of s.
func lineOffset(s string, n int) int {
	off := 0
	for i := 1; i < n; i++ {
		k := strings.IndexByte(s[off:], '\n')
		if k < 0 {
			return len(s)
		}
		off += k + 1
	}
	return off
}

func firstLine(s string) string {
	s = strings.TrimLeft(s, "\n")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func TestParseSampleSectionH(t *testing.T) {
	d := Parse(sampleH(t))
	require.Empty(t, d.Problems)
	assert.Equal(t, "Section H: DCC Services", d.Title)
	var parts []string
	for _, n := range d.Nodes {
		if n.Kind == KindHeading && n.Explicit {
			parts = append(parts, n.ID)
		}
	}
	assert.Equal(t, []string{"H1", "H3", "H4", "H8", "H13", "H14"}, parts)
	cl := d.Clauses()
	assert.Len(t, cl, 17+7+7+6+6+6)
	assert.Equal(t, "H1.1", cl[0].ID)
	assert.Equal(t, "H14.6", cl[len(cl)-1].ID)

	tests := []struct {
		id      string
		parties []string
		set     bool
		path    []string
		subs    []string
	}{
		{"H1.1", []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other"}, false,
			[]string{"H1 User Entry Process", "Becoming a User"}, nil},
		{"H1.2", []string{"all"}, true, []string{"H1 User Entry Process", "Becoming a User"}, nil},
		{"H1.5", []string{"dcc"}, true, []string{"H1 User Entry Process", "Applications"}, []string{"H1.5(a)", "H1.5(b)"}},
		{"H1.15", []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other"}, false,
			[]string{"H1 User Entry Process", "Additional User Roles and Guidance"},
			[]string{"H1.15(a)", "H1.15(b)", "H1.15(b)(i)", "H1.15(b)(ii)"}},
		{"H3.1", []string{"dcc"}, true, []string{"H3 DCC User Gateway"}, nil},
		{"H4.1", []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other"}, true,
			[]string{"H4 Processing Service Requests"}, []string{"H4.1(a)", "H4.1(b)", "H4.1(c)"}},
		{"H13.1", []string{"dcc"}, false, []string{"H13 Performance Standards and Reporting"}, nil},
		{"H13.4", []string{"all"}, true, []string{"H13 Performance Standards and Reporting"}, nil},
	}
	for _, tt := range tests {
		n := d.Node(tt.id)
		require.NotNil(t, n, tt.id)
		assert.Equal(t, tt.parties, n.Parties, "%s parties", tt.id)
		assert.Equal(t, tt.set, n.PartiesSet, "%s PartiesSet", tt.id)
		assert.Equal(t, tt.path, n.Path, "%s path", tt.id)
		assert.Equal(t, tt.subs, n.SubIDs, "%s sub-paragraphs", tt.id)
		for _, s := range tt.subs {
			assert.True(t, d.HasAnchor(s), s)
		}
	}
	h13 := d.Node("H13")
	assert.Equal(t, "H13", h13.Number)
	assert.Equal(t, "Performance Standards and Reporting", h13.Title)
	assert.Equal(t, []string{"dcc"}, h13.Parties)
	assert.True(t, h13.PartiesSet)
}

// Every version of the sample corpus parses without problems, with unique anchors.
func TestCorpusParsesCleanly(t *testing.T) {
	for _, f := range versionFiles(t) {
		name, _ := filepath.Rel(corpusDir, f)
		d := Parse(readBody(t, f))
		assert.Empty(t, d.Problems, name)
		seen := map[string]bool{}
		for _, n := range d.Nodes {
			for _, id := range append([]string{n.ID}, n.SubIDs...) {
				assert.False(t, seen[id], "%s: anchor %q used twice", name, id)
				seen[id] = true
			}
		}
	}
}

func TestApplicability(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		id      string
		parties []string
		set     bool
	}{
		{"document default", "**A1.1** text\n", "A1.1", nil, false},
		{"part without attribute", "## A1 Part {#A1}\n\n**A1.1** text\n", "A1.1", nil, false},
		{"inherited from the part", "## A1 Part {#A1 parties=\"dcc other\"}\n\n**A1.1** text\n", "A1.1", []string{"dcc", "other"}, false},
		{"the part itself", "## A1 Part {#A1 parties=\"dcc other\"}\n\n**A1.1** text\n", "A1", []string{"dcc", "other"}, true},
		{"clause overrides the part", "## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** {parties=\"other\"} text\n", "A1.1", []string{"other"}, true},
		{"clause all", "## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** {parties=\"all\"} text\n", "A1.1", []string{"all"}, true},
		{"unquoted clause value", "**A1.1** {parties=dcc} text\n", "A1.1", []string{"dcc"}, true},
		{"spaces in the attribute", "**A1.1** { parties = \"dcc   other\" } text\n", "A1.1", []string{"dcc", "other"}, true},
		{"attribute on the next line", "**A1.1** {parties=\"dcc\"}\ntext\n", "A1.1", []string{"dcc"}, true},
		{"sub-heading inherits the part", "## A1 Part {#A1 parties=\"dcc\"}\n\n### Group\n\n**A1.1** text\n", "group", []string{"dcc"}, false},
		{"clause under a sub-heading", "## A1 Part {#A1 parties=\"dcc\"}\n\n### Group\n\n**A1.1** text\n", "A1.1", []string{"dcc"}, false},
		{"sub-heading with its own attribute", "## A1 Part {#A1 parties=\"dcc\"}\n\n### Group {parties=\"other\"}\n\n**A1.1** text\n", "A1.1", []string{"other"}, false},
		{"next part does not inherit", "## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** x\n\n## A2 Part {#A2}\n\n**A2.1** text\n", "A2.1", nil, false},
		{"sub-heading ends, part stays", "## A1 Part {#A1 parties=\"dcc\"}\n\n### G {parties=\"other\"}\n\n**A1.1** x\n\n### H\n\n**A1.2** y\n", "A1.2", []string{"dcc"}, false},
		{"clause attribute does not leak", "## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** {parties=\"other\"} x\n\n**A1.2** y\n", "A1.2", []string{"dcc"}, false},
		{"block after a heading", "## A1 Part {#A1 parties=\"dcc\"}\n\nIntroduction.\n", "p-1", []string{"dcc"}, false},
		{"malformed attribute is ignored", "## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** {parties=} x\n", "A1.1", []string{"dcc"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			n := d.Node(tt.id)
			require.NotNil(t, n, "no node %s in %v", tt.id, ids(d.Nodes))
			assert.Equal(t, tt.parties, n.Parties)
			assert.Equal(t, tt.set, n.PartiesSet)
		})
	}
}

func TestAppliesTo(t *testing.T) {
	tests := []struct {
		parties []string
		def     []string
		p       string
		want    bool
	}{
		{nil, nil, "dcc", false},
		{nil, []string{"all"}, "dcc", true},
		{nil, []string{"dcc"}, "dcc", true},
		{nil, []string{"other"}, "dcc", false},
		{[]string{"dcc"}, []string{"all"}, "other", false},
		{[]string{"dcc", "other"}, nil, "other", true},
		{[]string{"all"}, []string{"dcc"}, "other", true},
	}
	for _, tt := range tests {
		n := &Node{Parties: tt.parties}
		assert.Equal(t, tt.want, n.AppliesTo(tt.p, tt.def), "%v default %v: %s", tt.parties, tt.def, tt.p)
	}
}

func TestProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		msg  string // a part of the message
	}{
		{"malformed clause attribute", "Intro.\n\n**A1.1** {parties=} text\n", 3, "malformed attributes"},
		{"clause attribute without value", "**A1.1** {parties} text\n", 1, "malformed"},
		{"unknown clause attribute", "\n\n\n**A1.1** {colour=\"red\"} text\n", 4, `unknown attribute "colour"`},
		{"empty parties", "**A1.1** {parties=\"\"} text\n", 1, "empty parties"},
		{"duplicate clause id", "**A1.1** one\n\n**A1.2** two\n\n**A1.1** three\n", 5, `duplicate id "A1.1" (first used on line 1)`},
		{"duplicate clause across parts", "## A1 P {#A1}\n\n**A1.1** x\n\n## A2 Q {#A2}\n\n**A1.1** y\n", 7, `duplicate id "A1.1"`},
		{"duplicate part id", "## A1 P {#A1}\n\ntext\n\n## A1 again {#A1}\n", 5, `duplicate id "A1"`},
		{"clause id equal to a part id", "## A1 P {#A1}\n\n**A1** text\n", 3, `duplicate id "A1"`},
		{"duplicate sub-paragraph", "**A1.1** x:\n\n- (a) one\n\nthen:\n\n- (a) again\n", 7, `duplicate id "A1.1(a)"`},
		{"term defined twice in a table", "| Expression | Meaning |\n| --- | --- |\n| **Panel** | one |\n| **Panel** | two |\n", 4, `term "Panel" is defined twice (first on line 3)`},
		{"term defined twice inline", "the (\"**Panel**\") and\n\nagain (\"**Panel**\")\n", 3, `term "Panel" is defined twice`},
		{"empty parties on a heading", "## A1 P {#A1 parties=\"\"}\n", 1, "empty parties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			require.Len(t, d.Problems, 1, "%v", d.Problems)
			assert.Equal(t, tt.line, d.Problems[0].Line)
			assert.Contains(t, d.Problems[0].Msg, tt.msg)
		})
	}
}

func TestSubParagraphs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string][]string // node id -> SubIDs
	}{
		{"letters", "**H1.3** An Applicant shall:\n\n- (a) satisfy; and\n- (b) demonstrate.\n",
			map[string][]string{"H1.3": {"H1.3(a)", "H1.3(b)"}}},
		{"nested", "**H1.3** x:\n\n- (a) one\n- (b) two:\n  - (i) three\n  - (ii) four\n    - (aa) five\n",
			map[string][]string{"H1.3": {"H1.3(a)", "H1.3(b)", "H1.3(b)(i)", "H1.3(b)(ii)", "H1.3(b)(ii)(aa)"}}},
		{"ordered list", "**H1.3** x:\n\n1. (a) one\n2. (b) two\n", map[string][]string{"H1.3": {"H1.3(a)", "H1.3(b)"}}},
		{"label on its own line", "**H1.3** x:\n\n- (a)\n  text\n", map[string][]string{"H1.3": {"H1.3(a)"}}},
		{"items without labels", "**H1.3** x:\n\n- one\n- (b) two\n- three\n", map[string][]string{"H1.3": {"H1.3(b)"}}},
		{"nested under an unlabelled item", "**H1.3** x:\n\n- one\n  - (i) two\n", map[string][]string{"H1.3": {"H1.3(i)"}}},
		{"upper case and digits are not labels", "**H1.3** x:\n\n- (A) one\n- (1) two\n- (abcde) three\n", map[string][]string{"H1.3": nil}},
		{"label must be followed by a space", "**H1.3** x:\n\n- (a)one\n", map[string][]string{"H1.3": nil}},
		{"bold label is not a label", "**H1.3** x:\n\n- **(a)** one\n", map[string][]string{"H1.3": nil}},
		{"list in a later block of the clause", "**H1.3** x:\n\nMore text.\n\n- (a) one\n", map[string][]string{"H1.3": {"H1.3(a)"}}},
		{"not inside a clause", "Intro:\n\n- (a) one\n", map[string][]string{"p-1": nil}},
		{"two clauses", "**H1.1** x\n\n- (a) one\n\n**H1.2** y\n\n- (a) two\n",
			map[string][]string{"H1.1": {"H1.1(a)"}, "H1.2": {"H1.2(a)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			assert.Empty(t, d.Problems)
			for id, want := range tt.want {
				n := d.Node(id)
				require.NotNil(t, n, "no node %s in %v", id, ids(d.Nodes))
				assert.Equal(t, want, n.SubIDs)
				for _, s := range want {
					assert.True(t, d.HasAnchor(s))
				}
			}
		})
	}
	d := Parse([]byte("**H1.3** x:\n\n- (a) one\n"))
	assert.True(t, d.HasAnchor("H1.3"))
	assert.True(t, d.HasAnchor("H1.3(a)"))
	assert.False(t, d.HasAnchor("H1.3(b)"))
	assert.False(t, d.HasAnchor("H1"))
}

func TestDefinitions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Definition
	}{
		{"table", "**A1.1** In this Code:\n\n| Expression | Meaning |\n| --- | --- |\n| **Applicant** | means a Party that has applied. |\n| **User Role** | means a role. |\n",
			[]Definition{
				{Term: "Applicant", Anchor: "term-applicant", Clause: "A1.1", Meaning: "means a Party that has applied.", Line: 5},
				{Term: "User Role", Anchor: "term-user-role", Clause: "A1.1", Meaning: "means a role.", Line: 6},
			}},
		{"table header in any case, term not bold", "| expression | MEANING |\n|---|---|\n| Panel | the panel |\n",
			[]Definition{{Term: "Panel", Anchor: "term-panel", Clause: "p-1", Meaning: "the panel", Line: 3}}},
		{"table with formatting in the meaning", "| Expression | Meaning |\n| --- | --- |\n| **DCC** | has the meaning in [Section A](#a) and `x` |\n",
			[]Definition{{Term: "DCC", Anchor: "term-dcc", Clause: "p-1", Meaning: "has the meaning in Section A and x", Line: 3}}},
		{"table rows without a term", "| Expression | Meaning |\n| --- | --- |\n|  | nothing |\n| **X Y** | z |\n",
			[]Definition{{Term: "X Y", Anchor: "term-x-y", Clause: "p-1", Meaning: "z", Line: 4}}},
		{"another table is not a definitions table", "| Expression | Value |\n| --- | --- |\n| **Applicant** | x |\n", nil},
		{"inline", "**A1.2** The Panel shall appoint a person (the \"**Lead Analyst**\") to lead.\n",
			[]Definition{{Term: "Lead Analyst", Anchor: "term-lead-analyst", Clause: "A1.2", Line: 1}}},
		{"inline with curly quotes", "Intro\n\na body (the \u201c**Panel**\u201d).\n",
			[]Definition{{Term: "Panel", Anchor: "term-panel", Clause: "p-2", Line: 3}}},
		{"inline on a later line", "**A1.2** The Panel shall appoint\na person (the \"**Lead Analyst**\").\n",
			[]Definition{{Term: "Lead Analyst", Anchor: "term-lead-analyst", Clause: "A1.2", Line: 2}}},
		{"inline in a list", "**A1.2** x:\n\n- (a) a person (the \"**Chair**\");\n",
			[]Definition{{Term: "Chair", Anchor: "term-chair", Clause: "A1.2", Line: 3}}},
		{"inline in another table", "| Role | Who |\n| --- | --- |\n| a (the \"**Chair**\") | y |\n",
			[]Definition{{Term: "Chair", Anchor: "term-chair", Clause: "p-1", Line: 3}}},
		{"bold without quotes", "**A1.2** The **Panel** shall.\n", nil},
		{"quote on one side only", "**A1.2** The \"**Panel** shall.\n", nil},
		{"italic in quotes", "**A1.2** (the \"*Panel*\").\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			assert.Empty(t, d.Problems)
			assert.Equal(t, tt.want, d.Definitions)
		})
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // ids of the headings, in order
	}{
		{"explicit", "## H1 Part {#H1}\n\n### Sub {#H1-sub}\n", []string{"H1", "H1-sub"}},
		{"explicit with attributes", "## H1 Part {#H1 parties=\"dcc\"}\n", []string{"H1"}},
		{"title", "# The Code\n\n## Summary\n", []string{"title", "summary"}},
		{"level-1 heading with an id is not the title", "# A Part {#A}\n\n# Other\n", []string{"A", "other"}},
		{"title only first", "# One\n\n# Two\n", []string{"title", "two"}},
		{"not title after text", "Intro\n\n# One\n", []string{"one"}},
		{"generated slug", "### Becoming a User\n\n### User's Rights & Duties\n", []string{"becoming-a-user", "user-s-rights-duties"}},
		{"duplicates", "## Summary\n\n## Summary\n\n## Summary\n", []string{"summary", "summary-2", "summary-3"}},
		{"duplicate of a numbered slug", "## Summary\n\n## Summary 2\n\n## Summary\n", []string{"summary", "summary-2", "summary-3"}},
		{"numbered slug first", "## Summary 2\n\n## Summary\n\n## Summary\n", []string{"summary-2", "summary", "summary-3"}},
		{"slug taken by an explicit id", "## X {#summary}\n\n## Summary\n", []string{"summary", "summary-2"}},
		{"slug equal to the title id", "# Code\n\n## Title\n", []string{"title", "title-2"}},
		{"slug equal to a block id", "Intro.\n\n## P 1\n", []string{"p-1-2"}},
		{"number only", "## 2020\n\n## 7\n", []string{"h-2020", "h-7"}},
		{"no letters", "## ***\n\n## !!\n", []string{"h-", "h--2"}},
		{"setext", "Title\n=====\n\nPart\n----\n", []string{"title", "part"}},
		{"non-ASCII", "## Définitions générales\n\n## Präambel\n", []string{"définitions-générales", "präambel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			var got []string
			for _, n := range d.Nodes {
				if n.Kind == KindHeading {
					got = append(got, n.ID)
				}
			}
			assert.Equal(t, tt.want, got)
			assert.Empty(t, d.Problems)
		})
	}
}

func TestTitleAndPath(t *testing.T) {
	d := Parse([]byte("# The Code\n\n# Part One\n\n## Chapter\n\n**A1.1** x\n"))
	assert.Equal(t, "The Code", d.Title)
	assert.Equal(t, []string{"Part One", "Chapter"}, d.Node("A1.1").Path, "only the document title is left out of paths")
	assert.Empty(t, Parse([]byte("## A1 Part {#A1}\n")).Title)
	assert.Empty(t, Parse([]byte("Intro\n\n# Late\n")).Title, "the title is a leading heading")
	assert.Equal(t, "Emphasised title", Parse([]byte("# *Emphasised* title\n")).Title)

	d = Parse([]byte("## A1 Part {#A1}\n\n### G\n\n#### H\n\n**A1.1** x\n\n### K\n\n**A1.2** y\n"))
	assert.Equal(t, []string{"A1 Part", "G", "H"}, d.Node("A1.1").Path)
	assert.Equal(t, []string{"A1 Part", "K"}, d.Node("A1.2").Path)
	assert.Equal(t, "A1", d.Node("A1.2").Part)
	assert.Equal(t, []string{"A1 Part", "G"}, d.Node("h").Path)

	// A deeper heading with an id is the nearest part.
	d = Parse([]byte("## A1 Part {#A1}\n\n### Sub {#A1-x}\n\n**A1.1** x\n"))
	assert.Equal(t, "A1-x", d.Node("A1.1").Part)
}

func TestSplitHeading(t *testing.T) {
	tests := []struct {
		title, id string
		explicit  bool
		num, rest string
	}{
		{"H1 User Entry Process", "H1", true, "H1", "User Entry Process"},
		{"H13 Performance Standards", "h13-performance-standards", false, "H13", "Performance Standards"},
		{"A. Definitions", "a-definitions", false, "A", "Definitions"},
		{"1. Required Information", "1-required-information", false, "1", "Required Information"},
		{"1.2 Scope", "1-2-scope", false, "1.2", "Scope"},
		{"2.1. Scope", "x", false, "2.1", "Scope"},
		{"A Guide to Users", "a-guide-to-users", false, "", "A Guide to Users"},
		{"I Introduction", "x", false, "", "I Introduction"},
		{"Summary", "summary", false, "", "Summary"},
		{"Section H: DCC Services", "title", false, "", "Section H: DCC Services"},
		{"User Roles", "X9", true, "", "User Roles"},
		{"H1", "H1", true, "", "H1"},
		{"", "h-", false, "", ""},
	}
	for _, tt := range tests {
		num, rest := splitHeading(tt.title, tt.id, tt.explicit)
		assert.Equal(t, tt.num, num, "number of %q", tt.title)
		assert.Equal(t, tt.rest, rest, "title of %q", tt.title)
	}
	d := Parse([]byte("### A Guide to Users\n\n### B. Account Terms\n"))
	assert.Equal(t, []string{"", "A Guide to Users"}, []string{d.Nodes[0].Number, d.Nodes[0].Title})
	assert.Equal(t, []string{"B", "Account Terms"}, []string{d.Nodes[1].Number, d.Nodes[1].Title})
}

func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		lines map[string]int
	}{
		{"crlf", "# T\r\n\r\n**A1.1** x\r\ny\r\n\r\n**A1.2** z\r\n", map[string]int{"title": 1, "A1.1": 3, "A1.2": 6}},
		{"fenced code after a heading", "## H {#H}\n\n```\ncode\n```\n", map[string]int{"H": 1, "p-1": 3}},
		{"list after a heading", "## H {#H}\n\n- item\n", map[string]int{"p-1": 3}},
		{"table", "Intro\n\n| a | b |\n| - | - |\n| c | d |\n", map[string]int{"p-2": 3}},
		{"html block", "Intro\n\n<div>\nx\n</div>\n", map[string]int{"p-2": 3}},
		{"thematic break", "Intro\n\n---\n\nafter\n", map[string]int{"p-2": 3, "p-3": 5}},
		{"setext heading", "\n\nTitle\n=====\n\ntext\n", map[string]int{"title": 3, "p-1": 6}},
		{"indented first block", "   **A1.1** x\n", map[string]int{"A1.1": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Parse([]byte(tt.src))
			for id, line := range tt.lines {
				n := d.Node(id)
				require.NotNil(t, n, "no node %s in %v", id, ids(d.Nodes))
				assert.Equal(t, line, n.Line, id)
			}
			assert.Equal(t, tt.src, concatSources(d))
		})
	}
	// The source of a node starts on its line (the first node also takes leading blank lines).
	d := Parse([]byte("## H {#H}\n\n```go\ncode\n```\n"))
	require.Len(t, d.Nodes, 2)
	assert.Equal(t, "```go\ncode\n```\n", d.Nodes[1].Source)
}

func TestParseRefs(t *testing.T) {
	src := "## H1 Part {#H1}\n\n**H1.1** As set out in Section\nG3.20, and see [Section H1.2](#x) and `H1.3` and\nSections G3.26 to G3.28 (and H1.10(d)).\n\n### About Section H4\n"
	d := Parse([]byte(src))
	n := d.Node("H1.1")
	require.NotNil(t, n)
	type ref struct {
		Kind RefKind
		ID   string
		Sub  string
		Text string
		Line int
	}
	var got []ref
	for _, r := range n.Refs {
		got = append(got, ref{r.Kind, r.ID, r.Sub, r.Text, r.Line})
	}
	assert.Equal(t, []ref{
		{RefClause, "G3.20", "", "Section\nG3.20", 3},
		{RefClause, "G3.26", "", "Sections G3.26", 5},
		{RefClause, "G3.28", "", "G3.28", 5},
		{RefClause, "H1.10", "(d)", "H1.10(d)", 5},
	}, got, "links, code spans and the clause's own number are not references")
	h := d.Node("about-section-h4")
	require.NotNil(t, h)
	require.Len(t, h.Refs, 1)
	assert.Equal(t, RefPart, h.Refs[0].Kind)
	assert.Equal(t, "H4", h.Refs[0].ID)
	assert.Equal(t, 7, h.Refs[0].Line)

	// A reference split between emphasis and text is not joined, but each text run is searched.
	d = Parse([]byte("Intro\n\n**A1.1** the *G3.20* and\nH1.2\n"))
	var texts []string
	for _, r := range d.Node("A1.1").Refs {
		texts = append(texts, r.Text)
		assert.Equal(t, map[string]int{"G3.20": 3, "H1.2": 4}[r.Text], r.Line, r.Text)
	}
	assert.ElementsMatch(t, []string{"G3.20", "H1.2"}, texts)
}

func TestDocText(t *testing.T) {
	d := Parse([]byte("# T\n\n**A1.1** {parties=\"dcc\"} One *two*\nthree.\n\n| a | b |\n| - | - |\n| c | d |\n\n1. first\n2. second\n"))
	assert.Equal(t, "T\n\nA1.1 One two three.\n\na | b\nc | d\n\n1. first\n2. second", d.Text())
	assert.Equal(t, "", Parse(nil).Text())
	assert.Empty(t, Parse(nil).Nodes)
}

// Invalid UTF-8 is repaired before parsing, so every later step sees valid text.
func TestParseInvalidUTF8(t *testing.T) {
	d := Parse([]byte("**A1.1** caf\xe9 \xff\n"))
	require.Len(t, d.Nodes, 1)
	assert.Equal(t, "**A1.1** caf\uFFFD \uFFFD\n", d.Source())
	assert.Equal(t, d.Source(), concatSources(d))
	assert.Equal(t, "A1.1 caf\uFFFD \uFFFD", d.Text())
}

// The space after a clause's attribute survives when bold text follows it.
func TestAttributeBeforeBold(t *testing.T) {
	d := Parse([]byte("**H1.1** {parties=\"dcc\"} **Bold** words.\n"))
	require.Len(t, d.Clauses(), 1)
	assert.Equal(t, "H1.1 Bold words.", d.Clauses()[0].Text)
	assert.Equal(t, []string{"dcc"}, d.Clauses()[0].Parties)
}
