package redline

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
)

// awkward are characters that the fast paths treat apart: every ASCII whitespace, Unicode
// spaces (NEL, no-break, em space, ideographic), a zero-width space (not a space), C0
// controls, XML's noncharacters, invalid UTF-8, Markdown and XML markup, list labels.
var awkward = []string{
	" ", "  ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u2003", "\u3000", "\u200b",
	"\x00", "\x01", "\x1f", "\uFFFE", "\uFFFF", "\uFFFD", "\xff", "\xc3", "\xe2\x80",
	"a", "Z", "é", "İ", "ß", "1", "42", ".", ",", "(", ")", "(a)", "(iv)", "(B)", "(12)", "(abcde)",
	"-", "|", ":", "<!--", "-->", "&", "<", ">", "\"", "**", "H1.1", "1. ", "- ", "ǅ",
}

// randomAwkward is a string of n pieces drawn from awkward and plain words.
func randomAwkward(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		if rng.IntN(3) == 0 {
			b.WriteString([]string{"the", "Party", "DCC", "shall"}[rng.IntN(4)])
		} else {
			b.WriteString(awkward[rng.IntN(len(awkward))])
		}
	}
	return b.String()
}

func TestNormalizeIsFieldsJoined(t *testing.T) {
	cases := []string{
		"", " ", "a", " a", "a ", "a b", "a  b", "a\tb", "a\nb", "a \n b", "\u00a0a\u00a0", "a\u0085b",
		"a\u2003\u3000b", "a\u200bb", "\xff \xfe", "x \xc3", "café  naïve", "a\vb\fc\rd", "  \t\n ",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		cases = append(cases, randomAwkward(rng, rng.IntN(12)))
	}
	for _, s := range cases {
		require.Equal(t, refNormalize(s), Normalize(s), "Normalize(%q)", s)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range awkward {
		f.Add(s + "a  b" + s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Normalize(s), refNormalize(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}

func TestCleanTextFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	cases := append([]string{}, awkward...)
	for range 3000 {
		cases = append(cases, randomAwkward(rng, rng.IntN(10)))
	}
	for _, s := range cases {
		require.Equal(t, refCleanText(s), CleanText(s), "CleanText(%q)", s)
	}
}

func TestSubLabelIsTheRegexp(t *testing.T) {
	cases := []string{"", "(", "()", "(a)", "(a", "(a) x", "(a)x", "(abcd)", "(abcde)", "(A)", "(AB)", "(ABC)",
		"(Ab)", "(1)", "(123)", "(1234)", "(1a)", "(a1)", "(iv) the", "(iv)\tx", "(iv)\vx", "(iv)\fx", "((a)", "(é)"}
	// Every string of up to five characters over the alphabet that matters.
	alphabet := []string{"(", ")", "a", "z", "A", "Z", "0", "9", " ", "\t", "\v", "x", "é"}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		cases = append(cases, prefix)
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			grow(prefix+c, n-1)
		}
	}
	grow("(", 5)
	for _, s := range cases {
		require.Equal(t, refSubLabelRE.MatchString(s+" "), subLabel(s), "subLabel(%q)", s)
	}
}

func TestAlnumKeyFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := append([]string{"", "ABC def", "İstanbul", "ǅemal", strings.Repeat("é1", 40), strings.Repeat("x", 30)}, awkward...)
	for range 3000 {
		cases = append(cases, randomAwkward(rng, rng.IntN(30)))
	}
	for _, s := range cases {
		require.Equal(t, refAlnumKey(s), alnumKey(s), "alnumKey(%q)", s)
	}
}

// prepareDocs are versions whose every node the fast preparation must prepare exactly as
// the reference: the sample corpus, the real text, the generated benchmark pair when present,
// seeded random edits of the sample (as Markdown and as plain text), and the edge cases.
func prepareDocs(t *testing.T) map[string]*legaltext.Doc {
	docs := map[string]*legaltext.Doc{}
	for _, p := range corpusPairs(t) {
		docs[p.old], docs[p.new] = parseFile(t, p.old), parseFile(t, p.new)
	}
	if _, err := os.Stat(realText); err == nil {
		for _, dir := range []string{"site-policy", "cc-by"} {
			files, _ := filepath.Glob(filepath.Join(realText, dir, "*@*.*"))
			for _, f := range files {
				docs[f] = parseFile(t, f)
			}
		}
	}
	for _, v := range []string{"39.0.md", "40.0.md"} {
		if p := filepath.Join(benchCorpusPair, v); fileExists(p) {
			docs[p] = parseFile(t, p)
		}
	}
	bodies := sampleBodies(t)
	for seed := range 20 {
		rng := rand.New(rand.NewPCG(uint64(seed), 11))
		s := mutate(bodies[seed%len(bodies)], rng, []float64{0.05, 0.3, 0.9}[seed%3])
		docs[fmt.Sprintf("mutation %d markdown", seed)] = legaltext.Parse([]byte(s))
		docs[fmt.Sprintf("mutation %d plain", seed)] = legaltext.ParseText([]byte(s))
	}
	for k, s := range []string{"Text \xff\xfe here.\n", "A\x00B\x01C \x0b D\x0c.\n", "x \uFFFE y \uFFFF z\n",
		"a < b & c <!-- c -->\n\n<!-- only -->\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "1. one\n1. two\n",
		"**H1.1** (a) x\n\n- (a) one;\n- (b) two.\n   3. three\n", "   \n\n\t\n"} {
		docs[fmt.Sprintf("edge %d markdown", k)] = legaltext.Parse([]byte(s))
		docs[fmt.Sprintf("edge %d plain", k)] = legaltext.ParseText([]byte(s))
	}
	return docs
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestPrepareMatchesReference holds the fast preparation of every node (one pass, fewer
// copies, no regular expressions per line) to the reference written before it.
func TestPrepareMatchesReference(t *testing.T) {
	nodes := 0
	for name, d := range prepareDocs(t) {
		s := newSide(d)
		for i, n := range s.nodes {
			s.prepare(i)
			want := refPrepare(n)
			got := refPrepared{text: s.text[i], full: s.full[i], norm: s.norm[i], lns: s.lns[i]}
			if !assert.Equal(t, want, got, "%s: node %d (%s)", name, i, n.ID) {
				return
			}
			nodes++
		}
	}
	t.Logf("%d nodes prepared alike", nodes)
}

// compareUnshared is Compare with every node of both versions prepared on its own by the
// reference preparation: no node shared between the two versions, no fast path.
func compareUnshared(old, new *legaltext.Doc) *Redline {
	c := &comparer{words: map[string]uint32{}}
	c.old, c.new = newSide(old), newSide(new)
	for _, s := range []*side{c.old, c.new} {
		for i, n := range s.nodes {
			p := refPrepare(n)
			s.text[i], s.full[i], s.norm[i], s.lns[i] = p.text, p.full, p.norm, p.lns
		}
	}
	c.run()
	return c.build()
}

// TestCompareFastPathSameResult compares pairs with Compare (nodes the two versions share
// prepared once, the fast preparation) and with compareUnshared: the redlines must be equal.
func TestCompareFastPathSameResult(t *testing.T) {
	type pair struct {
		name     string
		old, new *legaltext.Doc
	}
	var pairs []pair
	for _, p := range corpusPairs(t) {
		pairs = append(pairs, pair{p.name, parseFile(t, p.old), parseFile(t, p.new)})
	}
	// Every version against its first: more changes than consecutive versions have.
	dirs, _ := os.ReadDir(corpusDocs)
	for _, d := range dirs {
		vs, _ := filepath.Glob(filepath.Join(corpusDocs, d.Name(), "*.md"))
		if len(vs) > 2 {
			pairs = append(pairs, pair{d.Name() + " first..last", parseFile(t, vs[0]), parseFile(t, vs[len(vs)-1])})
		}
	}
	if fileExists(filepath.Join(benchCorpusPair, "40.0.md")) {
		pairs = append(pairs, pair{"bench appendix-br 39.0..40.0",
			parseFile(t, filepath.Join(benchCorpusPair, "39.0.md")), parseFile(t, filepath.Join(benchCorpusPair, "40.0.md"))})
	}
	if _, err := os.Stat(realText); err == nil {
		for _, p := range realPairs(t) {
			pairs = append(pairs, pair{p.name, parseFile(t, p.old), parseFile(t, p.new)})
		}
	}
	bodies := sampleBodies(t)
	for seed := range 12 {
		rng := rand.New(rand.NewPCG(uint64(seed), 13))
		old := bodies[seed%len(bodies)]
		new := mutate(old, rng, []float64{0.05, 0.3, 0.9}[seed%3])
		pairs = append(pairs,
			pair{fmt.Sprintf("mutation %d markdown", seed), legaltext.Parse([]byte(old)), legaltext.Parse([]byte(new))},
			pair{fmt.Sprintf("mutation %d plain", seed), legaltext.ParseText([]byte(old)), legaltext.ParseText([]byte(new))})
	}
	pairs = append(pairs, pair{"nil old", nil, legaltext.Parse([]byte("**H1.1** x\n"))}, pair{"nil new", legaltext.Parse([]byte("x\n")), nil})
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			assert.Equal(t, compareUnshared(p.old, p.new), Compare(p.old, p.new))
		})
	}
}

func TestXMLPlainIsXMLEscIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cases := append([]string{"", "plain text", "a & b", "é ü"}, awkward...)
	for range 3000 {
		cases = append(cases, randomAwkward(rng, rng.IntN(8)))
	}
	slow := func(s string) string { // xmlEsc without its fast path
		var b strings.Builder
		for _, r := range s {
			switch {
			case r == '&':
				b.WriteString("&amp;")
			case r == '<':
				b.WriteString("&lt;")
			case r == '>':
				b.WriteString("&gt;")
			case r == '"':
				b.WriteString("&quot;")
			case r == '\t' || r == '\n' || r == '\r':
				b.WriteByte(' ')
			case !xmlChar(r):
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	for _, s := range cases {
		require.Equal(t, slow(s), xmlEsc(s), "xmlEsc(%q)", s)
		if xmlPlain(s) {
			require.True(t, utf8.ValidString(s))
		}
	}
}

// encoderJSON is what WriteJSON wrote before it was written by hand: encoding/json's
// Encoder, indented by two spaces. WriteJSON must write the same bytes.
func encoderJSON(t testing.TB, r *Redline) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(r.jsonValue()))
	return b.String()
}

func writeJSONString(t testing.TB, r *Redline) string {
	var b strings.Builder
	require.NoError(t, WriteJSON(&b, r))
	return b.String()
}

// TestWriteJSONIsTheEncoders compares WriteJSON with encoding/json on the redlines of the
// sample, the real text, random edits, and a redline built by hand with every optional field
// set and unset and awkward strings everywhere.
func TestWriteJSONIsTheEncoders(t *testing.T) {
	var rs []*Redline
	for _, p := range corpusPairs(t) {
		rs = append(rs, Compare(parseFile(t, p.old), parseFile(t, p.new)))
	}
	if _, err := os.Stat(realText); err == nil {
		for _, p := range realPairs(t) {
			rs = append(rs, Compare(parseFile(t, p.old), parseFile(t, p.new)))
		}
	}
	bodies := sampleBodies(t)
	for seed := range 8 {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		old := bodies[seed%len(bodies)]
		rs = append(rs, Compare(legaltext.Parse([]byte(old)), legaltext.Parse([]byte(mutate(old, rng, 0.3)))))
	}
	rs = append(rs, Compare(nil, nil), &Redline{})
	rng := rand.New(rand.NewPCG(9, 10))
	hand := &Redline{Summary: Summary{Clauses: Counts{1, 2, 3, 4, 5, 6}, Blocks: Counts{Unchanged: -1}}}
	for k := range 40 {
		b := Block{Kind: Change(k % 7), Node: legaltext.Kind(k % 3), Change: k % 3, Pair: k % 2, Level: k % 4, Wording: k%2 == 0,
			OldID: randomAwkward(rng, k%3), NewID: randomAwkward(rng, k%2)}
		if k%3 == 1 {
			b.Where, b.Spans = []string{"§ 14a (2)", randomAwkward(rng, 3)}, []string{randomAwkward(rng, 2)}
		}
		for m := range k % 4 {
			l := Line{Kind: Change(m % 4), Style: Style(m % 4), Level: m % 3}
			if m == 1 {
				l.Unit = "§ 14a (2) " + randomAwkward(rng, 2)
			}
			for n := range m % 3 {
				l.Ops = append(l.Ops, Op{Kind: OpKind(n % 3), Text: randomAwkward(rng, 6) + "\u2028\u2029<&>\"\\\x7f"})
			}
			if m == 2 {
				l.Ops = []Op{} // empty, not nil
			}
			b.Lines = append(b.Lines, l)
		}
		switch k % 5 {
		case 1:
			b.Diff = []Line{}
		case 2:
			b.Diff = b.Lines
		}
		hand.Blocks = append(hand.Blocks, b)
	}
	rs = append(rs, hand)
	for k, r := range rs {
		require.Equal(t, encoderJSON(t, r), writeJSONString(t, r), "redline %d", k)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s + "\u2028 <a href=\"x\">&amp;</a> \\ \x7f")
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// TestDOCXPartsAsFreshCompressors checks that reusing one compressor for every part of a
// DOCX gives each part the bytes a new compressor gives it.
func TestDOCXPartsAsFreshCompressors(t *testing.T) {
	p := corpusPairs(t)[0]
	var buf bytes.Buffer
	require.NoError(t, WriteDOCX(&buf, Compare(parseFile(t, p.old), parseFile(t, p.new)), DOCXOptions{Title: "t"}))
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Len(t, z.File, 8)
	for _, f := range z.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		raw, err := f.OpenRaw()
		require.NoError(t, err)
		got, err := io.ReadAll(raw)
		require.NoError(t, err)
		var want bytes.Buffer
		fw, err := flate.NewWriter(&want, flate.BestSpeed)
		require.NoError(t, err)
		_, err = fw.Write(data)
		require.NoError(t, err)
		require.NoError(t, fw.Close())
		assert.Equal(t, want.Bytes(), got, f.Name)
	}
}

// FuzzCompareFastPath holds Compare to compareUnshared on any pair of inputs, as Markdown and
// as plain text.
func FuzzCompareFastPath(f *testing.F) {
	f.Add([]byte("**H1.1** A Party shall.\n\n**H1.2** The DCC shall.\n"), []byte("**H1.1** A Party may.\n\n**H1.3** The DCC shall.\n"))
	f.Add([]byte("# T\n\n- (a) one;\n- (b) two.\n"), []byte("# T\n\n- (a) one;\n- (c) three.\n"))
	f.Add([]byte("| a | b |\n|---|---|\n| 1 | 2 |\n"), []byte("| a | b |\n|---|---|\n| 1 | 3 |\n"))
	f.Add([]byte("1. one\n2. two\n<!-- x -->\n"), []byte("1. one\n1. two\n"))
	f.Add([]byte("x\xffy\v\u2028"), []byte("x\x00y <&>\u00a0 z"))
	f.Fuzz(func(t *testing.T, old, new []byte) {
		for _, parse := range []func([]byte) *legaltext.Doc{legaltext.Parse, legaltext.ParseText} {
			o, n := parse(old), parse(new)
			require.Equal(t, compareUnshared(o, n), Compare(o, n))
		}
	})
}
