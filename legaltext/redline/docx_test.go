package redline

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"codenav/legaltext"
)

func renderDOCX(t testing.TB, r *Redline, o DOCXOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, WriteDOCX(&b, r, o))
	return b.Bytes()
}

func TestDOCXPackage(t *testing.T) {
	dir := filepath.Join(corpusDocs, "section-h")
	r := Compare(parseFile(t, filepath.Join(dir, "1.0.md")), parseFile(t, filepath.Join(dir, "2.0.md")))
	date := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	doc := renderDOCX(t, r, DOCXOptions{Author: `A & "B" <C>`, Date: date, Title: "Section H"})

	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		body := docxPart(t, doc, f.Name)
		// Every part is well-formed XML.
		dec := xml.NewDecoder(bytes.NewReader(body))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, "%s is not well-formed", f.Name)
		}
	}
	for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		assert.Contains(t, names, want)
	}

	styles := string(docxPart(t, doc, "word/styles.xml"))
	for _, id := range []string{"Heading1", "Heading2", "Heading3", "ListParagraph", "TableRow"} {
		assert.Contains(t, styles, `w:styleId="`+id+`"`)
	}
	types := string(docxPart(t, doc, "[Content_Types].xml"))
	assert.Contains(t, types, `PartName="/word/document.xml"`)
	assert.Contains(t, types, `PartName="/word/styles.xml"`)

	body := string(docxPart(t, doc, "word/document.xml"))
	assert.Contains(t, body, `<w:pStyle w:val="Heading1"/>`, "the title is a heading")
	assert.Contains(t, body, `<w:pStyle w:val="Heading2"/>`, "parts are headings")
	assert.Contains(t, body, `<w:pStyle w:val="ListParagraph"/>`, "sub-paragraphs are list paragraphs")
	assert.Contains(t, body, `<w:tbl>`, "tables are Word tables")
	assert.Contains(t, body, `<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p><w:pPr></w:pPr><w:del w:id=`, "a change inside a cell is tracked in that cell")
	assert.Contains(t, body, `<w:del w:id="1" w:author="A &amp; &quot;B&quot; &lt;C&gt;" w:date="2024-03-01T12:00:00Z"><w:r><w:delText xml:space="preserve">H8</w:delText></w:r></w:del>`)
	assert.Contains(t, body, `<w:ins w:id="2" w:author="A &amp; &quot;B&quot; &lt;C&gt;" w:date="2024-03-01T12:00:00Z"><w:r><w:t xml:space="preserve">H13</w:t></w:r></w:ins>`)
	// The deleted clause H14.5: its paragraph mark is tracked too.
	assert.Regexp(t, `<w:p><w:pPr><w:rPr><w:del w:id="\d+"[^>]*/></w:rPr></w:pPr><w:del [^>]*><w:r><w:delText xml:space="preserve">H14.5 A Party may ask`, body)

	// Change ids are unique; deleted text is only in w:delText inside w:del.
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(`<w:(?:ins|del) w:id="(\d+)"`).FindAllStringSubmatch(body, -1) {
		assert.False(t, ids[m[1]], "w:id %s twice", m[1])
		ids[m[1]] = true
	}
	assert.NotRegexp(t, `<w:del [^>]*><w:r><w:t[ >]`, body)
	assert.NotRegexp(t, `<w:ins [^>]*><w:r><w:delText`, body)
	assert.Contains(t, string(docxPart(t, doc, "docProps/core.xml")), "<dc:title>Section H</dc:title>")

	// The same redline and options give the same bytes.
	assert.Equal(t, doc, renderDOCX(t, r, DOCXOptions{Author: `A & "B" <C>`, Date: date, Title: "Section H"}))
}

func TestDOCXEmptyAndHostileText(t *testing.T) {
	doc := renderDOCX(t, Compare(nil, nil), DOCXOptions{})
	assert.Contains(t, string(docxPart(t, doc, "word/document.xml")), "<w:body><w:p/><w:sectPr>")

	// Text Compare did not clean (a Redline built by hand) still makes valid XML.
	r := &Redline{Blocks: []Block{{Lines: []Line{{Ops: []Op{{Kind: OpInsert, Text: "a\x00b\x1f<c>&\uFFFE"}}}}}}}
	body := docxPart(t, renderDOCX(t, r, DOCXOptions{}), "word/document.xml")
	require.NoError(t, xml.Unmarshal(body, new(any)))
	assert.Contains(t, string(body), "ab&lt;c&gt;&amp;")
}

// pandocWords reads a DOCX through pandoc, an independent reader, with its changes accepted
// or rejected, and returns the words. Pandoc lays the text out (wrapping, blank lines); only
// the sequence of words is compared.
func pandocWords(t *testing.T, pandoc string, doc []byte, side lawSide) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "redline.docx")
	require.NoError(t, os.WriteFile(f, doc, 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, pandoc, "-f", "docx", "-t", "html", "--wrap=none", "--track-changes="+side.String(), f).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("pandoc: %v: %s", err, ee.Stderr)
	}
	require.NoError(t, err, "pandoc")
	got, _ := htmlTableWords(t, out)
	return got
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// htmlTableWords reads the words of an HTML document in order, a table row as its cells
// joined by " | " (as the row reads in Markdown), and counts its tables.
func htmlTableWords(t testing.TB, doc []byte) ([]string, int) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	require.NoError(t, err, "parse html")
	var b strings.Builder
	tables := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "table":
			tables++
		case n.Type == html.ElementNode && n.Data == "tr" && strings.TrimSpace(textOf(n)) == "":
			// pandoc keeps a row that Word removes (a tracked inserted row, rejected) as a
			// row of empty cells.
			return
		case n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th"):
			for p := n.PrevSibling; p != nil; p = p.PrevSibling {
				if p.Type == html.ElementNode {
					b.WriteString(" | ")
					break
				}
			}
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
	}
	walk(root)
	return words(b.String()), tables
}

// TestDOCXThroughPandoc: pandoc --track-changes=accept must read the new text and
// --track-changes=reject the old one, word for word.
func TestDOCXThroughPandoc(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not on PATH (install the Debian package pandoc): the DOCX law is then checked by our own reader only")
	}
	pairs := corpusPairs(t)
	if _, err := os.Stat(realText); err == nil {
		pairs = append(pairs, realPairs(t)...)
	} else {
		t.Logf("real text not found at %s: pandoc checks the sample only", realText)
	}
	if testing.Short() {
		// Each pair is two pandoc runs of about a second: under -short, every 6th pair (a
		// spread over the documents, the same each run); go test without -short runs all.
		var some []docPair
		for i := 0; i < len(pairs); i += 6 {
			some = append(some, pairs[i])
		}
		pairs = some
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			old, new := parseFile(t, p.old), parseFile(t, p.new)
			doc := renderDOCX(t, Compare(old, new), DOCXOptions{Author: "codenav", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
			for side, want := range map[lawSide][]string{accept: docWords(new), reject: docWords(old)} {
				if got := pandocWords(t, pandoc, doc, side); !slicesEqual(want, got) {
					t.Errorf("pandoc --track-changes=%s: %s", side, firstDiff(want, got))
				}
			}
		})
	}
}

// TestDOCXThroughPandocMutations runs the pandoc check on seeded random edits, which move,
// renumber and rewrap clauses and add characters that need escaping.
func TestDOCXThroughPandocMutations(t *testing.T) {
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not on PATH (install the Debian package pandoc)")
	}
	bodies := sampleBodies(t)
	seeds := 8
	if testing.Short() {
		seeds = 2 // two pandoc runs of about a second each per seed
	}
	for seed := range seeds {
		old := bodies[seed%len(bodies)]
		new := mutate(old, randFor(seed), 0.5)
		od, nd := legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new))
		doc := renderDOCX(t, Compare(od, nd), DOCXOptions{})
		for side, want := range map[lawSide][]string{accept: docWords(nd), reject: docWords(od)} {
			if got := pandocWords(t, pandoc, doc, side); !slicesEqual(want, got) {
				t.Errorf("seed %d: pandoc --track-changes=%s: %s", seed, side, firstDiff(want, got))
			}
		}
	}
}

func TestXMLEsc(t *testing.T) {
	assert.Equal(t, "a &amp; b &lt;c&gt; &quot;d&quot; 'e'", xmlEsc(`a & b <c> "d" 'e'`))
	assert.Equal(t, "x y", xmlEsc("x\ty"))
	assert.Equal(t, "ab", xmlEsc("a\x00b"))
	assert.Equal(t, strings.Repeat("é", 3), xmlEsc("ééé"))
}
