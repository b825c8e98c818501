package legaltext

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// Linker resolves what the text points at, at the date of the version being rendered.
type Linker interface {
	// RefHref returns the address of a cross-reference, or false when it points nowhere.
	RefHref(r Ref) (string, bool)
	// TermHref returns the address of a defined term's definition.
	TermHref(term string) (string, bool)
	// Terms returns the matcher of the terms defined at that date (nil for none).
	Terms() *TermMatcher
}

// Render returns the HTML of every node of d, in order. Headings come with their tag and a
// permalink; clauses and blocks are the HTML of their blocks, to be wrapped by the caller
// (which adds the clause's id and its party marking).
func Render(d *Doc, l Linker) ([]template.HTML, error) {
	out := make([]template.HTML, len(d.Nodes))
	if d.plain {
		for i, n := range d.Nodes {
			if n.Text == "" {
				continue // blank lines only: no empty paragraph
			}
			var b bytes.Buffer
			b.WriteString("<p>")
			linkify(&b, n.Text, l, map[string]bool{}, func(p []byte) { b.WriteString(template.HTMLEscapeString(string(p))) })
			b.WriteString("</p>\n")
			out[i] = template.HTML(b.String())
		}
		return out, nil
	}
	if d.root == nil {
		// Compacted: parse the source again for its syntax tree. Parsing is deterministic, so
		// the nodes are the same, in the same order.
		d = parseFull([]byte(d.text), d.Scheme(), ParseOptions{})
	}
	nr := &nodeRenderer{l: l}
	r := renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(), 1000),
		util.Prioritized(extension.NewTableHTMLRenderer(), 500),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
		util.Prioritized(extension.NewDefinitionListHTMLRenderer(), 500),
		util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
		util.Prioritized(nr, 100),
		util.Prioritized(unitRenderer{}, 100),
	))
	for i, n := range d.Nodes {
		var b bytes.Buffer
		nr.seen = map[string]bool{}
		for _, bi := range n.blocks {
			if err := r.Render(&b, d.src, d.blocks[bi]); err != nil {
				return nil, fmt.Errorf("render %s: %w", n.ID, err)
			}
		}
		out[i] = template.HTML(b.String())
	}
	return out, nil
}

// nodeRenderer renders our nodes and linkifies text. A term is linked at its first use in
// each node only: a link on every "Party" would bury the text in underlines.
type nodeRenderer struct {
	l    Linker
	seen map[string]bool
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindText, r.text)
	reg.Register(KindClauseNum, r.clauseNum)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindHeading, r.heading)
}

func (r *nodeRenderer) heading(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	h := n.(*ast.Heading)
	id := ""
	if v, ok := h.AttributeString("id"); ok {
		if b, ok := v.([]byte); ok {
			id = string(b)
		}
	}
	if v, ok := h.AttributeString("data-clause"); ok && id == "" {
		// The heading of a clause ("§ 14a"): the clause's element carries the id.
		if b, ok := v.([]byte); ok {
			id = string(b)
		}
		if entering {
			fmt.Fprintf(w, `<h%d class="clause-heading">`, h.Level)
			return ast.WalkContinue, nil
		}
	} else if entering {
		fmt.Fprintf(w, `<h%d id="%s">`, h.Level, template.HTMLEscapeString(id))
		return ast.WalkContinue, nil
	}
	fmt.Fprintf(w, ` <a class="anchor" href="#%s" aria-label="Permalink to this heading">#</a></h%d>`+"\n",
		template.HTMLEscapeString(id), h.Level)
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) clauseNum(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		id := template.HTMLEscapeString(n.(*ClauseNum).ID)
		fmt.Fprintf(w, `<a class="num" href="#%s" title="Permalink to %s">%s</a>`, id, id, id)
	}
	return ast.WalkSkipChildren, nil
}

// Raw HTML is shown as the text it is, never passed through.
func (r *nodeRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := n.(*ast.RawHTML).Segments
		for i := 0; i < segs.Len(); i++ {
			s := segs.At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(s.Value(src))))
		}
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<p class="raw">`)
		_, _ = w.WriteString(template.HTMLEscapeString(strings.TrimSpace(blockText(n, src))))
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) text(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	t := n.(*ast.Text)
	if !startsRun(t) {
		return ast.WalkContinue, nil // written with the first node of its run
	}
	s, _ := textRunForRender(t, src)
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	write := func(p []byte) { html.DefaultWriter.Write(bw, p) }
	if linkable(t) {
		linkify(&b, s, r.l, r.seen, func(p []byte) { write(p); _ = bw.Flush() })
	} else {
		write([]byte(s))
	}
	_ = bw.Flush()
	_, _ = w.WriteString(strings.ReplaceAll(b.String(), "\u2028", "<br>\n"))
	return ast.WalkContinue, nil
}

// textRunForRender is textRun with hard line breaks kept apart from soft ones.
func textRunForRender(t *ast.Text, src []byte) (string, int) {
	var b strings.Builder
	k := 0
	for n := ast.Node(t); n != nil; n = n.NextSibling() {
		tn, ok := n.(*ast.Text)
		if !ok {
			break
		}
		k++
		b.Write(tn.Value(src))
		switch {
		case tn.HardLineBreak():
			b.WriteString("\u2028")
		case tn.SoftLineBreak():
			b.WriteByte('\n')
		}
	}
	return b.String(), k
}

func linkable(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindLink, ast.KindAutoLink, KindClauseNum, KindUnitLabel, ast.KindCodeSpan:
			return false
		case ast.KindHeading:
			return false // a heading is a name, not a sentence: links there are noise
		}
		if _, ok := p.AttributeString("data-def"); ok {
			return false
		}
	}
	return true
}

// inCodeRef reports whether r is the reference of one of refs.
func inCodeRef(refs []CodeRef, r Ref) bool {
	for _, c := range refs {
		if c.Ref.Start == r.Start && c.Ref.End == r.End {
			return true
		}
	}
	return false
}

// linkify writes s with its cross-references and defined terms as links.
func linkify(b *bytes.Buffer, s string, l Linker, seen map[string]bool, write func([]byte)) {
	if l == nil {
		write([]byte(s))
		return
	}
	type span struct {
		start, end  int
		href, class string
	}
	var spans []span
	// References into other codes first: the reference inside one is the other code's, so
	// it is never linked as one of this code's own, even when the other code is not served.
	var other []CodeRef
	if cl, ok := l.(CodeLinker); ok {
		other = FindCodeRefs(s, cl.CodeNames())
		for _, r := range other {
			if href, ok := cl.CodeRefHref(r); ok {
				spans = append(spans, span{r.Start, r.End, href, "xref xcode"})
			}
		}
	}
	for _, r := range FindRefs(s) {
		if inCodeRef(other, r) {
			continue
		}
		if href, ok := l.RefHref(r); ok {
			spans = append(spans, span{r.Start, r.End, href, "xref"})
		}
	}
	if len(other) > 0 {
		sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	}
	// The references are in order and do not overlap: a binary search finds the only one a
	// term could overlap.
	nrefs := len(spans)
	overlaps := func(a, b int) bool {
		i := sort.Search(nrefs, func(i int) bool { return spans[i].end > a })
		return i < nrefs && spans[i].start < b
	}
	for _, u := range l.Terms().Find(s) {
		if seen[u.Term] || overlaps(u.Start, u.End) {
			continue
		}
		if href, ok := l.TermHref(u.Term); ok {
			seen[u.Term] = true
			spans = append(spans, span{u.Start, u.End, href, "term"})
		}
	}
	if len(spans) == 0 {
		write([]byte(s))
		return
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	pos := 0
	for _, sp := range spans {
		write([]byte(s[pos:sp.start]))
		fmt.Fprintf(b, `<a class="%s" href="%s">`, sp.class, template.HTMLEscapeString(sp.href))
		write([]byte(s[sp.start:sp.end]))
		b.WriteString("</a>")
		pos = sp.end
	}
	write([]byte(s[pos:]))
}
