package docimport

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"codenav/legaltext"
	"codenav/legaltext/redline"
)

// Every test here checks the law of the package: the words of the import, as legaltext reads
// it, are the words of the source.

func TestNoWordLostRedlineWriter(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.name, func(t *testing.T) {
			res, err := ReadDOCX(redlineDOCX(t, s.body), Options{})
			require.NoError(t, err)
			requireSameWords(t, wordsOf(s.body), wordsOf([]byte(res.Markdown)), s.name)
			requireSameWords(t, Words(res.Source), wordsOf([]byte(res.Markdown)), s.name+" (source)")
		})
	}
}

func TestNoWordLostPandoc(t *testing.T) {
	needTool(t, "pandoc", "Debian package pandoc")
	for _, s := range shortSamples(t, 6) {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			res, err := ReadDOCX(pandoc(t, s.body, "markdown", "docx"), Options{})
			require.NoError(t, err)
			requireSameWords(t, wordsOf(s.body), wordsOf([]byte(res.Markdown)), s.name)
		})
	}
}

// TestNoWordLostLibreOffice converts each sample version to ODT (pandoc, from GitHub
// Markdown so that attributes stay text) and to HTML, then both to DOCX with LibreOffice.
func TestNoWordLostLibreOffice(t *testing.T) {
	skipLibreOfficeIfShort(t)
	needTool(t, "soffice", "Debian package libreoffice-writer-nogui")
	needTool(t, "pandoc", "Debian package pandoc")
	ss := samples(t)
	in := map[string][]byte{}
	for _, s := range ss {
		in[s.name+".odt"] = pandoc(t, s.body, "gfm", "odt")
		in[s.name+"-html.html"] = pandoc(t, s.body, "gfm", "html")
	}
	out := soffice(t, in)
	for _, s := range ss {
		for _, route := range []string{s.name + ".odt", s.name + "-html.html"} {
			t.Run(route, func(t *testing.T) {
				res, err := ReadDOCX(out[route], Options{})
				require.NoError(t, err)
				requireSameWords(t, wordsOf(s.body), wordsOf([]byte(res.Markdown)), route)
			})
		}
	}
}

func TestNoWordLostRealText(t *testing.T) {
	if _, err := os.Stat(realText); err != nil {
		t.Skipf("%s is absent (real legal texts shared between projects): skipping", realText)
	}
	paths, err := filepath.Glob(filepath.Join(realText, "*", "*"))
	require.NoError(t, err)
	n := 0
	for _, path := range paths {
		ext := filepath.Ext(path)
		if ext != ".md" && ext != ".txt" {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			res, err := Import(path, data, Options{})
			require.NoError(t, err)
			want := Words(string(data))
			if ext == ".md" {
				_, body, _, _, _ := legaltext.FrontMatter(data)
				want = wordsOf(body)
			}
			requireSameWords(t, want, wordsOf([]byte(res.Markdown)), path)
			require.Empty(t, legaltext.Parse([]byte(res.Markdown)).Problems)
		})
	}
	require.Positive(t, n, "no .md or .txt under %s", realText)
}

// TestNoWordLostSampleAsText imports each sample version's plain text (what a PDF or a
// copy from a web page gives): the words survive, and the clauses come back by their numbers.
func TestNoWordLostSampleAsText(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.name, func(t *testing.T) {
			orig := legaltext.Parse(s.body)
			res, err := ReadText([]byte(orig.Text()), Options{})
			require.NoError(t, err)
			got := legaltext.Parse([]byte(res.Markdown))
			requireSameWords(t, Words(orig.Text()), Words(got.Text()), s.name)
			require.Equal(t, clauseIDs(orig), clauseIDs(got), s.name)
			require.Empty(t, got.Problems, s.name)
		})
	}
}

func clauseIDs(d *legaltext.Doc) []string {
	var out []string
	for _, c := range d.Clauses() {
		out = append(out, c.ID)
	}
	return out
}

func TestMarkdownKeptAsIs(t *testing.T) {
	for _, s := range samples(t) {
		data, err := os.ReadFile(s.path)
		require.NoError(t, err)
		res, err := ReadMarkdown(data, Options{})
		require.NoError(t, err)
		require.Equal(t, strings.TrimLeft(string(s.body), "\n"), res.Markdown, s.name)
	}
}

// A Word redline downloaded from codenav opens with what it compares (redline.DOCXOptions
// About): importing it gives the text alone, and the report says the statement was left out.
func TestRedlineAboutLeftOut(t *testing.T) {
	s := samples(t)[0]
	d := legaltext.Parse(s.body)
	var buf bytes.Buffer
	require.NoError(t, redline.WriteDOCX(&buf, redline.Compare(d, d), redline.DOCXOptions{
		About: []string{"Section H: DCC Services", "Compares version 3.0 (effective 2019-11-07) with the draft", "Drafted by dora"}}))
	res, err := ReadDOCX(buf.Bytes(), Options{})
	require.NoError(t, err)
	requireSameWords(t, wordsOf(s.body), wordsOf([]byte(res.Markdown)), s.name)
	assert.NotContains(t, res.Markdown, "Drafted by dora")
	var kinds []string
	for _, f := range res.Report {
		kinds = append(kinds, f.Kind+": "+f.Message)
	}
	assert.Contains(t, kinds, "structure: the redline's statement of what it compares (style Redline About) left out")
}
