package legaltext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scheme(t testing.TB, name string) *Scheme {
	t.Helper()
	s, ok := BuiltinScheme(name)
	require.True(t, ok, name)
	return s
}

// unitIDs lists every clause id, each followed by its units' ids, in order.
func unitIDs(d *Doc) []string {
	var out []string
	for _, n := range d.Clauses() {
		out = append(out, n.ID)
		for _, u := range n.Units {
			out = append(out, "  "+u.ID+" = "+u.Label)
		}
	}
	return out
}

func TestSchemeClausesAndUnits(t *testing.T) {
	tests := []struct {
		name, scheme, src string
		want              []string
	}{
		{"german statute", "german-statute",
			"# Gesetz\n\n## Teil 1 - Allgemeines\n\n### § 1 Zweck\n\nDieses Gesetz gilt.\n\n### § 14a Begriffe\n\n(1) Im Sinne:\n\n1. eins,\n2. zwei,\n\n4c. vier c:\n\na)  erstens,\n\nb)  zweitens.\n\n(1a) Eingefügt.\n\n(2) Zweitens.\n\n### Art 12 Schluss\n\n(1) Text.\n",
			[]string{"§1", "§14a", "  §14a(1) = § 14a (1)", "  §14a(1)1. = § 14a (1) 1.", "  §14a(1)2. = § 14a (1) 2.", "  §14a(1)4c. = § 14a (1) 4c.",
				"  §14a(1)4c.a) = § 14a (1) 4c. a)", "  §14a(1)4c.b) = § 14a (1) 4c. b)", "  §14a(1a) = § 14a (1a)", "  §14a(2) = § 14a (2)", "Art-12", "  Art-12(1) = Art 12 (1)"}},
		{"items straight under a section", "german-statute", "## § 2 Liste\n\n1. eins\n2. zwei\n",
			[]string{"§2", "  §2-1. = § 2 1.", "  §2-2. = § 2 2."}},
		{"a second list in one paragraph", "german-statute", "## § 3 X\n\n(1) A:\n\n1. a\n2. b\n\nSatz zwei:\n\n1. c\n",
			[]string{"§3", "  §3(1) = § 3 (1)", "  §3(1)1. = § 3 (1) 1.", "  §3(1)2. = § 3 (1) 2.", "  §3(1)1.~2 = § 3 (1) 1.~2"}},
		{"us code: inline chains, roman or letter", "us-code",
			"# § 1-101. Title\n\n(a) First.\n\n(1) One.\n\n(2)(A) Two A.\n\n(B) Two B.\n\n(i) Roman.\n\n(h) H.\n\n(i) Letter i.\n\n(j)(1) J one.\n\n(1A) Inserted.\n",
			[]string{"§1-101(a)", "  §1-101(a)(1) = § 1-101(a)(1)", "  §1-101(a)(2) = § 1-101(a)(2)", "  §1-101(a)(2)(A) = § 1-101(a)(2)(A)",
				"  §1-101(a)(2)(B) = § 1-101(a)(2)(B)", "  §1-101(a)(2)(B)(i) = § 1-101(a)(2)(B)(i)", "§1-101(h)", "§1-101(i)", "§1-101(j)",
				"  §1-101(j)(1) = § 1-101(j)(1)", "  §1-101(j)(1A) = § 1-101(j)(1A)"}},
		{"uk legislation", "uk-legislation",
			"# The Act\n\n1.—(1) A person must.\n\n(2) In this section—\n\n(a) first;\n\n(b) second.\n\n**2.** Plain section.\n\n3.—(1) Third.\n",
			[]string{"1", "  1(1) = 1(1)", "  1(2) = 1(2)", "  1(2)(a) = 1(2)(a)", "  1(2)(b) = 1(2)(b)", "2", "3", "  3(1) = 3(1)"}},
		{"numbered headings", "numbered-headings", "# T\n\n## A. Definitions\n\n1. One.\n2. Two.\n\n## B. Terms\n\n### 1. Info\n\nText.\n",
			[]string{"A", "  A-1. = A 1.", "  A-2. = A 2.", "B", "B-1"}},
		{"outline from plain text", "outline", "# Licence\n\n1\\. Definitions\n\n- a. one\n- b. two\n  - i. deeper\n\n2\\. Grant. Text.\n\nSection 3 – Terms.\n\n- a. x\n",
			[]string{"1.", "  1.a. = 1. a.", "  1.b. = 1. b.", "  1.b.i. = 1. b. i.", "2.", "Section-3", "  Section-3-a. = Section 3 a."}},
		{"sec numbering is untouched", "sec", "## H1 Part {#H1}\n\n**H1.1** Text:\n\n- (a) one\n",
			[]string{"H1.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseScheme([]byte(tt.src), scheme(t, tt.scheme))
			assert.Empty(t, d.Problems)
			assert.Equal(t, tt.want, unitIDs(d))
			for _, n := range d.Clauses() {
				for _, u := range n.Units {
					assert.True(t, strings.HasPrefix(u.ID, idOf(u.Label)), "the id %s is the citation %s without spaces", u.ID, u.Label)
					assert.True(t, d.HasAnchor(u.ID), u.ID)
				}
			}
		})
	}
}

// Ids come from numbers, not from titles or positions: a changed title or an inserted
// paragraph above leaves every other id as it was.
func TestSchemeIDsStable(t *testing.T) {
	s := scheme(t, "german-statute")
	a := ParseScheme([]byte("# G\n\n## Präambel\n\nText.\n\n## Teil 1 - Alt\n\n### Abschnitt 2 - Alt\n\n#### § 5 Alt\n\n(1) A.\n\n(2) B.\n"), s)
	b := ParseScheme([]byte("# G\n\n## Präambel\n\nText.\n\nNeu eingefügt.\n\n## Teil 1 - Neu\n\n### Abschnitt 2 - Ganz neu\n\n#### § 5 Neu\n\n(1) A.\n\n(1a) Neu.\n\n(2) B.\n"), s)
	ids := func(d *Doc) []string {
		var out []string
		for _, n := range d.Nodes {
			if n.Kind != KindBlock {
				out = append(out, n.ID)
			}
			out = append(out, n.SubIDs...)
		}
		return out
	}
	assert.Equal(t, []string{"title", "präambel", "teil-1", "teil-1-abschnitt-2", "§5", "§5(1)", "§5(2)"}, ids(a))
	assert.Equal(t, []string{"title", "präambel", "teil-1", "teil-1-abschnitt-2", "§5", "§5(1)", "§5(1a)", "§5(2)"}, ids(b))
	// A paragraph's permalink counts from the heading above it, not from the top.
	assert.Equal(t, "Text.", a.Node("präambel-p1").Text)
	assert.Equal(t, "Text.", b.Node("präambel-p1").Text)
	assert.Equal(t, "Neu eingefügt.", b.Node("präambel-p2").Text)
}

// Rendered, every unit has its permalink, and the text keeps its labels.
func TestSchemeRender(t *testing.T) {
	d := ParseScheme([]byte("## § 14a Begriffe\n\n(1) Im Sinne:\n\n1. eins,\n\n(2) Zwei.\n"), scheme(t, "german-statute"))
	d.Compact() // rendering parses again, in the same scheme
	html, err := Render(d, nil)
	require.NoError(t, err)
	all := ""
	for _, h := range html {
		all += string(h)
	}
	assert.Contains(t, all, `<h2 class="clause-heading">§ 14a Begriffe <a class="anchor" href="#§14a"`)
	assert.NotContains(t, all, `id="§14a"`, "the id is the clause's element's")
	assert.Contains(t, all, `id="§14a(1)" href="#§14a(1)"`)
	assert.Contains(t, all, `<li id="§14a(1)1.">`)
	assert.Contains(t, all, `>(2)</a>`)
	assert.NotContains(t, all, `class="unit unit-l`, "no paragraph deeper than (1) here")
	assert.Contains(t, d.Nodes[0].Text, "(1) Im Sinne:")
	d = ParseScheme([]byte("## § 2 X\n\n(1) A:\n\n1. eins\n2. zwei\n\n2a. zwei a\n\na) klein\n"), scheme(t, "german-statute"))
	html, err = Render(d, nil)
	require.NoError(t, err)
	assert.Contains(t, string(html[0]), `<p class="unit unit-l1"><a class="num unit" id="§2(1)2a."`, "2a. is indented as the items beside it")
	assert.Contains(t, string(html[0]), `<p class="unit unit-l2"><a class="num unit" id="§2(1)2a.a)"`)
}

func TestSchemeSpec(t *testing.T) {
	tr, fa, sp := true, false, ""
	tests := []struct {
		name    string
		spec    SchemeSpec
		want    *Scheme
		wantErr string
	}{
		{"headings and labels", SchemeSpec{Headings: []string{"Regulation"}, HeadingClauses: &tr, Labels: []string{"(1)", "(a)"}},
			&Scheme{Name: "custom", Headings: []string{"Regulation"}, HeadingClauses: true, Labels: []LabelStyle{"(1)", "(a)"}, Sep: " "}, ""},
		{"labels only: us-code base", SchemeSpec{Labels: []string{"(a)", "(1)"}, Separator: &sp},
			&Scheme{Name: "custom", Headings: []string{"§", "Sec", "Section"}, Labels: []LabelStyle{"(a)", "(1)"}}, ""},
		{"unknown style", SchemeSpec{Labels: []string{"<1>"}}, nil, `unknown label style "<1>"`},
		{"style twice", SchemeSpec{Labels: []string{"(1)", "(1)"}}, nil, "listed twice"},
		{"unknown base", SchemeSpec{Base: "klingon"}, nil, "unknown base scheme"},
		{"sec base", SchemeSpec{Base: "sec"}, nil, "base sec cannot be changed"},
		{"heading with digits", SchemeSpec{Headings: []string{"Art 1"}}, nil, "want one word"},
		{"heading clauses without headings", SchemeSpec{Base: "us-code", Headings: []string{}, HeadingClauses: &tr}, nil, "needs headings"},
		{"bad separator", SchemeSpec{Separator: new(string("-"))}, nil, "separator"},
		{"dash clauses off", SchemeSpec{Base: "uk-legislation", DashClauses: &fa},
			&Scheme{Name: "custom", Headings: []string{"Regulation", "Section", "Article", "Rule"}, HeadingClauses: true, Labels: []LabelStyle{"(1)", "(a)", "(i)", "(A)"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.spec.Scheme()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDetectScheme(t *testing.T) {
	tests := map[string]string{
		"## H1 P {#H1}\n\n**H1.1** Text.\n":                         "sec",
		"## § 1 A\n\n(1) B.\n\n## § 2 C\n\nD.\n":                    "german-statute",
		"# § 1-1. T\n\n(a) A.\n\n(b) B.\n":                          "us-code",
		"1.—(1) A.\n\n(2) B.\n\n2.—(1) C.\n":                        "uk-legislation",
		"## A. One\n\nText.\n\n## B. Two\n\nText.\n":                "numbered-headings",
		"Just words, nothing numbered.\n":                           "sec",
		"1\\. Definitions\n\n- a. x\n- b. y\n\n2\\. Grant. Text.\n": "outline",
	}
	for src, want := range tests {
		s, scores := DetectScheme([]byte(src))
		assert.Equal(t, want, s.Name, "%q: %v", src, scores)
		assert.Len(t, scores, len(SchemeNames()))
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		style LabelStyle
		in    string
		ord   int
		sub   bool
		ok    bool
	}{
		{LabelParenDigit, "(12)", 12, false, true},
		{LabelParenDigit, "(1a)", 1, true, true},
		{LabelParenDigit, "(1A)", 1, true, true},
		{LabelParenDigit, "(a)", 0, false, false},
		{LabelParenLower, "(c)", 3, false, true},
		{LabelParenLower, "(aa)", 27, false, true},
		{LabelParenLower, "(ab)", 0, false, false},
		{LabelParenLower, "(c-1)", 3, true, true},
		{LabelParenRoman, "(iv)", 4, false, true},
		{LabelParenRoman, "(iiii)", 0, false, false},
		{LabelParenURom, "(XII)", 12, false, true},
		{LabelDotDigit, "4c.", 4, true, true},
		{LabelDotDigit, "4C.", 0, false, false},
		{LabelLowerParen, "b)", 2, false, true},
		{LabelDoubleLow, "bb)", 2, false, true},
		{LabelDoubleLow, "ab)", 0, false, false},
	}
	for _, tt := range tests {
		l, ok := matchStyle(tt.style, tt.in)
		assert.Equal(t, tt.ok, ok, "%s %s", tt.style, tt.in)
		if ok {
			assert.Equal(t, tt.ord, l.ord, "%s %s", tt.style, tt.in)
			assert.Equal(t, tt.sub, l.sub, "%s %s", tt.style, tt.in)
			assert.Equal(t, tt.in, l.text)
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := map[string]string{
		"# Law\n\nWords.\n":                                 "",
		"Plain words <b>bold</b> in a line.\n":              "",
		"<!-- a comment -->\n\n# Law\n\nMany words here.\n": "",
		"<?xml version=\"1.0\"?><a>x</a>":                   "XML",
		"<!DOCTYPE html><html><body>x</body></html>":        "HTML",
		"<div><p>x</p></div>":                               "HTML",
		"<law><sec>1</sec></law>":                           "XML",
		"":                                                  "empty",
		"  \n\t\n":                                          "empty",
		"--- *** ---":                                       "empty",
		"PK\x03\x04rest":                                    "zip",
		"%PDF-1.4":                                          "PDF",
		"a\x00b":                                            "NUL",
		"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f words": "control",
		"\xff\xfe": "UTF-8",
	}
	for in, want := range tests {
		err := CheckText([]byte(in))
		if want == "" {
			assert.NoError(t, err, "%q", in)
			continue
		}
		if assert.Error(t, err, "%q", in) {
			assert.Contains(t, err.Error(), want, "%q", in)
		}
	}
}

// Repeated labels and headings cost the same per repeat however many there are: the work of
// a text of 4n repeats is about four times that of n (allocations counted, not time).
func TestSchemeRepeatsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: parses texts of thousands of repeats")
	}
	s := scheme(t, "german-statute")
	for name, unit := range map[string]string{"labels": "(2) x\n\n", "headings": "## Teil 1 - X\n\n", "restarts": "1. x\n\ny\n\n"} {
		cost := func(n int) float64 {
			src := []byte("## § 1 T\n\n(1) a\n\n" + strings.Repeat(unit, n))
			return testing.AllocsPerRun(2, func() { ParseScheme(src, s) })
		}
		small, large := cost(500), cost(2000)
		assert.Less(t, large/small, 5.0, "%s: allocations at 500 and 2000 repeats: %.0f, %.0f", name, small, large)
	}
}
