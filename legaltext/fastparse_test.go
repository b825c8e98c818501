package legaltext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bothParses parses src on the fast path (when it takes src) and with goldmark, and reports
// whether the fast path took it.
func bothParses(src []byte) (fast, full *Doc, took bool) {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	full = parseFull(src, SEC(), ParseOptions{})
	root, ok := fastTree(src)
	if !ok {
		return nil, full, false
	}
	return parseTree(src, SEC(), root, false, ParseOptions{}), full, true
}

// sameDoc asserts that the fast path's document is the full parse's: title, every field of
// every node (ids, text, source, line, path, applicability, references, sub-paragraphs),
// definitions and problems.
func sameDoc(t testing.TB, name string, fast, full *Doc) bool {
	t.Helper()
	ok := assert.Equal(t, full.Title, fast.Title, "%s: title", name)
	ok = assert.Equal(t, len(full.Nodes), len(fast.Nodes), "%s: number of nodes", name) && ok
	for i := range min(len(full.Nodes), len(fast.Nodes)) {
		if !assert.Equal(t, *full.Nodes[i], *fast.Nodes[i], "%s: node %d (%s)", name, i, full.Nodes[i].ID) {
			return false
		}
	}
	ok = assert.Equal(t, full.Definitions, fast.Definitions, "%s: definitions", name) && ok
	ok = assert.Equal(t, full.Problems, fast.Problems, "%s: problems", name) && ok
	return assert.Equal(t, full.text, fast.text, "%s: text", name) && ok
}

// diffFiles checks every file, and returns how many the fast path took.
func diffFiles(t *testing.T, files []string) int {
	t.Helper()
	took := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		body := data
		if _, b, _, ok, closed := FrontMatter(data); ok && closed {
			body = b
		}
		fast, full, ok := bothParses(body)
		if ok {
			took++
			sameDoc(t, p, fast, full)
		}
	}
	return took
}

// TestParseFastSample: every version of the sample corpus parses alike on both paths.
func TestParseFastSample(t *testing.T) {
	files := versionFiles(t)
	took := diffFiles(t, files)
	t.Logf("fast path took %d of %d sample versions", took, len(files))
}

// TestParseFastRealText: the same for the real texts of ../shared/realtext (Markdown ones).
func TestParseFastRealText(t *testing.T) {
	files := realtext(t, "*/*.md")
	took := diffFiles(t, files)
	t.Logf("fast path took %d of %d real texts", took, len(files))
}

// TestParseFastGenerated: bench/gen's corpus, which is written in the subset, parses on the
// fast path, every version of it, and alike.
func TestParseFastGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping under -short: builds and runs bench/gen")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("skipping: the go command is not on PATH (needed to run bench/gen)")
	}
	dir := filepath.Join(t.TempDir(), "corpus")
	cmd := exec.Command("go", "run", "../bench/gen", "-out", dir, "-docs", "8", "-versions", "6", "-words", "4000", "-seed", "11")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "bench/gen: %s", out)
	files, err := filepath.Glob(filepath.Join(dir, "documents", "*", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	took := diffFiles(t, files)
	assert.Equal(t, len(files), took, "the fast path should take every generated version")
}

// TestParseFastCases: small inputs at the edges of the subset, each either taken and parsed
// alike, or left to goldmark.
func TestParseFastCases(t *testing.T) {
	cases := []struct {
		name string
		src  string
		took bool
	}{
		{"paragraph", "Some text\nover two lines.\n", true},
		{"clause", "**H1.1** The Party shall comply with H2.3.\n", true},
		{"clause with attributes", "**H1.1** {parties=\"dcc\" roles=\"x\"} The DCC shall act.\n", true},
		{"bad clause attributes", "**H1.1** {colour=\"red\"} The DCC shall act.\n", true},
		{"definition", "In this Section \"**Working Day**\" means a day.\n", true},
		{"curly definition", "In this Section \u201c**Working Day**\u201d means a day.\n", true},
		{"headings", "# Title\n\n## H1 Part {#H1 parties=\"dcc other\"}\n\n### Sub\n\nText.\n", true},
		{"duplicate heading ids", "## A {#A}\n\n## B {#A}\n", true},
		{"empty parties", "## A {#A parties=\"\"}\n", true},
		{"list", "**H1.2** The Party shall:\n\n- (a) do this;\n- (b) that,\n  wrapped; and\n  - (i) more\n    wrapped\n- (c) last.\n\nAfter.\n", true},
		{"loose list", "- (a) one\n\n- (b) two\n", true},
		{"table", "| A | B |\n| --- | --- |\n| x | **y** |\n|  | z |\n", true},
		{"definitions table", "**H2.1** Terms:\n\n| Expression | Meaning |\n| --- | --- |\n| **Party** | a party |\n| Day | a day |\n", true},
		{"blank lines only", "\n\n  \n", false},
		{"link", "See [H1](#H1).\n", false},
		{"footnote", "Text[^1].\n\n[^1]: Note.\n", false},
		{"code", "Use `x`.\n", false},
		{"star list", "* one\n", false},
		{"ordered list", "1. one\n", false},
		{"lazy continuation", "- (a) one\ntwo\n", false},
		{"setext", "Title\n---\n", false},
		{"definition list", "Term\n: meaning\n", false},
		{"trailing spaces", "hard  \nbreak\n", false},
		{"bold at line end", "a **B**\nc\n", false},
		{"single star", "a * b\n", false},
		{"html", "<b>x</b>\n", false},
		{"indented", "    code\n", false},
		{"table alignment", "| A |\n| :-- |\n| x |\n", false},
		{"ragged table", "| A | B |\n| --- | --- |\n| x |\n", false},
		{"heading class", "## A {.c}\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fast, full, took := bothParses([]byte(c.src))
			require.Equal(t, c.took, took)
			if took {
				sameDoc(t, c.name, fast, full)
			}
		})
	}
}

// TestParseFastRenders: a document parsed on the fast path renders as the full parse does
// (Render parses it again with goldmark).
func TestParseFastRenders(t *testing.T) {
	src := sampleH(t)
	d := Parse(src)
	require.Nil(t, d.root, "the fast path keeps no syntax tree")
	l := newFakeLinker(benchTerms(t, 40), "A", "G", "H", "I", "L")
	got, err := Render(d, l)
	require.NoError(t, err)
	want, err := Render(parseFull(src, SEC(), ParseOptions{}), l)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// FuzzParseFast: on any input the fast path takes, it gives the full parse's document.
func FuzzParseFast(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	for _, s := range []string{
		"**H1.1** {parties=\"dcc\"} The DCC \"**Term**\" shall.\n\n- (a) x\n  - (i) y\n\n| A | B |\n| --- | --- |\n| **x** | y |\n",
		"## H1 Part {#H1 roles=\"r\"}\n\n**H1.1** Text\nmore text.\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			return
		}
		fast, full, took := bothParses(src)
		if took && !sameDoc(t, "input", fast, full) {
			t.Logf("input: %q", src)
		}
	})
}

// samePick asserts that PickScheme picks what DetectScheme does, and returns the document
// ParseScheme gives with it.
func samePick(t *testing.T, name string, src []byte) {
	t.Helper()
	want, scores := DetectScheme(src)
	got, d := PickScheme(src)
	if assert.Equal(t, want.Name, got.Name, "%s: %v", name, scores) {
		sameDoc(t, name, d, ParseScheme(src, want))
	}
}

// TestPickScheme: PickScheme agrees with DetectScheme on the inputs of TestDetectScheme, the
// sample corpus and the real texts.
func TestPickScheme(t *testing.T) {
	for _, src := range []string{
		"## H1 P {#H1}\n\n**H1.1** Text.\n",
		"## § 1 A\n\n(1) B.\n\n## § 2 C\n\nD.\n",
		"# § 1-1. T\n\n(a) A.\n\n(b) B.\n",
		"1.—(1) A.\n\n(2) B.\n\n2.—(1) C.\n",
		"**1.**—(1) A.\n\n(2) B.\n\n**2.**—(1) C.\n",
		"## A. One\n\nText.\n\n## B. Two\n\nText.\n",
		"Just words, nothing numbered.\n",
		"1\\. Definitions\n\n- a. x\n- b. y\n\n2\\. Grant. Text.\n",
		"",
	} {
		samePick(t, src, []byte(src))
	}
	files := versionFiles(t)
	if _, err := os.Stat(realtextDir); err == nil {
		more, _ := filepath.Glob(filepath.Join(realtextDir, "*", "*"))
		files = append(files, more...)
	} else {
		t.Logf("%s is missing: the real texts are not checked", realtextDir)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		if _, b, _, ok, closed := FrontMatter(data); ok && closed {
			data = b
		}
		samePick(t, p, data)
	}
}

// FuzzPickScheme: on any input, PickScheme picks DetectScheme's scheme.
func FuzzPickScheme(f *testing.F) {
	seedFiles(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 16<<10 {
			return
		}
		want, _ := DetectScheme(src)
		got, _ := PickScheme(src)
		if want.Name != got.Name {
			t.Fatalf("PickScheme %s, DetectScheme %s: %q", got.Name, want.Name, src)
		}
	})
}
