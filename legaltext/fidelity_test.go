package legaltext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Footnotes and definition lists are Markdown, not raw text: they are parsed, their text is
// the words a reader sees (the mark of a footnote included), and they render as such. A
// backslash that only keeps Markdown from reading a list is no part of the text.
func TestMarkdownFidelity(t *testing.T) {
	src := "# Law\n\nAusfertigungsdatum\n:   1965-09-09\n\nFundstelle\n:   BGBl I: 1965, 1273\n\n" +
		"**H1.1** The rule applies.[^note] See 31\\. below.\n\n[^note]: As amended in 2020.\n\n" +
		"**H1.2** Code `a\\.b` keeps its backslash.\n"
	d := Parse([]byte(src))
	require.Empty(t, d.Problems)
	assert.Equal(t, "Ausfertigungsdatum\n1965-09-09\nFundstelle\nBGBl I: 1965, 1273", d.Nodes[1].Text)
	h11 := d.Node("H1.1")
	require.NotNil(t, h11)
	assert.Equal(t, "H1.1 The rule applies.[1] See 31. below.\n\n[1] As amended in 2020.", h11.Text)
	assert.Contains(t, d.Node("H1.2").Text, `a\.b`)
	assert.Equal(t, src, concatSources(d), "the nodes still partition the input")
	html, err := Render(d, nil)
	require.NoError(t, err)
	all := ""
	for _, h := range html {
		all += string(h)
	}
	assert.Contains(t, all, "<dl>\n<dt>Ausfertigungsdatum</dt>\n<dd>1965-09-09</dd>")
	assert.Contains(t, all, `href="#fn:1"`)
	assert.Contains(t, all, `id="fn:1"`)
	assert.Contains(t, all, "As amended in 2020.")
	assert.NotContains(t, all, "[^note]")
	assert.Contains(t, all, "See 31. below")
	assert.False(t, strings.Contains(d.Text(), `31\.`), "no backslash escape in the text")
}
