package redline

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"codenav/legaltext"
)

// The law every renderer keeps: accepting every change gives the new text, rejecting every
// change the old text, word for word. Each renderer is read back by an extractor written
// here from the rendered bytes alone.

// side of the law: accept keeps insertions, reject keeps deletions.
type lawSide int

const (
	accept lawSide = iota
	reject
	// allChanges is every change shown, as a reader sees a redline (pandoc's "all").
	allChanges
)

func (s lawSide) String() string {
	switch s {
	case accept:
		return "accept"
	case allChanges:
		return "all"
	}
	return "reject"
}

// htmlWords reads the document text of an HTML redline: the content of the "rl-doc"
// element without annotations (class rl-note, rl-sr), without <del> (accept) or <ins>
// (reject), tags stripped and entities decoded. Block elements separate words.
func htmlWords(t testing.TB, doc []byte, side lawSide) []string {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(doc))
	require.NoError(t, err, "parse html")
	var b strings.Builder
	var walk func(n *html.Node, inDoc bool)
	walk = func(n *html.Node, inDoc bool) {
		if n.Type == html.ElementNode {
			cls := attr(n, "class")
			if hasClass(cls, "rl-doc") {
				inDoc = true
			}
			if inDoc && (hasClass(cls, "rl-note") || hasClass(cls, "rl-sr")) {
				return
			}
			if inDoc && (side == accept && n.Data == "del" || side == reject && n.Data == "ins") {
				return
			}
			// A table row is read as its cells joined by " | " (the row's text in Markdown);
			// a row that exists in the other version only is not read at all.
			if inDoc && n.Data == "tr" && (side == accept && hasClass(cls, "rl-row-del") || side == reject && hasClass(cls, "rl-row-ins")) {
				return
			}
			if inDoc && n.Data == "td" && n.PrevSibling != nil {
				b.WriteString(" | ")
			}
			switch n.Data {
			case "tr", "table":
				b.WriteByte(' ')
				defer b.WriteByte(' ')
			case "p", "h1", "h2", "h3", "h4", "h5", "h6", "section", "div", "li":
				b.WriteByte(' ')
				defer b.WriteByte(' ')
			}
		}
		if n.Type == html.TextNode && inDoc {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inDoc)
		}
	}
	walk(root, false)
	return words(b.String())
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(cls, c string) bool {
	for _, f := range strings.Fields(cls) {
		if f == c {
			return true
		}
	}
	return false
}

// jsonWords reads the text of a JSON redline from its ops.
func jsonWords(t testing.TB, doc []byte, side lawSide) []string {
	t.Helper()
	var v struct {
		Format string `json:"format"`
		Blocks []struct {
			Lines []struct {
				Ops []struct {
					Op   string `json:"op"`
					Text string `json:"text"`
				} `json:"ops"`
			} `json:"lines"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal(doc, &v), "decode json")
	require.Equal(t, JSONFormat, v.Format)
	keep := "insert"
	if side == reject {
		keep = "delete"
	}
	var b strings.Builder
	for _, bl := range v.Blocks {
		for _, l := range bl.Lines {
			b.WriteByte(' ')
			for _, op := range l.Ops {
				if op.Op == "equal" || op.Op == keep {
					b.WriteString(op.Text)
				}
			}
		}
	}
	return words(b.String())
}

// docxWords reads the text of a DOCX redline from word/document.xml: for accept, w:t in
// ordinary runs and in w:ins; for reject, w:t in ordinary runs and w:delText in w:del.
func docxWords(t testing.TB, doc []byte, side lawSide) []string {
	t.Helper()
	body := docxPart(t, doc, "word/document.xml")
	dec := xml.NewDecoder(bytes.NewReader(body))
	var b strings.Builder
	var stack []string
	// A table row is read as its cells joined by " | "; a row tracked as inserted (deleted)
	// is left out when rejecting (accepting).
	var row *strings.Builder
	var cells []string
	skipRow, aboutP := false, false
	out := &b
	in := func(name string) bool {
		for _, s := range stack {
			if s == name {
				return true
			}
		}
		return false
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "document.xml is not well-formed XML")
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			switch {
			case e.Name.Local == "tr":
				cells, skipRow = nil, false
			case e.Name.Local == "tc":
				row = &strings.Builder{}
				out = row
			case in("trPr") && (side == accept && e.Name.Local == "del" || side == reject && e.Name.Local == "ins"):
				skipRow = true
			case e.Name.Local == "pStyle":
				for _, a := range e.Attr {
					if a.Name.Local == "val" && a.Value == AboutStyle {
						aboutP = true // the statement of what the redline compares: not the text
					}
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			switch e.Name.Local {
			case "p":
				aboutP = false
				out.WriteByte(' ')
			case "tc":
				cells = append(cells, strings.TrimSpace(row.String()))
				out = &b
			case "tr":
				if !skipRow {
					b.WriteString(" " + strings.Join(cells, " | ") + " ")
				}
			}
		case xml.CharData:
			if len(stack) == 0 || aboutP {
				continue
			}
			switch stack[len(stack)-1] {
			case "t":
				if side == accept && !in("del") || side == reject && !in("ins") {
					out.Write(e)
				}
			case "delText":
				if side == reject && in("del") {
					out.Write(e)
				}
			}
		}
	}
	return words(b.String())
}

func docxPart(t testing.TB, doc []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	require.NoError(t, err, "open docx")
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			require.NoError(t, err)
			defer rc.Close()
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			return b
		}
	}
	t.Fatalf("docx has no %s", name)
	return nil
}

// renderers are every output of a redline, each with its extractor.
var renderers = []struct {
	name    string
	render  func(io.Writer, *Redline) error
	extract func(testing.TB, []byte, lawSide) []string
}{
	{"html", func(w io.Writer, r *Redline) error { return WriteHTML(w, r, HTMLOptions{Standalone: true}) }, htmlWords},
	{"html-fragment", func(w io.Writer, r *Redline) error { return WriteHTML(w, r, HTMLOptions{}) }, htmlWords},
	{"json", func(w io.Writer, r *Redline) error { return WriteJSON(w, r) }, jsonWords},
	{"docx", func(w io.Writer, r *Redline) error {
		return WriteDOCX(w, r, DOCXOptions{Author: "Test & <Author>", Date: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
			About: []string{"Section T: version 1.0 (effective 2024-01-01) → version 2.0", "Modification MP1 & <more>"}})
	}, docxWords},
}

// checkLaw compares old with new and checks the law for AcceptAll/RejectAll and for every
// renderer.
func checkLaw(t testing.TB, name string, old, new *legaltext.Doc) *Redline {
	t.Helper()
	r := Compare(old, new)
	want := map[lawSide][]string{accept: docWords(new), reject: docWords(old)}
	got := map[lawSide][]string{accept: words(r.AcceptAll()), reject: words(r.RejectAll())}
	for _, side := range []lawSide{accept, reject} {
		if !slicesEqual(want[side], got[side]) {
			t.Fatalf("%s: %sAll: %s", name, side, firstDiff(want[side], got[side]))
		}
	}
	for _, rd := range renderers {
		var buf bytes.Buffer
		require.NoError(t, rd.render(&buf, r), "%s: render %s", name, rd.name)
		for _, side := range []lawSide{accept, reject} {
			if g := rd.extract(t, buf.Bytes(), side); !slicesEqual(want[side], g) {
				t.Fatalf("%s: %s %s-all: %s", name, rd.name, side, firstDiff(want[side], g))
			}
		}
	}
	return r
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestLawSampleCorpus(t *testing.T) {
	for _, p := range corpusPairs(t) {
		t.Run(p.name, func(t *testing.T) {
			checkLaw(t, p.name, parseFile(t, p.old), parseFile(t, p.new))
		})
	}
}

func TestLawRealText(t *testing.T) {
	for _, p := range realPairs(t) {
		t.Run(p.name, func(t *testing.T) {
			checkLaw(t, p.name, parseFile(t, p.old), parseFile(t, p.new))
		})
	}
}

// TestLawRandomMutations checks the law on seeded random edits of the sample, parsed as
// Markdown and as plain text.
func TestLawRandomMutations(t *testing.T) {
	bodies := sampleBodies(t)
	n := 60
	if testing.Short() {
		n = 15
	}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		old := bodies[seed%len(bodies)]
		rate := []float64{0.05, 0.3, 0.9}[seed%3]
		new := mutate(old, rng, rate)
		if seed%4 == 3 {
			new = mutate(new, rng, rate) // edits upon edits
		}
		name := fmt.Sprintf("seed %d rate %.2f", seed, rate)
		checkLaw(t, name+" markdown", legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new)))
		checkLaw(t, name+" plain", legaltext.ParseText([]byte(old)), legaltext.ParseText([]byte(new)))
	}
}

// TestLawEdgeCases covers empty documents, invalid UTF-8, characters XML cannot carry, and
// markup in the text.
func TestLawEdgeCases(t *testing.T) {
	cases := []struct{ name, old, new string }{
		{"both empty", "", ""},
		{"old empty", "", "**H1.1** A clause.\n"},
		{"new empty", "# T\n\nSome text.\n", ""},
		{"invalid utf-8", "Text \xff\xfe here.\n", "Text \xc3\x28 there.\n"},
		{"control characters", "A\x00B\x01C \x0b D\x0c.\n", "A\x00B C \x1f D.\n"},
		{"xml specials", "a < b & c > d \"q\" 'r' ]]> <!-- c -->\n", "a <= b && c >> d \"q\" ]]>\n"},
		{"nonchars", "x \uFFFE y \uFFFF z\n", "x \uFFFE z\n"},
		{"html", "<div>raw <b>html</b></div>\n\nafter\n", "<div>raw <i>html</i></div>\n\nafter\n"},
		{"only whitespace", "   \n\n\t\n", "\n"},
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b | c |\n|---|---|---|\n| 1 | 3 | 4 |\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkLaw(t, c.name, legaltext.Parse([]byte(c.old)), legaltext.Parse([]byte(c.new)))
			checkLaw(t, c.name+" plain", legaltext.ParseText([]byte(c.old)), legaltext.ParseText([]byte(c.new)))
		})
	}
	t.Run("nil docs", func(t *testing.T) {
		r := Compare(nil, nil)
		require.Empty(t, r.Blocks)
		r = Compare(nil, legaltext.Parse([]byte("text")))
		require.Equal(t, "text", r.AcceptAll())
		require.Equal(t, "", r.RejectAll())
	})
	t.Run("nil nodes", func(t *testing.T) {
		d := &legaltext.Doc{Nodes: []*legaltext.Node{nil, {Kind: legaltext.KindBlock, ID: "p-1", Text: "x"}}}
		require.Equal(t, "x", Compare(nil, d).AcceptAll())
	})
}

// FuzzCompare checks that Compare never panics and that the law holds for every renderer,
// on Markdown and on plain text.
func FuzzCompare(f *testing.F) {
	f.Add([]byte("**H1.1** A Party shall.\n\n**H1.2** The DCC shall.\n"), []byte("**H1.1** A Party may.\n\n**H1.3** The DCC shall.\n"))
	f.Add([]byte("# T\n\n- (a) one;\n- (b) two.\n"), []byte("# T\n\n- (a) one;\n- (c) three.\n"))
	f.Add([]byte("| a | b |\n|---|---|\n| 1 | 2 |\n"), []byte("| a | b |\n|---|---|\n| 1 | 3 |\n"))
	f.Add([]byte("1. one\n2. two\n"), []byte("1. one\n1. two\n"))
	f.Add([]byte("x\xffy"), []byte("x\x00y <&>"))
	f.Add([]byte(""), []byte("## H2 Part {#H2}\n\ntext\n"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		checkLaw(t, "markdown", legaltext.Parse(old), legaltext.Parse(new))
		checkLaw(t, "plain", legaltext.ParseText(old), legaltext.ParseText(new))
	})
}
