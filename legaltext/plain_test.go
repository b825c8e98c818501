package legaltext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseText(t *testing.T) {
	type node struct {
		ID, Text, Source string
		Line             int
	}
	tests := []struct {
		name string
		src  string
		want []node
	}{
		{"one paragraph", "Line one\nline two\n", []node{{"p-1", "Line one line two", "Line one\nline two\n", 1}}},
		{"paragraphs", "First.\n\n   a.\tIndented, not code.\n      More.\n\n\nLast", []node{
			{"p-1", "First.", "First.\n\n", 1},
			{"p-2", "a.\tIndented, not code. More.", "   a.\tIndented, not code.\n      More.\n\n\n", 3},
			{"p-3", "Last", "Last", 7},
		}},
		{"leading blank lines", "\n  \nText\n", []node{{"p-1", "Text", "\n  \nText\n", 3}}},
		{"crlf", "One\r\n\r\nTwo\r\n", []node{{"p-1", "One", "One\r\n\r\n", 1}, {"p-2", "Two", "Two\r\n", 3}}},
		{"markdown is text", "# Not a heading\n**H1.1** not a clause <b>\n", []node{
			{"p-1", "# Not a heading **H1.1** not a clause <b>", "# Not a heading\n**H1.1** not a clause <b>\n", 1}}},
		{"blank only", " \n\n", []node{{"p-1", "", " \n\n", 1}}},
		{"empty", "", []node{{"p-1", "", "", 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ParseText([]byte(tt.src))
			var got []node
			for _, n := range d.Nodes {
				assert.Equal(t, KindBlock, n.Kind)
				assert.False(t, n.Explicit)
				got = append(got, node{n.ID, n.Text, n.Source, n.Line})
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.src, concatSources(d))
			assert.Empty(t, d.Title)
			assert.Empty(t, d.Clauses())
			assert.Empty(t, d.Definitions)
			assert.Empty(t, d.Problems)
		})
	}
}

func TestParseTextRefs(t *testing.T) {
	d := ParseText([]byte("Intro.\n\n  Under Section 2(b) and\n  Section H1.4(a), see\n  G3.20.\n"))
	require.Len(t, d.Nodes, 2)
	var got []string
	for _, r := range d.Nodes[1].Refs {
		got = append(got, r.Text)
		assert.Equal(t, r.Text, d.Nodes[1].Text[r.Start:r.End])
	}
	assert.Equal(t, []string{"Section 2", "Section H1.4(a)", "G3.20"}, got)
	assert.Equal(t, []int{3, 4, 5}, []int{d.Nodes[1].Refs[0].Line, d.Nodes[1].Refs[1].Line, d.Nodes[1].Refs[2].Line},
		"each reference has the line it is on")
}

func TestParseTextInvalidUTF8(t *testing.T) {
	d := ParseText([]byte("caf\xe9\n"))
	assert.Equal(t, "caf\uFFFD\n", d.Source())
	assert.Equal(t, d.Source(), concatSources(d))
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		yaml      string
		body      string
		bodyLine  int
		ok, closd bool
	}{
		{"none", "# Title\n", "", "# Title\n", 1, false, false},
		{"standard", "---\nversion: \"1.0\"\neffective: 2019-11-07\n---\n\n# Title\n", "version: \"1.0\"\neffective: 2019-11-07\n", "\n# Title\n", 5, true, true},
		{"crlf", "---\r\nversion: 1\r\n---\r\nbody\r\n", "version: 1\r\n", "body\r\n", 4, true, true},
		{"empty yaml", "---\n---\nbody", "", "body", 3, true, true},
		{"closing with spaces", "---\na: 1\n---  \nbody", "a: 1\n", "body", 4, true, true},
		{"closing at the end of the file", "---\na: 1\n---", "a: 1\n", "", 4, true, true},
		{"empty body", "---\na: 1\n---\n", "a: 1\n", "", 4, true, true},
		{"unclosed", "---\na: 1\nb: 2\n", "a: 1\nb: 2\n", "", 4, true, false},
		{"only the opening", "---\n", "", "", 2, true, false},
		{"dashes in the yaml", "---\na: ---x\n----\n---\nb", "a: ---x\n----\n", "b", 5, true, true},
		{"not at the start", "\n---\na: 1\n---\n", "", "\n---\na: 1\n---\n", 1, false, false},
		{"three dashes without a newline", "---", "", "---", 1, false, false},
		{"four dashes", "----\na\n---\n", "", "----\na\n---\n", 1, false, false},
		{"empty", "", "", "", 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			yaml, body, line, ok, closed := FrontMatter([]byte(tt.src))
			assert.Equal(t, tt.yaml, string(yaml), "yaml")
			assert.Equal(t, tt.body, string(body), "body")
			assert.Equal(t, tt.bodyLine, line, "bodyLine")
			assert.Equal(t, tt.ok, ok, "ok")
			assert.Equal(t, tt.closd, closed, "closed")
			if closed && len(body) > 0 {
				assert.Equal(t, 1+strings.Count(tt.src[:len(tt.src)-len(body)], "\n"), line)
			}
		})
	}
}

// Lines of a parsed body plus bodyLine-1 are lines of the file.
func TestFrontMatterLines(t *testing.T) {
	src := "---\nversion: \"3.0\"\n---\n\n# T\n\n**H1.1** text\n"
	_, body, bodyLine, ok, closed := FrontMatter([]byte(src))
	require.True(t, ok && closed)
	d := Parse(body)
	n := d.Node("H1.1")
	require.NotNil(t, n)
	assert.Equal(t, 7, n.Line+bodyLine-1)
}
