package redline

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"math/rand/v2"
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
	assert.Contains(t, body, `<w:del w:id="1" w:author="A &amp; &quot;B&quot; &lt;C&gt;" w:date="2024-03-01T12:00:00Z"><w:r><w:delText xml:space="preserve"> H8</w:delText></w:r></w:del>`)
	assert.Contains(t, body, `<w:ins w:id="2" w:author="A &amp; &quot;B&quot; &lt;C&gt;" w:date="2024-03-01T12:00:00Z"><w:r><w:t xml:space="preserve"> H13</w:t></w:r></w:ins>`,
		"the space before the replaced number is in both changes, so that they do not touch")
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
// or rejected, and returns the words of the text after the statement of what the redline
// compares (DOCXOptions.About). Pandoc lays the text out (wrapping, blank lines); only the
// sequence of words is compared.
func pandocWords(t *testing.T, pandoc string, doc []byte, side lawSide) []string {
	t.Helper()
	_, got := pandocAbout(t, pandoc, doc, side)
	return got
}

// pandocAbout is pandocWords that also returns the statement's lines: the paragraphs pandoc
// reads in the style "Redline About" (docx+styles marks them).
func pandocAbout(t *testing.T, pandoc string, doc []byte, side lawSide) (about, words []string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "redline.docx")
	require.NoError(t, os.WriteFile(f, doc, 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, pandoc, "-f", "docx+styles", "-t", "html", "--wrap=none", "--track-changes="+side.String(), f).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		t.Fatalf("pandoc: %v: %s", err, ee.Stderr)
	}
	require.NoError(t, err, "pandoc")
	got, _, about := htmlTableWordsAbout(t, out)
	return about, got
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

// htmlTableWordsAbout reads the words of an HTML document in order, a table row as its cells
// joined by " | " (as the row reads in Markdown), and counts its tables. It leaves out, and
// returns apart, the text of the elements pandoc marks as in the style "Redline About", a
// line each.
func htmlTableWordsAbout(t testing.TB, doc []byte) ([]string, int, []string) {
	t.Helper()
	var about []string
	root, err := html.Parse(bytes.NewReader(doc))
	require.NoError(t, err, "parse html")
	var b strings.Builder
	tables := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && attrOf(n, "data-custom-style") == "Redline About":
			about = append(about, strings.Join(strings.Fields(textOf(n)), " "))
			return
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
	return words(b.String()), tables, about
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
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
			about := []string{"Redline of " + p.name, "Compares " + filepath.Base(p.old) + " with " + filepath.Base(p.new)}
			doc := renderDOCX(t, Compare(old, new), DOCXOptions{Author: "codenav", Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), About: about})
			for side, want := range map[lawSide][]string{accept: docWords(new), reject: docWords(old)} {
				gotAbout, got := pandocAbout(t, pandoc, doc, side)
				if !slicesEqual(want, got) {
					t.Errorf("pandoc --track-changes=%s: %s", side, firstDiff(want, got))
				}
				assert.Equal(t, about, gotAbout, "pandoc --track-changes=%s: the statement", side)
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

// A deletion and an insertion that touch are kept apart on paper without a character added:
// the whitespace beside them moves into both, or else the first ends in wider spacing. The
// text accepted or rejected is exactly the text before.
func TestSeparateChanges(t *testing.T) {
	d, i, e := OpDelete, OpInsert, OpEqual
	cases := []struct {
		name string
		in   []Op
		want []Op
		gaps []int // indexes of ops that end in a gap
	}{
		{"space before", []Op{{e, "on "}, {d, "21.7.2010"}, {i, "11.7.2012"}, {e, " the"}},
			[]Op{{e, "on"}, {d, " 21.7.2010"}, {i, " 11.7.2012"}, {e, " the"}}, nil},
		{"space after only", []Op{{d, "(a)"}, {i, "(b)"}, {e, " text"}},
			[]Op{{d, "(a) "}, {i, "(b) "}, {e, "text"}}, nil},
		{"insertion first", []Op{{e, "x "}, {i, "new"}, {d, "old"}},
			[]Op{{e, "x"}, {i, " new"}, {d, " old"}}, nil},
		{"no whitespace", []Op{{d, "9.95"}, {i, "99.5"}, {e, "%"}},
			[]Op{{d, "9.95"}, {i, "99.5"}, {e, "%"}}, []int{0}},
		{"already apart", []Op{{e, "a "}, {d, "b "}, {i, "c"}, {e, " d"}},
			[]Op{{e, "a "}, {d, "b "}, {i, "c"}, {e, " d"}}, nil},
		{"one kind only", []Op{{e, "a "}, {i, "b"}, {e, " c"}},
			[]Op{{e, "a "}, {i, "b"}, {e, " c"}}, nil},
		{"interleaved", []Op{{e, "a "}, {d, "b"}, {i, "c"}, {d, "d"}, {e, "."}},
			[]Op{{e, "a"}, {d, " b"}, {i, " c"}, {d, "d"}, {e, "."}}, []int{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]Op(nil), c.in...)
			got, gaps := separateChanges(c.in)
			assert.Equal(t, c.want, got)
			assert.Equal(t, in, c.in, "the redline's ops are not changed")
			var want []bool
			for _, k := range c.gaps {
				if want == nil {
					want = make([]bool, len(got))
				}
				want[k] = true
			}
			assert.Equal(t, want, gaps)
		})
	}
}

// The law of separateChanges on random ops: accepted and rejected text are the same strings,
// and no deletion touches an insertion without whitespace or a gap between them.
func TestSeparateChangesLaw(t *testing.T) {
	pieces := []string{"a", "bc", " ", "  ", "x y", " z", "w ", "1.2", ".", "é", "\t", ""}
	side := func(ops []Op, keep OpKind) string {
		var b strings.Builder
		for _, op := range ops {
			if op.Kind == OpEqual || op.Kind == keep {
				b.WriteString(op.Text)
			}
		}
		return b.String()
	}
	for seed := range 2000 {
		rng := rand.New(rand.NewPCG(uint64(seed), 2))
		ops := make([]Op, rng.IntN(8))
		for k := range ops {
			ops[k] = Op{Kind: OpKind(rng.IntN(3)), Text: pieces[rng.IntN(len(pieces))] + pieces[rng.IntN(len(pieces))]}
		}
		got, gaps := separateChanges(ops)
		require.Len(t, got, len(ops))
		for _, keep := range []OpKind{OpInsert, OpDelete} {
			require.Equal(t, side(ops, keep), side(got, keep), "seed %d: %v -> %v", seed, ops, got)
		}
		for k := 0; k+1 < len(got); k++ {
			a, b := got[k], got[k+1]
			if a.Kind != OpEqual && b.Kind != OpEqual && a.Kind != b.Kind {
				assert.True(t, gaps != nil && gaps[k] || spaced(a.Text, b.Text), "seed %d: %q and %q touch", seed, a.Text, b.Text)
			}
		}
	}
}

// On paper, a date replaced by another reads as two dates: pandoc, reading every change
// (--track-changes=all), sees them as two words.
func TestDOCXAdjacentChangesApart(t *testing.T) {
	old := legaltext.Parse([]byte("**H1.1** Effective on 21.7.2010 and (a) kept.\n\n| Rate | 9.95% |\n| --- | --- |\n| x | y |\n"))
	new := legaltext.Parse([]byte("**H1.1** Effective on 11.7.2012 and (a) kept.\n\n| Rate | 99.5% |\n| --- | --- |\n| x | z |\n"))
	r := checkLaw(t, "dates", old, new)
	doc := renderDOCX(t, r, DOCXOptions{})
	body := string(docxPart(t, doc, "word/document.xml"))
	assert.Contains(t, body, `<w:delText xml:space="preserve"> 21.7.2010</w:delText>`)
	assert.Contains(t, body, `<w:t xml:space="preserve"> 11.7.2012</w:t>`)
	assert.Contains(t, body, `<w:spacing w:val="`+gapSpacing+`"/>`, "a cell replaced whole: the deletion ends in a gap")
	pandoc, err := exec.LookPath("pandoc")
	if err != nil {
		t.Skip("pandoc is not on PATH (install the Debian package pandoc)")
	}
	all := strings.Join(pandocWords(t, pandoc, doc, allChanges), " ")
	assert.Contains(t, all, "21.7.2010 11.7.2012")
	for side, want := range map[lawSide]*legaltext.Doc{accept: new, reject: old} {
		assert.Equal(t, docWords(want), pandocWords(t, pandoc, doc, side), "pandoc --track-changes=%s", side)
	}
}

func TestXMLEsc(t *testing.T) {
	assert.Equal(t, "a &amp; b &lt;c&gt; &quot;d&quot; 'e'", xmlEsc(`a & b <c> "d" 'e'`))
	assert.Equal(t, "x y", xmlEsc("x\ty"))
	assert.Equal(t, "ab", xmlEsc("a\x00b"))
	assert.Equal(t, strings.Repeat("é", 3), xmlEsc("ééé"))
}
