package legaltext

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Markdown-only material: what an author writes for the machine and a reader never sees.
//
// The "no word lost" check compares the words (runs of letters and digits) of Doc.Text() with
// the words of the input after markdownOnly has removed exactly this material:
//
//   - link and image destinations with their titles: `[text](dest "title")` keeps `[text]`
//     (the text of a link and the alt text of an image are kept);
//   - the label of a reference-style link (`[text][label]`) and link reference definition
//     lines (`[label]: dest "title"`), which goldmark drops from the tree;
//   - the attribute block at the end of an ATX heading (`## H1 Title {#H1 parties="dcc"}`);
//   - the attribute block directly after a clause number (`**H1.2** {parties="dcc"} ...`);
//   - the info string of a code fence (```` ```go ```` keeps the fence only).
//
// Everything else must survive into Text, in the same order: heading and paragraph text,
// table cells, list item text with the numbers of ordered lists and the (a)/(i) labels, code
// spans and code blocks, autolinks (their label is the address), raw HTML inline and in
// blocks, HTML comments (raw HTML is shown as text, never dropped), entity references and
// backslash escapes (Text keeps them as written, so "&amp;" is the word "amp" on both sides).
// Front matter is removed before parsing (FrontMatter), so it is not part of the input here.
func markdownOnly(src string) string {
	src = stripLinkDestinations(src)
	src = refLabelRE.ReplaceAllString(src, "]")
	src = refDefRE.ReplaceAllString(src, "")
	src = headingAttrRE.ReplaceAllString(src, "$1")
	src = clauseAttrLineRE.ReplaceAllString(src, "$1")
	src = fenceInfoRE.ReplaceAllString(src, "$1")
	return src
}

var (
	refLabelRE       = regexp.MustCompile(`\]\[[^\[\]\n]*\]`)
	refDefRE         = regexp.MustCompile(`(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$`)
	headingAttrRE    = regexp.MustCompile(`(?m)^( {0,3}#{1,6}[ \t].*?)[ \t]*\{[ \t]*(?:[#.][^{}\n]*|[A-Za-z][\w-]*[ \t]*=[^{}\n]*)\}[ \t]*$`)
	clauseAttrLineRE = regexp.MustCompile(`(?m)^(\*\*[A-Z]{0,5}\d+(?:\.\d+)*[A-Z]?\*\*)[ \t]*\{[^{}\n]*\}`)
	fenceInfoRE      = regexp.MustCompile("(?m)^( {0,3}(?:```+|~~~+))[^`\n]*$")
)

// stripLinkDestinations turns `](dest "title")` into `]`, allowing balanced parentheses and
// <bracketed> destinations, within one paragraph.
func stripLinkDestinations(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "](")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := linkDestEnd(s[i+2:])
		if end < 0 {
			b.WriteString(s[:i+2])
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i+1])
		s = s[i+2+end:]
	}
}

// linkDestEnd returns the length of "dest title)" at the start of s, or -1.
func linkDestEnd(s string) int {
	depth := 0
	inAngle, inQuote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			i++
		case c == '\n' && i+1 < len(s) && s[i+1] == '\n':
			return -1 // a blank line ends the paragraph: not a link
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case inAngle:
			if c == '>' {
				inAngle = false
			}
		case c == '<' && depth == 0:
			inAngle = true
		case c == '"' || c == '\'':
			inQuote = c
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return i + 1
			}
			depth--
		}
	}
	return -1
}

func TestMarkdownOnly(t *testing.T) {
	tests := []struct{ in, want string }{
		{"see [Section A](#a-definitions) now", "see [Section A] now"},
		{"![alt text](img.png \"Title\")", "![alt text]"},
		{"[x](https://e.com/a_(b)) y", "[x] y"},
		{"[x](<a b.html>) y", "[x] y"},
		{"[text][label] and [label]: http://x\n[label]: http://x \"T\"\nnext", "[text] and [label]: http://x\n\nnext"},
		{"## H1 User Entry {#H1 parties=\"dcc\"}\n", "## H1 User Entry\n"},
		{"## Costs {.x}\n", "## Costs\n"},
		{"## Set {a} of things\n", "## Set {a} of things\n"},
		{"**H1.2** {parties=\"dcc\"} The DCC", "**H1.2** The DCC"},
		{"```go\ncode\n```\n", "```\ncode\n```\n"},
		{"<!-- a comment --> text", "<!-- a comment --> text"},
		{"(a) [not a link] (really)", "(a) [not a link] (really)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, markdownOnly(tt.in), "input %q", tt.in)
	}
}

// checkLossless parses src and checks the two lossless properties.
func checkLossless(t *testing.T, name string, src []byte, d *Doc, markdown bool) {
	t.Helper()
	require.True(t, utf8.Valid(src), "%s: test input is not valid UTF-8", name)
	require.Equal(t, string(src), concatSources(d), "%s: node sources do not concatenate to the input", name)
	require.Equal(t, string(src), d.Source(), "%s: Doc.Source", name)

	in := string(src)
	if markdown {
		in = markdownOnly(in)
	}
	want, got := words(in), words(d.Text())
	if !assert.Equal(t, len(want), len(got), "%s: number of words", name) || !assert.Equal(t, want, got) {
		for i := 0; i < min(len(want), len(got)); i++ {
			if want[i] != got[i] {
				lo := max(0, i-8)
				t.Logf("%s: first difference at word %d: input %q, Text %q", name, i,
					strings.Join(want[lo:min(len(want), i+8)], " "), strings.Join(got[lo:min(len(got), i+8)], " "))
				break
			}
		}
	}
}

// losslessCases are small inputs exercising every kind of Markdown the corpus may contain.
var losslessCases = []struct{ name, src string }{
	{"empty", ""},
	{"blank lines only", "\n\n  \n"},
	{"no trailing newline", "# T\n\n**A1.1** text"},
	{"leading blank lines", "\n\n# T\n\ntext\n"},
	{"crlf", "# T\r\n\r\n**A1.1** one\r\ntwo\r\n"},
	{"heading attributes", "# Title\n\n## A1 Part {#A1 parties=\"dcc\"}\n\n**A1.1** {parties=\"all\"} x\n"},
	{"links and images", "Read [the guide](https://x.org/g \"Guide\") and ![a diagram](d.png) <https://auto.link/p>.\n"},
	{"reference links", "See [the site][s] and [s][].\n\n[s]: https://example.com \"Title\"\n"},
	{"only a link definition", "[s]: https://example.com\n"},
	{"code", "Use `code span` here.\n\n```go\nfunc main() {}\n```\n\n    indented code\n"},
	{"html", "Text <span class=\"x\">inline</span> and <!-- a comment -->.\n\n<div>\nblock html\n</div>\n\n<!-- block comment -->\n"},
	{"lists", "1. first\n2. second\n   1. nested\n\n- (a) sub\n  - (i) subsub\n\n3) paren\n"},
	{"lazy numbering", "1. one\n1. two\n1. three\n"},
	{"table", "| Expression | Meaning |\n| --- | --- |\n| **Term** | means `x` |\n"},
	{"thematic break", "para\n\n---\n\nafter\n\n***\n"},
	{"setext", "Title\n=====\n\nSub\n---\n"},
	{"blockquote", "> quoted **text**\n> 2. numbered in quote\n"},
	{"entities and escapes", "AT&amp;T \\*not emphasis\\* &copy; 2020\n"},
	{"hard breaks", "line one  \nline two\\\nline three\n"},
	{"strikethrough", "~~gone~~ text\n"},
	{"empty list item", "-\n- x\n"},
	{"empty fence", "```\n```\n"},
}

func TestLosslessCases(t *testing.T) {
	for _, tt := range losslessCases {
		t.Run(tt.name, func(t *testing.T) {
			checkLossless(t, tt.name, []byte(tt.src), Parse([]byte(tt.src)), true)
		})
	}
}

func TestLosslessCorpus(t *testing.T) {
	for _, f := range versionFiles(t) {
		name, _ := filepath.Rel(corpusDir, f)
		t.Run(name, func(t *testing.T) {
			body := readBody(t, f)
			checkLossless(t, name, body, Parse(body), true)
		})
	}
}

func TestLosslessRealMarkdown(t *testing.T) {
	for _, f := range realtext(t, "site-policy/*.md") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			body := readBody(t, f)
			checkLossless(t, filepath.Base(f), body, Parse(body), true)
		})
	}
}

func TestLosslessRealPlainText(t *testing.T) {
	for _, f := range realtext(t, "cc-by/*.txt") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			checkLossless(t, filepath.Base(f), data, ParseText(data), false)
		})
	}
}

// The words of a plain text file parsed as Markdown can differ (Markdown has rules of its
// own), but its nodes must still cover the whole input.
func TestRealPlainTextAsMarkdownSources(t *testing.T) {
	for _, f := range realtext(t, "cc-by/*.txt") {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.Equal(t, string(data), concatSources(Parse(data)), filepath.Base(f))
	}
}
