package redline

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

const tableOld = "**A1.1** The rates:\n\n| Item | Rate | Note |\n| --- | --- | --- |\n| Meter | 10 | monthly |\n| Hub | 20 | yearly |\n| Modem | 30 | none |\n"

// Tables stay tables in HTML and Word: a changed cell is changed in its cell, an added or
// removed row is an inserted or deleted row, and a row whose cells changed is the old row
// deleted and the new one inserted. The law holds in every renderer (checkLaw).
func TestTablesStayTables(t *testing.T) {
	for _, tc := range []struct {
		name, new  string
		html, docx []string // fragments the renderers must write
	}{
		{"cell changed", strings.Replace(tableOld, "| Hub | 20 |", "| Hub | 25 |", 1),
			[]string{`<td><del><span class="rl-sr">[deleted: </span>20`, `<td>Hub</td>`},
			[]string{`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:pPr></w:pPr><w:del `}},
		{"row inserted", tableOld + "| Relay | 40 | new |\n",
			[]string{`<tr class="rl-line rl-row rl-row-ins" id="rl-c1-r6"><td><ins>`},
			[]string{`<w:tr><w:trPr><w:ins `}},
		{"row deleted", strings.Replace(tableOld, "| Hub | 20 | yearly |\n", "", 1),
			[]string{`<tr class="rl-line rl-row rl-row-del" id="rl-c1-r4"><td><del>`},
			[]string{`<w:tr><w:trPr><w:del `}},
		{"column added", strings.NewReplacer(" |\n", " | more |\n", "| --- |\n", "| --- | --- |\n").Replace(tableOld),
			[]string{`rl-row-del`, `rl-row-ins`},
			[]string{`<w:gridSpan w:val="2"/>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkLaw(t, tc.name, legaltext.Parse([]byte(tableOld)), legaltext.Parse([]byte(tc.new)))
			var h bytes.Buffer
			require.NoError(t, WriteHTML(&h, r, HTMLOptions{}))
			assert.Equal(t, 1, strings.Count(h.String(), `<table class="rl-table">`))
			assert.NotContains(t, h.String(), " | ", "no row written as text")
			for _, f := range tc.html {
				assert.Contains(t, h.String(), f)
			}
			body := string(docxPart(t, renderDOCX(t, r, DOCXOptions{}), "word/document.xml"))
			assert.Equal(t, 1, strings.Count(body, "<w:tbl>"))
			for _, f := range tc.docx {
				assert.Contains(t, body, f)
			}
		})
	}
}

// The law on random edits of tables: cells changed, rows added, removed and reordered,
// columns added.
func TestLawTablesRandom(t *testing.T) {
	cells := []string{"a", "b c", "10%", "Meter", "", "x y z", "monthly", "|"}
	table := func(rng *rand.Rand, rows, cols int) string {
		var b strings.Builder
		b.WriteString("**A1.1** Table:\n\n")
		for r := range rows + 1 {
			b.WriteString("|")
			for range cols {
				c := cells[rng.IntN(len(cells))]
				if c == "|" {
					c = `\|`
				}
				b.WriteString(" " + c + " |")
			}
			b.WriteString("\n")
			if r == 0 {
				b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
			}
		}
		return b.String() + "\nAfter.\n"
	}
	for seed := range 40 {
		rng := rand.New(rand.NewPCG(uint64(seed), 15))
		old := table(rng, 1+rng.IntN(5), 1+rng.IntN(4))
		new := table(rng, 1+rng.IntN(5), 1+rng.IntN(4))
		if seed%2 == 0 {
			new = mutate(old, rng, 0.3)
		}
		checkLaw(t, fmt.Sprintf("seed %d", seed), legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
	}
}

// The Word file says what it compares in its body (a boxed block before the text, in its own
// style), at the head of every page and in its properties; the block is no change, so that
// accepting or rejecting every change gives it followed by the new or the old text.
func TestDOCXAbout(t *testing.T) {
	old, new := legaltext.Parse([]byte(tableOld)), legaltext.Parse([]byte(strings.Replace(tableOld, "| Hub | 20 |", "| Hub | 25 |", 1)+"\nMore.\n"))
	r := Compare(old, new)
	about := []string{"Section H: version 3.0 (effective 2019-11-07) → draft", "Modification MP107 <x>"}
	doc := renderDOCX(t, r, DOCXOptions{Author: "dora", About: about})
	hdr := string(docxPart(t, doc, "word/header1.xml"))
	assert.Contains(t, hdr, "Section H: version 3.0 (effective 2019-11-07) → draft")
	assert.Contains(t, hdr, "Modification MP107 &lt;x&gt;")
	body := string(docxPart(t, doc, "word/document.xml"))
	assert.Contains(t, body, `<w:headerReference w:type="default" r:id="rId3"/>`)
	assert.Contains(t, string(docxPart(t, doc, "word/_rels/document.xml.rels")), `Target="header1.xml"`)
	assert.Contains(t, string(docxPart(t, doc, "[Content_Types].xml")), `/word/header1.xml`)
	assert.Contains(t, string(docxPart(t, doc, "docProps/core.xml")), "<dc:description>Section H")
	assert.Contains(t, body, `w:author="dora"`)
	assert.Contains(t, string(docxPart(t, doc, "word/styles.xml")), `w:styleId="RedlineAbout"><w:name w:val="Redline About"/>`)

	// In the body: the statement first, a paragraph a line, then the text.
	stmt := `<w:body><w:p><w:pPr><w:pStyle w:val="RedlineAbout"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Section H: version 3.0 (effective 2019-11-07) → draft</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="RedlineAbout"/></w:pPr><w:r><w:t xml:space="preserve">Modification MP107 &lt;x&gt;</w:t></w:r></w:p><w:p><w:pPr></w:pPr><w:r><w:t xml:space="preserve">A1.1 The rates:`
	assert.Contains(t, body, stmt)
	assert.Equal(t, 2, strings.Count(body, `w:val="RedlineAbout"`))
	for _, side := range []lawSide{accept, reject} {
		want := map[lawSide]*legaltext.Doc{accept: new, reject: old}[side]
		assert.Equal(t, docWords(want), docxWords(t, doc, side), side.String())
	}

	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not on PATH (install the Debian package pandoc): the statement is not read back")
	}
	for _, side := range []lawSide{accept, reject} {
		got, words := pandocAbout(t, pandoc, doc, side)
		assert.Equal(t, about, got, "pandoc --track-changes=%s: the statement", side)
		want := map[lawSide]*legaltext.Doc{accept: new, reject: old}[side]
		assert.Equal(t, docWords(want), words, "pandoc --track-changes=%s: the text after it", side)
	}

	// Without About, the body is the text alone.
	assert.NotContains(t, string(docxPart(t, renderDOCX(t, r, DOCXOptions{}), "word/document.xml")), "RedlineAbout")
}

// Each changed row of a table is listed under its change and has an anchor of its own.
func TestRowChangesListed(t *testing.T) {
	new := strings.Replace(tableOld, "| Hub | 20 |", "| Hub | 25 |", 1) + "| Relay | 40 | new |\n"
	r := Compare(legaltext.Parse([]byte(tableOld)), legaltext.Parse([]byte(new)))
	var h bytes.Buffer
	require.NoError(t, WriteHTML(&h, r, HTMLOptions{IDPrefix: "doc-"}))
	page := h.String()
	assert.Contains(t, page, `row Hub: changed</a>`)
	assert.Contains(t, page, `row Relay: inserted</a>`)
	hrefs := regexp.MustCompile(`href="#(doc-rl-c\d+-r\d+)"`).FindAllStringSubmatch(page, -1)
	require.Len(t, hrefs, 2)
	for _, m := range hrefs {
		assert.Equal(t, 1, strings.Count(page, `id="`+m[1]+`"`), m[1])
	}
	assert.Equal(t, 0, strings.Count(page, `row Meter`), "unchanged rows are not listed")
}
