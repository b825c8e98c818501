package server

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The page's writers must escape exactly as html/template does: the search page is the same
// page, byte for byte, as when its template printed these values.
var (
	escTextTmpl = template.Must(template.New("t").Parse(`<p>{{.}}</p>`))
	escAttrTmpl = template.Must(template.New("a").Parse(`<a title="{{.}}">`))
	escHrefTmpl = template.Must(template.New("h").Parse(`<a href="{{.}}">`))
)

func viaTemplate(t testing.TB, tmpl *template.Template, s string, prefix, suffix string) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, tmpl.Execute(&b, s))
	out := b.String()
	require.True(t, strings.HasPrefix(out, prefix) && strings.HasSuffix(out, suffix), out)
	return out[len(prefix) : len(out)-len(suffix)]
}

func viaWriter(write func(*bytes.Buffer, string), s string) string {
	var b bytes.Buffer
	write(&b, s)
	return b.String()
}

func checkEscapers(t testing.TB, s string) {
	t.Helper()
	assert.Equal(t, viaTemplate(t, escTextTmpl, s, "<p>", "</p>"), viaWriter(htmlText, s), "text %q", s)
	assert.Equal(t, viaTemplate(t, escAttrTmpl, s, `<a title="`, `">`), viaWriter(htmlText, s), "attribute %q", s)
	assert.Equal(t, viaTemplate(t, escHrefTmpl, s, `<a href="`, `">`), viaWriter(htmlURLAttr, s), "href %q", s)
	assert.Equal(t, url.QueryEscape(s), queryEscape(s), "query %q", s)
}

func TestEscapersAsTemplate(t *testing.T) {
	for _, s := range []string{
		"", "plain", `a<b>&"c"'d'+e`, "\x00", "nul\x00in", "é ü – · ›", "\xff\xfe bad utf-8 \xc3",
		"/search?category=section&party=dcc&q=security+assessment", "/docs/section-h?version=2.0#H1.10(d)",
		"/search?q=%2B%zz%4", "%41", "a%4", "a%41", "javascript:alert(1)", "JavaScript:x", "HTTPS://x.y/z", "mailto:a@b",
		"data:text/html,x", "/a:b", "#frag", "sp ace\ttab\nline", "{}|\\^`", "\u2028\u2029", "\ufdd0\ufff0",
	} {
		checkEscapers(t, s)
	}
	var n bytes.Buffer
	htmlInt(&n, -42)
	htmlInt(&n, 7)
	assert.Equal(t, "-427", n.String())
}

// Law: on any string, the writers and html/template agree.
func TestEscapersAsTemplateRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 16))
	alphabet := []string{"a", "Z", "0", "%", "4", "f", "g", ":", "/", "?", "#", "&", "=", "+", " ", "<", ">", "\"", "'", "-", "_", ".", "@", "$", ";", ",",
		"\x00", "\xff", "é", "–", "(", ")", "!", "*", "~", "\\", "\t", "http", "javascript"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		checkEscapers(t, b.String())
	}
}

func FuzzEscapersAsTemplate(f *testing.F) {
	for _, s := range []string{"", `a<b>&"c"'+`, "/search?q=%2B%zz", "javascript:x", "\xff\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkEscapers(t, s) })
}
