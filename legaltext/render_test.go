package legaltext

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// page renders d the way the server's document page does: headings as they come, clauses
// and blocks wrapped in an element that carries their id.
func page(t testing.TB, d *Doc, l Linker) string {
	t.Helper()
	out, err := Render(d, l)
	require.NoError(t, err)
	require.Len(t, out, len(d.Nodes))
	var b strings.Builder
	for i, n := range d.Nodes {
		if n.Kind == KindHeading {
			b.WriteString(string(out[i]))
			continue
		}
		fmt.Fprintf(&b, "<div class=%q id=%q>\n%s</div>\n", n.Kind, template.HTMLEscapeString(n.ID), out[i])
	}
	return b.String()
}

var idAttrRE = regexp.MustCompile(`\sid="([^"]*)"`)

// elementIDs returns the ids of the elements of an HTML fragment, with how often each occurs.
func elementIDs(s string) map[string]int {
	out := map[string]int{}
	for _, m := range idAttrRE.FindAllStringSubmatch(s, -1) {
		out[html.UnescapeString(m[1])]++
	}
	return out
}

func renderOne(t *testing.T, src string, l Linker) string {
	t.Helper()
	out, err := Render(Parse([]byte(src)), l)
	require.NoError(t, err)
	var b strings.Builder
	for _, h := range out {
		b.WriteString(string(h))
	}
	return b.String()
}

func TestRenderAnchors(t *testing.T) {
	d := Parse(sampleH(t))
	l := newFakeLinker([]string{"Party", "User", "DCC", "Applicant"}, "H", "G")
	p := page(t, d, l)
	got := elementIDs(p)
	for id, k := range got {
		assert.Equal(t, 1, k, "id %q appears %d times", id, k)
	}
	for _, n := range d.Nodes {
		assert.Contains(t, got, n.ID, "node %s", n.ID)
		for _, s := range n.SubIDs {
			assert.Contains(t, got, s, "sub-paragraph %s", s)
		}
		if n.Kind == KindClause {
			assert.Contains(t, p, fmt.Sprintf(`<a class="num" href="#%s"`, n.ID))
		}
		if n.Kind == KindHeading {
			assert.Contains(t, p, fmt.Sprintf(`<h%d id="%s">`, n.Level, n.ID))
			assert.Contains(t, p, fmt.Sprintf(`<a class="anchor" href="#%s"`, n.ID), "permalink of %s", n.ID)
		}
	}
	for _, part := range []string{"H1", "H3", "H4", "H8", "H13", "H14"} {
		assert.Contains(t, got, part)
	}
	assert.Contains(t, got, "H1.15(b)(ii)")
	assert.NotContains(t, p, "parties", "attributes are never shown")
	assert.NotContains(t, p, "{")
}

func TestRenderNodes(t *testing.T) {
	out, err := Render(Parse([]byte("# T\n\n## H1 Part {#H1 parties=\"dcc\"}\n\n**H1.1** {parties=\"dcc\"} Text\nmore  \nbroken.\n\n- (a) one\n")), nil)
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, `<h1 id="title">T <a class="anchor" href="#title" aria-label="Permalink to this heading">#</a></h1>`+"\n", string(out[0]))
	assert.Equal(t, `<h2 id="H1">H1 Part <a class="anchor" href="#H1" aria-label="Permalink to this heading">#</a></h2>`+"\n", string(out[1]))
	assert.Equal(t, `<p><a class="num" href="#H1.1" title="Permalink to H1.1">H1.1</a> Text`+"\nmore<br>\nbroken.</p>\n"+
		`<ul>`+"\n"+`<li id="H1.1(a)">(a) one</li>`+"\n</ul>\n", string(out[2]))
}

func TestRenderCrossReferences(t *testing.T) {
	l := newFakeLinker(nil, "H", "G")
	l.docs["Appendix AD"] = true
	tests := []struct {
		name string
		src  string
		want []string
		not  []string
	}{
		{"clause", "**H1.1** See Section H1.4 now.\n",
			[]string{`See <a class="xref" href="/docs/h#H1.4">Section H1.4</a> now.`}, nil},
		{"sub-paragraph", "**H1.1** See Section H1.10(d) (User Entry Process Requirements).\n",
			[]string{`<a class="xref" href="/docs/h#H1.10(d)">Section H1.10(d)</a> (User Entry Process Requirements)`}, nil},
		{"part", "**H1.1** this Section H1.\n", []string{`<a class="xref" href="/docs/h#H1">Section H1</a>`}, nil},
		{"document", "**H1.1** in Appendix AD.\n", []string{`<a class="xref" href="/docs/appendix-ad">Appendix AD</a>`}, nil},
		{"unresolved clause", "**H1.1** under Section L3.1.\n", []string{"under Section L3.1."}, []string{`class="xref"`}},
		{"unresolved document", "**H1.1** Schedule 1.\n", []string{"Schedule 1."}, []string{`class="xref"`}},
		{"clause-shaped non-reference", "**H1.1** TLS1.2 and SMETS1.\n", []string{"TLS1.2 and SMETS1."}, []string{`class="xref"`}},
		{"across a line break", "**H1.1** See Section\nG3.20.\n", []string{"<a class=\"xref\" href=\"/docs/g#G3.20\">Section\nG3.20</a>"}, nil},
		{"two", "**H1.1** Sections G3.26 to G3.28.\n",
			[]string{`<a class="xref" href="/docs/g#G3.26">Sections G3.26</a> to <a class="xref" href="/docs/g#G3.28">G3.28</a>`}, nil},
		{"not in a heading", "## About Section H1 {#x}\n", []string{`About Section H1`}, []string{`class="xref"`}},
		{"in a table", "| a | b |\n| - | - |\n| H1.2 | x |\n", []string{`<td><a class="xref" href="/docs/h#H1.2">H1.2</a></td>`}, nil},
		{"not in a link", "**H1.1** [Section H1.2](https://example.com/)\n", []string{`<a href="https://example.com/">Section H1.2</a>`}, []string{`class="xref"`}},
		{"not in code", "**H1.1** `Section H1.2`\n", []string{`<code>Section H1.2</code>`}, []string{`class="xref"`}},
		{"not the clause number", "**H1.1** text\n", []string{`<a class="num" href="#H1.1" title="Permalink to H1.1">H1.1</a>`}, []string{`class="xref"`}},
		{"escaped around", "**H1.1** a<b & H1.2 > c\n", []string{`a&lt;b &amp; <a class="xref" href="/docs/h#H1.2">H1.2</a> &gt; c`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderOne(t, tt.src, l)
			for _, w := range tt.want {
				assert.Contains(t, got, w)
			}
			for _, w := range tt.not {
				assert.NotContains(t, got, w)
			}
		})
	}
}

func TestRenderTerms(t *testing.T) {
	l := newFakeLinker([]string{"Party", "Party Category", "User", "Lead Analyst", "Applicant"}, "H")
	l.termRefs = map[string]bool{"User": true} // a term the linker cannot resolve
	src := "**H1.1** A Party and another Party, each Party Category and the Parties.\n\n" +
		"More about a Party in the same clause; a User.\n\n" +
		"**H1.2** Every Party here is linked once again, but not [a Party](#x) or `Party`.\n\n" +
		"**H1.3** The Panel appoints (the \"**Lead Analyst**\"); the Lead Analyst reports.\n\n" +
		"| Expression | Meaning |\n| --- | --- |\n| **Applicant** | means a Party that applies. |\n"
	d := Parse([]byte(src))
	out, err := Render(d, l)
	require.NoError(t, err)
	link := func(term string) string {
		return fmt.Sprintf(`<a class="term" href="/glossary#term-%s">`, Slug(term))
	}
	h11 := string(out[0])
	assert.Equal(t, 1, strings.Count(h11, link("Party")), "a term is linked at its first use in a node only: %s", h11)
	assert.Contains(t, h11, `A `+link("Party")+`Party</a> and another Party,`)
	assert.Equal(t, 1, strings.Count(h11, link("Party Category")))
	assert.Contains(t, h11, link("Party Category")+"Party Category</a>")
	assert.NotContains(t, h11, link("User"), "the linker did not resolve User")
	h12 := string(out[1])
	assert.Equal(t, 1, strings.Count(h12, link("Party")), "each node links again: %s", h12)
	assert.Contains(t, h12, `<a href="#x">a Party</a>`)
	assert.Contains(t, h12, `<code>Party</code>`)
	h13 := string(out[2])
	assert.Contains(t, h13, `<strong id="term-lead-analyst" data-def="1">Lead Analyst</strong>`, "the definition is not a link to itself")
	assert.Contains(t, h13, `the `+link("Lead Analyst")+`Lead Analyst</a> reports`)
	require.Len(t, out, 3, "the table belongs to clause H1.3")
	def := h13
	assert.Contains(t, def, `<tr id="term-applicant">`)
	assert.Contains(t, def, `<td data-def="1"><strong>Applicant</strong></td>`)
	assert.Contains(t, def, `means a `+link("Party")+`Party</a> that applies.`)
}

func TestRenderRawHTMLIsEscaped(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"inline script", "**H1.1** Text <script>alert(1)</script> more.\n", `&lt;script&gt;alert(1)&lt;/script&gt;`},
		{"inline img", "Text <img src=x onerror=alert(1)> more.\n", `&lt;img src=x onerror=alert(1)&gt;`},
		{"html block", "<div onclick=\"alert(1)\">\n<script>alert(1)</script>\n</div>\n", `<p class="raw">&lt;div onclick=&#34;alert(1)&#34;&gt;`},
		{"script block", "<script>\nalert(1)\n</script>\n", `<p class="raw">&lt;script&gt;`},
		{"img block", "<img src=x onerror=alert(1)>\n", `<p class="raw">&lt;img src=x onerror=alert(1)&gt;</p>`},
		{"comment", "Text <!-- hidden --> shown.\n", `&lt;!-- hidden --&gt;`},
		{"comment block", "<!--\nhidden\n-->\n", `<p class="raw">&lt;!--`},
		{"in a heading", "## A <script>x</script> {#a}\n", `&lt;script&gt;`},
		{"in a table", "| a |\n| - |\n| <img src=x> |\n", `&lt;img src=x&gt;`},
		{"in a list", "- <script>x</script>\n", `&lt;script&gt;`},
		{"in a definition", "| Expression | Meaning |\n| --- | --- |\n| **<b>X</b>** | <script>y</script> |\n", `&lt;script&gt;`},
	}
	l := newFakeLinker([]string{"Party"}, "H")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderOne(t, tt.src, l)
			lower := strings.ToLower(got)
			assert.NotContains(t, lower, "<script")
			assert.NotContains(t, lower, "<img")
			assert.NotContains(t, lower, "<div")
			assert.NotContains(t, lower, "<b>")
			assert.Contains(t, got, tt.want)
		})
	}
}

func TestRenderDangerousLinks(t *testing.T) {
	tests := []string{
		"[click](javascript:alert(1))",
		"[click](JavaScript:alert(1))",
		"[click](  javascript:alert(1) )",
		"[click][r]\n\n[r]: javascript:alert(1)",
		"<javascript:alert(1)>",
		"![pic](javascript:alert(1))",
		"[click](vbscript:msgbox(1))",
		"[click](data:text/html;base64,PHNjcmlwdD4=)",
	}
	for _, src := range tests {
		got := strings.ToLower(renderOne(t, "**H1.1** "+src+"\n", nil))
		for _, bad := range []string{`href="javascript`, `src="javascript`, `href="vbscript`, `href="data:`} {
			assert.NotContains(t, got, bad, "%s -> %s", src, got)
		}
		assert.NotContains(t, got, "<script")
	}
	got := renderOne(t, "[safe](https://example.com/a?b=1&c=2) [rel](#H1.2)\n", nil)
	assert.Contains(t, got, `<a href="https://example.com/a?b=1&amp;c=2">safe</a>`)
	assert.Contains(t, got, `<a href="#H1.2">rel</a>`)
}

func TestRenderEscapesLinkerHrefs(t *testing.T) {
	l := &quoteLinker{}
	got := renderOne(t, "**H1.1** Section H1.2 and a Party.\n", l)
	assert.Contains(t, got, `href="/x?a=&#34;&gt;&lt;script&gt;"`)
	assert.NotContains(t, got, "<script")
}

// quoteLinker returns hostile addresses.
type quoteLinker struct{}

func (quoteLinker) RefHref(Ref) (string, bool)     { return `/x?a="><script>`, true }
func (quoteLinker) TermHref(string) (string, bool) { return `/x?a="><script>`, true }
func (quoteLinker) Terms() *TermMatcher            { return NewTermMatcher([]string{"Party"}) }

func TestRenderNilLinkerAndMatcher(t *testing.T) {
	src := "**H1.1** A Party under Section H1.2.\n"
	for _, l := range []Linker{nil, newFakeLinker(nil)} {
		got := renderOne(t, src, l)
		assert.Contains(t, got, "A Party under Section H1.2.")
	}
}

func TestRenderPlainText(t *testing.T) {
	d := ParseText([]byte("Heading line\n\n  Text <b>bold</b> & \"quoted\" under\n  Section H1.4 by a Party.\n\n\n**not bold** <script>x</script>\n"))
	l := newFakeLinker([]string{"Party"}, "H")
	out, err := Render(d, l)
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, "<p>Heading line</p>\n", string(out[0]))
	assert.Equal(t, `<p>Text &lt;b&gt;bold&lt;/b&gt; &amp; &#34;quoted&#34; under <a class="xref" href="/docs/h#H1.4">Section H1.4</a> by a <a class="term" href="/glossary#term-party">Party</a>.</p>`+"\n", string(out[1]))
	assert.Equal(t, "<p>**not bold** &lt;script&gt;x&lt;/script&gt;</p>\n", string(out[2]))
	out, err = Render(d, nil)
	require.NoError(t, err)
	assert.Equal(t, "<p>Heading line</p>\n", string(out[0]))

	out, err = Render(ParseText([]byte(" \n\n")), l)
	require.NoError(t, err)
	assert.Equal(t, []template.HTML{""}, out, "no empty paragraph")
}
