package docimport

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"codenav/legaltext"
)

func TestEscapeKeepsText(t *testing.T) {
	// Each input, escaped as a paragraph, a list item, a heading and a table cell, must come
	// back from legaltext with the same words and as one block of the expected kind.
	inputs := []string{
		"plain words", "# heading?", "1. list?", "1) list?", "- item?", "+ item?", "* item?", "> quote?", "---", "***", "___", "===",
		"    code?", "```fence", "~~~fence", "<div>html</div>", "<!-- comment -->", "[ref]: http://x", "[a](b) ![c](d)",
		"&amp; &#35; &copy;", "a\\", "**bold** _it_ `code` ~~strike~~", "x | y", "{#id} {parties=\"dcc\"}", "H1.1 not a clause?",
		"trailing #", "12345678901. long number", "\u00a0nbsp", "a_b_c", "_start", "end_",
	}
	for _, in := range inputs {
		for _, c := range []inlineCtx{{start: true}, {heading: true}, {table: true}, {brace: true}} {
			md := renderInline(plainRuns(in), c)
			var doc, extra string
			switch {
			case c.heading:
				doc = "## " + md
			case c.table:
				doc, extra = "| h |\n| --- |\n| "+md+" |", "h "
			case c.brace:
				doc, extra = "**A1.1** "+md, "A1.1 "
			default:
				doc = md
			}
			d := legaltext.Parse([]byte(doc))
			assert.Equal(t, Words(extra+in), Words(d.Text()), "%q as %q", in, doc)
			assert.Len(t, d.Nodes, 1, "%q as %q", in, doc)
			if c.brace {
				assert.Nil(t, d.Nodes[0].Parties, "%q as %q", in, doc)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	long := strings.Repeat("word ", 30) + "- dash 1. number # hash"
	out := wrap(long, "  ", 0)
	for _, line := range strings.Split(out, "\n") {
		assert.LessOrEqual(t, len(line), lineWidth+10, line)
		rest := strings.TrimLeft(line, " ")
		assert.NotContains(t, "-#1", rest[:1], "a line may start only with a letter: %q", line)
	}
	assert.Equal(t, strings.Join(strings.Fields(long), " "), strings.Join(strings.Fields(out), " "))
	assert.Equal(t, "short", wrap("short", "", 0))
}

func TestListLevels(t *testing.T) {
	tests := []struct {
		labels []string
		want   []int
	}{
		{[]string{"(a)", "(b)", "(i)", "(ii)", "(c)"}, []int{0, 0, 1, 1, 0}},
		{[]string{"(g)", "(h)", "(i)", "(j)"}, []int{0, 0, 0, 0}},
		{[]string{"(a)", "(i)", "(A)", "(B)", "(ii)", "(b)"}, []int{0, 1, 2, 2, 1, 0}},
		{[]string{"(i)", "(ii)", "(iii)", "(iv)", "(v)", "(vi)"}, []int{0, 0, 0, 0, 0, 0}},
		{[]string{"1.", "a.", "b.", "2.", "a."}, []int{0, 1, 1, 0, 1}},
	}
	for _, tt := range tests {
		s := newListState()
		var got []int
		for _, l := range tt.labels {
			lab, ok := labelOf(l+" x", true)
			assert.True(t, ok, l)
			got = append(got, s.place(-1, lab, ok))
		}
		assert.Equal(t, tt.want, got, "%v", tt.labels)
	}
}

func TestAttributesAsText(t *testing.T) {
	attr, n := clauseAttrs(`{parties=“dcc other”  roles="other-user"} The DCC`)
	assert.Equal(t, `{parties="dcc other" roles="other-user"}`, attr)
	assert.Equal(t, `{parties=“dcc other”  roles="other-user"}`, `{parties=“dcc other”  roles="other-user"} The DCC`[:n])
	for _, bad := range []string{`{colour="red"} x`, `{parties=""} x`, `{parties="a" parties="b"} x`, `{parties=dcc} x`} {
		a, _ := clauseAttrs(bad)
		assert.Empty(t, a, bad)
	}
	id, rest, text, ok := headingAttrs(`H1 User Entry {#H1 parties=“a b”}`)
	assert.True(t, ok)
	assert.Equal(t, []string{"H1", ` parties="a b"`, "H1 User Entry"}, []string{id, rest, text})
	_, _, _, ok = headingAttrs(`Costs {not attributes}`)
	assert.False(t, ok)
}
