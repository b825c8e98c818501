package legaltext

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// corpusDir is the bundled sample corpus, relative to the package directory.
const corpusDir = "../corpus/sec"

// realtextDir holds real legal text written elsewhere (see its README). It lives outside the
// repository: tests read it in place and skip when it is missing.
const realtextDir = "../../shared/realtext"

// fakeLinker resolves references to clauses whose prefix is in prefixes (and to the documents
// in docs), and every term of its matcher.
type fakeLinker struct {
	prefixes map[string]bool
	docs     map[string]bool
	m        *TermMatcher
	termRefs map[string]bool // terms it refuses to resolve
}

func newFakeLinker(terms []string, prefixes ...string) *fakeLinker {
	l := &fakeLinker{prefixes: map[string]bool{}, docs: map[string]bool{}, m: NewTermMatcher(terms)}
	for _, p := range prefixes {
		l.prefixes[p] = true
	}
	return l
}

func (l *fakeLinker) RefHref(r Ref) (string, bool) {
	switch r.Kind {
	case RefDocument:
		if l.docs[r.Label] {
			return "/docs/" + Slug(r.Label), true
		}
		return "", false
	default:
		if !l.prefixes[r.Prefix] {
			return "", false
		}
		return "/docs/" + strings.ToLower(r.Prefix) + "#" + r.Anchor(), true
	}
}

func (l *fakeLinker) TermHref(term string) (string, bool) {
	if l.termRefs[term] {
		return "", false
	}
	return "/glossary#term-" + Slug(term), true
}

func (l *fakeLinker) Terms() *TermMatcher { return l.m }

// versionFiles returns every version file of the sample corpus (documents and proposed legal
// text of modifications).
func versionFiles(t testing.TB) []string {
	t.Helper()
	a, err := filepath.Glob(filepath.Join(corpusDir, "documents", "*", "*.md"))
	require.NoError(t, err)
	b, err := filepath.Glob(filepath.Join(corpusDir, "modifications", "*", "legal-text", "*.md"))
	require.NoError(t, err)
	files := append(a, b...)
	require.NotEmpty(t, files, "no version files under %s", corpusDir)
	sort.Strings(files)
	return files
}

// readBody reads a Markdown file and returns its body without front matter.
func readBody(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	_, body, _, ok, closed := FrontMatter(data)
	if ok {
		require.True(t, closed, "%s: unclosed front matter", path)
	}
	return body
}

// realtext returns the files of ../shared/realtext matching pattern, or skips the test when
// the folder is absent (a fresh clone has no ../shared).
func realtext(t testing.TB, pattern string) []string {
	t.Helper()
	if _, err := os.Stat(realtextDir); err != nil {
		t.Skipf("skipping: %s is missing (real legal text lives outside the repository, next to it in ../shared/realtext)", realtextDir)
	}
	files, err := filepath.Glob(filepath.Join(realtextDir, pattern))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skipf("skipping: no files match %s in %s", pattern, realtextDir)
	}
	sort.Strings(files)
	return files
}

// sampleH is the body of section-h 3.0, the example document of docs/corpus-format.md.
func sampleH(t testing.TB) []byte {
	t.Helper()
	return readBody(t, filepath.Join(corpusDir, "documents", "section-h", "3.0.md"))
}

// words returns the runs of letters and digits of s. It is written independently of the
// package's wordSpans so that the lossless test does not check the code against itself.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// concatSources joins the Source of every node.
func concatSources(d *Doc) string {
	var b strings.Builder
	for _, n := range d.Nodes {
		b.WriteString(n.Source)
	}
	return b.String()
}

// ids returns the ids of nodes.
func ids(ns []*Node) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}
