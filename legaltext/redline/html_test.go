package redline

import (
	"bufio"
	"bytes"
	"html"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

func renderHTML(t *testing.T, r *Redline, o HTMLOptions) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, r, o))
	return b.String()
}

var (
	hrefRE = regexp.MustCompile(`href="#([^"]+)"`)
	idRE   = regexp.MustCompile(`id="([^"]+)"`)
)

// checkAnchors asserts that every in-page link points at an element of the page.
func checkAnchors(t *testing.T, page string) int {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(page, -1) {
		assert.False(t, ids[m[1]], "id %q twice", m[1])
		ids[m[1]] = true
	}
	links := hrefRE.FindAllStringSubmatch(page, -1)
	for _, m := range links {
		assert.True(t, ids[m[1]], "link to #%s goes nowhere", m[1])
	}
	return len(links)
}

func TestHTMLFullText(t *testing.T) {
	old := "# Title\n\n**H1.1** The DCC shall reply.\n\n**H1.2** A <script>alert(1)</script> & more.\n"
	new := "# Title\n\n**H1.1** The DCC must reply.\n\n**H1.2** A <script>alert(1)</script> & more.\n\n**H1.3** New.\n"
	r := Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	page := renderHTML(t, r, HTMLOptions{Standalone: true, Title: "Section <H> 1.0 → 2.0"})
	for _, want := range []string{
		"<!DOCTYPE html>", "<title>Section &lt;H&gt; 1.0 → 2.0</title>", "<style>",
		`<del><span class="rl-sr">[deleted: </span>shall<span class="rl-sr">]</span></del>`,
		// "shall" replaced by "must": the insertion touches the deletion, and is set apart.
		`<ins class="rl-adj"><span class="rl-sr">[inserted: </span>must<span class="rl-sr">]</span></ins>`,
		`class="rl-legend"`, "is underlined", "struck through",
		"&lt;script&gt;alert(1)&lt;/script&gt; &amp; more.",
		`<a href="#rl-c1">H1.1: changed</a>`, `<a href="#rl-c2">H1.3: inserted</a>`,
		`2 changes: 1 added, 0 deleted, 1 changed, 0 moved, 0 renumbered; 1 clause unchanged.`,
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<script>")
	assert.Equal(t, 2, checkAnchors(t, page))
	// Colour is never the only signal: the style sheet underlines and strikes through.
	assert.Contains(t, StyleSheet, "ins{text-decoration:underline")
	assert.Contains(t, StyleSheet, "del{text-decoration:line-through")

	frag := renderHTML(t, r, HTMLOptions{})
	assert.True(t, strings.HasPrefix(frag, `<div class="redline">`))
	assert.NotContains(t, frag, "<style>")
}

func TestHTMLChangesOnly(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 30; i++ {
		b.WriteString("**H1." + strconv.Itoa(i) + "** Clause number " + strconv.Itoa(i) + " of the section.\n\n")
	}
	old := b.String()
	new := strings.Replace(old, "Clause number 10 of", "Clause number ten of", 1)
	new = strings.Replace(new, "Clause number 25 of", "Clause number twenty-five of", 1)
	r := Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	page := renderHTML(t, r, HTMLOptions{ChangesOnly: true, Context: 2})
	shown := regexp.MustCompile(`<section class="rl-block`).FindAllString(page, -1)
	assert.Len(t, shown, 10, "two changes, each with two blocks of context either side")
	for _, want := range []string{"H1.8 Clause", "H1.12 Clause", "H1.23 Clause", "H1.27 Clause",
		"… 7 unchanged blocks not shown …", "… 10 unchanged blocks not shown …", "… 3 unchanged blocks not shown …"} {
		assert.Contains(t, page, want)
	}
	for _, absent := range []string{"H1.7 Clause", "H1.13 Clause", "H1.28 Clause"} {
		assert.NotContains(t, page, absent)
	}
	assert.Equal(t, 2, checkAnchors(t, page), "the list of changes links to both")

	none := renderHTML(t, Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(old))), HTMLOptions{ChangesOnly: true})
	assert.Contains(t, none, "No changes.")
}

func TestHTMLMovedLinksBothHalves(t *testing.T) {
	old := "**H1.1** One thing here.\n\n**H1.2** Two things here.\n\n**H1.3** Three things here.\n"
	new := "**H1.1** One thing here.\n\n**H1.3** Three things here.\n\n**H1.2** Two things here, moved.\n"
	r := Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	page := renderHTML(t, r, HTMLOptions{})
	assert.Contains(t, page, `<del class="rl-move">`)
	assert.Contains(t, page, `<ins class="rl-move">`)
	assert.Contains(t, page, `H1.2: moved away to change 2 · <a href="#rl-c2">where it is now</a>`)
	assert.Contains(t, page, `H1.2: moved here from change 1, words changed · <a href="#rl-c1">where it was</a>`)
	checkAnchors(t, page)
}

func TestHTMLSampleAnchors(t *testing.T) {
	dir := filepath.Join(corpusDocs, "section-h")
	r := Compare(parseFile(t, filepath.Join(dir, "1.0.md")), parseFile(t, filepath.Join(dir, "3.0.md")))
	for _, o := range []HTMLOptions{{}, {ChangesOnly: true, Context: 1}, {Standalone: true}} {
		page := renderHTML(t, r, o)
		rowLinks := len(regexp.MustCompile(`href="#rl-c\d+-r\d+"`).FindAllString(page, -1))
		assert.Equal(t, len(r.Changes()), checkAnchors(t, page)-countPairLinks(r)-rowLinks)
	}
}

// countPairLinks is the number of links between the halves of moved blocks.
func countPairLinks(r *Redline) int {
	n := 0
	for _, b := range r.Blocks {
		if b.Pair > 0 {
			n++
		}
	}
	return n
}

// FuzzHTMLWriterEsc holds the writer's escaping to html.EscapeString, byte for byte.
func FuzzHTMLWriterEsc(f *testing.F) {
	for _, s := range []string{"", "plain", `the "DCC" & the User's <b>`, "&&", "'", "<>", "a\x00b", "“quoted”", "\xff&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		h := &htmlWriter{w: bufio.NewWriter(&b)}
		h.esc(s)
		require.NoError(t, h.w.Flush())
		assert.Equal(t, html.EscapeString(s), b.String())
	})
}
