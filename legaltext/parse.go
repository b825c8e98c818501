package legaltext

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A clause number is ^[A-Z]{0,5}\d+(?:\.\d+)*[A-Z]?$ and a sub-paragraph label opens an item
// with ^\(([a-z]{1,4})\)\s (end of text counting as a space). Those regular expressions are the
// specification; isClauseNum and subParagraphLabel implement them by hand, because they run on
// every paragraph and list item, and the tests check that they agree.
var (
	// {parties="dcc other" roles="other-user"} or {parties=dcc} directly after a clause number.
	clauseAttrRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*\{\s*([^{}\n]*?)\s*\}[ \t]*`) })
	attrPairRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z][\w-]*)\s*=\s*(?:"([^"]*)"|(\S+))\s*`) })
	// "H1 Title", "1. Title", "A. Title"; a lone letter needs its dot ("A Guide" is a title).
	headNumRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?:([A-Z]{0,5}\d+(?:\.\d+)*)\.?|([A-Z])\.)\s+(\S.*)$`)
	})
)

// isClauseNum reports whether s is a clause number ("H1.10", "12", "SCF3.4A").
func isClauseNum(s string) bool {
	i := 0
	for i < len(s) && i < 5 && isUpper(s[i]) {
		i++
	}
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i {
		return false
	}
	for j+1 < len(s) && s[j] == '.' && isDigit(s[j+1]) {
		j += 2
		for j < len(s) && isDigit(s[j]) {
			j++
		}
	}
	if j < len(s) && isUpper(s[j]) {
		j++
	}
	return j == len(s)
}

// subParagraphLabel returns the label that opens the text of a list item ("(d)"), if any.
func subParagraphLabel(v []byte) (string, bool) {
	j := 1
	for j < len(v) && v[j] >= 'a' && v[j] <= 'z' {
		j++
	}
	if len(v) == 0 || v[0] != '(' || j == 1 || j > 5 || j >= len(v) || v[j] != ')' {
		return "", false
	}
	if j+1 < len(v) && !isRESpace(v[j+1]) {
		return "", false
	}
	return string(v[:j+1]), true
}

// isRESpace is what \s matches in a regular expression: ASCII space, tab, newline, form feed
// and carriage return (not vertical tab).
func isRESpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// ClauseNum is the bold number that opens a clause; it renders as the clause's permalink.
type ClauseNum struct {
	ast.BaseInline
	ID string
}

// KindClauseNum is the goldmark node kind of ClauseNum.
var KindClauseNum = ast.NewNodeKind("ClauseNum")

// Kind implements ast.Node.
func (n *ClauseNum) Kind() ast.NodeKind { return KindClauseNum }

// Dump implements ast.Node.
func (n *ClauseNum) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID}, nil)
}

func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.DefinitionList),
		goldmark.WithParserOptions(parser.WithAttribute(),
			// Footnotes without the transformer that moves their text to the end of the
			// document: each definition stays where it is written, so that the nodes still
			// partition the input and a footnote is compared where it stands.
			parser.WithBlockParsers(util.Prioritized(extension.NewFootnoteBlockParser(), 999)),
			parser.WithInlineParsers(util.Prioritized(extension.NewFootnoteParser(), 101))),
	)
}

// Parse parses the Markdown body of one version (front matter already removed), numbered
// in the SEC's convention. Invalid UTF-8 is replaced so that every later step sees valid text.
func Parse(src []byte) *Doc { return ParseScheme(src, nil) }

// ParseScheme parses like Parse, with the clauses and units numbered as scheme s says (nil:
// the SEC's convention).
func ParseScheme(src []byte, s *Scheme) *Doc { return ParseSchemeWith(src, s, ParseOptions{}) }

// ParseOptions leaves out of a parse what its caller does not read. The zero value leaves
// out nothing.
type ParseOptions struct {
	// NoRefs leaves every node's Refs empty: the references in its text are not looked for.
	// A comparison does not read them, and looking for them is a tenth of a large parse.
	NoRefs bool
}

// ParseSchemeWith parses like ParseScheme, leaving out what o says.
func ParseSchemeWith(src []byte, s *Scheme, o ParseOptions) *Doc {
	if s == nil {
		s = SEC()
	}
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	if s.IsSEC() {
		if root, ok := fastTree(src); ok {
			d := parseTree(src, s, root, false, o)
			// The tree was read for the nodes only: Render parses the source again, with
			// goldmark, as it does for a compacted document.
			d.Compact()
			return d
		}
	}
	return parseFull(src, s, o)
}

// parseFull parses valid UTF-8 src with goldmark.
func parseFull(src []byte, s *Scheme, o ParseOptions) *Doc {
	return parseTree(src, s, newMarkdown().Parser().Parse(text.NewReader(src)), true, o)
}

// parseTree reads the nodes from root, the syntax tree of src. keep is false when the tree is
// dropped afterwards: the attributes Render reads from it are then not set.
func parseTree(src []byte, s *Scheme, root ast.Node, keep bool, o ParseOptions) *Doc {
	p := &parse{doc: &Doc{src: src, text: string(src), root: root, scheme: s}, lines: lineStarts(src), ids: map[string]int{}, scheme: s, keep: keep, opts: o}
	p.run()
	return p.doc
}

type heading struct {
	level   int
	title   string
	id      string
	parties []string
	set     bool
	roles   []string
	roleSet bool
	isTitle bool   // the document title, left out of paths
	num     string // the stable id of a heading numbered by a word ("teil-1-abschnitt-2")
	cite    string // the citation of a heading that is a clause ("§ 14a", "B 1")
}

type parse struct {
	doc    *Doc
	lines  []int
	ids    map[string]int // id -> line, to report duplicates
	stack  []heading
	clause *Node
	nblock int
	nhead  map[string]int
	// text, srcStart and srcEnd collect a node's plain text and the extent of its source while
	// its blocks are added (appending to the strings themselves is quadratic): the text as its
	// pieces, joined once (most nodes have one piece, which then is the text as it is).
	text             map[*Node][]string
	srcStart, srcEnd map[*Node]int
	terms            map[string]int // defined term -> index in doc.Definitions
	scheme           *Scheme
	units            unitState
	// anchor is the id of the last heading or clause, and nanchor the blocks after it (the
	// ids of blocks under a scheme other than the SEC's).
	anchor  string
	nanchor int
	// size is the length of the source of the block being read.
	size int
	// keep: the tree is kept for Render, so the ids and marks it renders are set on it.
	keep bool
	opts ParseOptions
	// path is the Path of nodes under the current headings, shared by them (its capacity
	// is its length, so that appending to one node's path copies it); nil when the headings
	// have changed since it was made.
	path []string
}

func (p *parse) run() {
	src := p.doc.src
	p.nhead = map[string]int{}
	p.terms = map[string]int{}
	var starts []int
	for c := p.doc.root.FirstChild(); c != nil; c = c.NextSibling() {
		off := blockStart(c)
		if off < 0 {
			// A block whose position is unknown: it stays with the previous one.
			if len(p.doc.blocks) > 0 {
				continue
			}
			off = 0
		}
		p.doc.blocks = append(p.doc.blocks, c)
		start := lineStartOf(p.lines, off)
		if k := len(starts); k > 0 && start < starts[k-1] {
			start = starts[k-1] // never out of order
		}
		starts = append(starts, start)
	}
	// A node or two per block, and an id for each node and sub-paragraph: the maps are made
	// to size once.
	k := len(p.doc.blocks)
	p.text = make(map[*Node][]string, k)
	p.srcStart, p.srcEnd = make(map[*Node]int, k), make(map[*Node]int, k)
	if len(p.ids) == 0 {
		p.ids = make(map[string]int, 2*k)
	}
	if len(starts) > 0 {
		starts[0] = 0
	} else if len(src) > 0 {
		// Nothing but blank lines or link reference definitions: one empty block keeps the
		// promise that the nodes partition the input.
		n := p.newNode(KindBlock, p.blockID(1), false, 0)
		n.Source = p.doc.text
	}
	for i, b := range p.doc.blocks {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		p.size = end - starts[i]
		n := p.block(i, b)
		// The blocks of a node are consecutive: its source runs from its first block's start
		// to its last block's end.
		if _, ok := p.srcStart[n]; !ok {
			p.srcStart[n] = starts[i]
		}
		p.srcEnd[n] = end
	}
	for _, n := range p.doc.Nodes {
		if start, ok := p.srcStart[n]; ok {
			n.Source = p.doc.text[start:p.srcEnd[n]]
		}
		if parts, ok := p.text[n]; ok {
			n.Text = strings.TrimSpace(strings.Join(parts, ""))
		}
	}
}

// addText appends s to the plain text of n.
func (p *parse) addText(n *Node, s string) {
	p.text[n] = append(p.text[n], s)
}

// block files top-level block i into a node (a new one, or the current clause) and returns it.
func (p *parse) block(i int, b ast.Node) *Node {
	switch b := b.(type) {
	case *ast.Heading:
		if !p.scheme.IsSEC() {
			return p.schemeHeading(i, b)
		}
		return p.heading(i, b)
	case *ast.Paragraph:
		if !p.scheme.IsSEC() {
			if n := p.schemeClauseStart(i, b); n != nil {
				return n
			}
		} else if n := p.clauseStart(i, b); n != nil {
			return n
		}
	}
	var n *Node
	if p.clause != nil {
		n = p.clause
		p.addText(n, "\n\n")
	} else {
		off := blockStart(b)
		n = p.newNode(KindBlock, p.blockID(p.line(max(off, 0))), false, off)
	}
	n.blocks = append(n.blocks, i)
	p.content(n, b)
	return n
}

func (p *parse) newNode(k Kind, id string, explicit bool, off int) *Node {
	n := &Node{Kind: k, ID: id, Explicit: explicit, Line: p.line(max(off, 0))}
	if k != KindBlock {
		p.anchor, p.nanchor = id, 0
	}
	if p.path == nil {
		var path []string
		for _, h := range p.stack {
			if !h.isTitle {
				path = append(path, h.title)
			}
		}
		p.path = path[:len(path):len(path)]
		if path == nil {
			p.path = []string{} // made, and empty: nodes keep nil
		}
	}
	if len(p.path) > 0 {
		n.Path = p.path
	}
	for _, h := range p.stack {
		if h.id != "" {
			n.Part = h.id
		}
		if h.set {
			n.Parties = h.parties
		}
		if h.roleSet {
			n.Roles = h.roles
		}
	}
	p.doc.Nodes = append(p.doc.Nodes, n)
	return n
}

func (p *parse) heading(i int, h *ast.Heading) *Node {
	src := p.doc.src
	title := strings.TrimSpace(plainInline(h, src))
	var id string
	explicit := false
	if v, ok := h.AttributeString("id"); ok {
		if b, ok := v.([]byte); ok && len(b) > 0 {
			id, explicit = string(b), true
		}
	}
	parties, set := attrList(h, "parties")
	roles, rolesSet := attrList(h, "roles")
	off := blockStart(h)
	p.clause = nil
	for len(p.stack) > 0 && p.stack[len(p.stack)-1].level >= h.Level {
		p.stack = p.stack[:len(p.stack)-1]
	}
	p.path = nil
	isTitle := h.Level == 1 && !explicit && len(p.doc.Nodes) == 0 && p.doc.Title == ""
	if isTitle {
		p.doc.Title = title
		id = "title"
		if p.keep {
			h.SetAttributeString("id", []byte(id))
		}
	}
	num := ""
	if id == "" && !p.scheme.IsSEC() {
		// A heading numbered by a word of its own keeps its id when its title changes.
		if sid, ok := sectionHeadingID(title); ok {
			for k := len(p.stack) - 1; k >= 0; k-- {
				if e := p.stack[k]; e.num != "" {
					sid = e.num + "-" + sid
					break
				}
			}
			num, id = sid, sid
			for k := max(p.nhead[sid], 1); p.taken(id); {
				k++
				p.nhead[sid] = k
				id = sid + "-" + strconv.Itoa(k)
			}
			if p.keep {
				h.SetAttributeString("id", []byte(id))
			}
			explicit = true
		}
	}
	if id == "" {
		base := Slug(title)
		if base == "" || isClauseNum(base) {
			base = "h-" + base
		}
		// A generated id must not take an id already in use ("Summary", "Summary" and
		// "Summary 2" give summary, summary-2 and summary-2-2).
		id = base
		for k := max(p.nhead[base], 1); p.taken(id); {
			k++
			p.nhead[base] = k
			id = base + "-" + strconv.Itoa(k)
		}
		if p.keep {
			h.SetAttributeString("id", []byte(id))
		}
	}
	n := p.newNode(KindHeading, id, explicit, off)
	n.Level = h.Level
	p.addText(n, title)
	n.Number, n.Title = splitHeading(title, id, explicit)
	if set && len(parties) == 0 {
		p.doc.Problems = append(p.doc.Problems, Problem{Line: n.Line,
			Msg: fmt.Sprintf("heading %s: empty parties attribute: write {parties=\"a b\"}", id)})
	} else if set {
		n.Parties, n.PartiesSet = parties, true
	}
	if rolesSet && len(roles) == 0 {
		p.doc.Problems = append(p.doc.Problems, Problem{Line: n.Line,
			Msg: fmt.Sprintf("heading %s: empty roles attribute: write {roles=\"a b\"}", id)})
	} else if rolesSet {
		n.Roles, n.RolesSet = roles, true
	}
	n.blocks = []int{i}
	n.Refs = p.refs(h, n)
	p.claim(id, n.Line)
	e := heading{level: h.Level, title: title, parties: n.Parties, set: n.Parties != nil,
		roles: n.Roles, roleSet: n.Roles != nil, isTitle: isTitle, num: num}
	if explicit {
		e.id = id
	}
	p.stack = append(p.stack, e)
	p.path = nil
	return n
}

func splitHeading(title, id string, explicit bool) (num, rest string) {
	if explicit && strings.HasPrefix(title, id+" ") {
		return id, strings.TrimSpace(title[len(id):])
	}
	if m := headNumRE().FindStringSubmatch(title); m != nil {
		return m[1] + m[2], m[3]
	}
	return "", title
}

// blockID returns the next free generated id of a block ("p-1", "p-2"...; under a scheme
// other than the SEC's "teil-1-p1" after the heading teil-1) and claims it for the block at
// line.
func (p *parse) blockID(line int) string {
	if !p.scheme.IsSEC() && p.anchor != "" {
		// Counted from the heading or clause above, so that a paragraph inserted elsewhere
		// does not move this one's permalink: "teil-1-p2".
		for {
			p.nanchor++
			id := p.anchor + "-p" + strconv.Itoa(p.nanchor)
			if !p.taken(id) {
				p.ids[id] = line
				return id
			}
		}
	}
	for {
		p.nblock++
		id := "p-" + strconv.Itoa(p.nblock)
		if !p.taken(id) {
			p.ids[id] = line
			return id
		}
	}
}

func (p *parse) taken(id string) bool {
	_, ok := p.ids[id]
	return ok
}

func (p *parse) claim(id string, line int) {
	if prev, ok := p.ids[id]; ok {
		p.doc.Problems = append(p.doc.Problems, Problem{Line: line,
			Msg: fmt.Sprintf("duplicate id %q (first used on line %d)", id, prev)})
		return
	}
	p.ids[id] = line
}

// clauseStart makes a clause node when paragraph b opens with a bold clause number.
func (p *parse) clauseStart(i int, b *ast.Paragraph) *Node {
	em, ok := b.FirstChild().(*ast.Emphasis)
	if !ok || em.Level != 2 {
		return nil
	}
	t, ok := em.FirstChild().(*ast.Text)
	if !ok || t.NextSibling() != nil {
		return nil
	}
	num := string(t.Value(p.doc.src))
	if !isClauseNum(num) {
		return nil
	}
	cn := &ClauseNum{ID: num}
	cn.AppendChild(cn, ast.NewTextSegment(t.Segment))
	b.ReplaceChild(b, em, cn)
	n := p.newNode(KindClause, num, true, t.Segment.Start)
	p.claim(num, n.Line)
	// An attribute block straight after the number sets the clause's applicability.
	if next, ok := cn.NextSibling().(*ast.Text); ok {
		v := next.Segment.Value(p.doc.src)
		if m := clauseAttr(v); m != nil {
			a, err := parseAttrs(string(v[m[2]:m[3]]))
			if err != nil {
				p.doc.Problems = append(p.doc.Problems, Problem{Line: n.Line, Msg: fmt.Sprintf("clause %s: %v", num, err)})
			} else {
				if a.parties != nil {
					n.Parties, n.PartiesSet = a.parties, true
				}
				if a.roles != nil {
					n.Roles, n.RolesSet = a.roles, true
				}
				if a.dutiesSet {
					n.Duties, n.DutiesSet = a.duties, true
				}
			}
			// The attribute is not text: keep one space between the number and the words.
			cut := m[1]
			if cut > 0 && (v[cut-1] == ' ' || v[cut-1] == '\t') {
				cut--
			}
			next.Segment = next.Segment.WithStart(next.Segment.Start + cut)
		}
	}
	p.clause = n
	n.blocks = []int{i}
	p.content(n, b)
	return n
}

// clauseAttr is clauseAttrRE().FindSubmatchIndex(v), without running the regular expression on
// the text of every clause that has no attributes (the text then does not start with "{").
func clauseAttr(v []byte) []int {
	i := 0
	for i < len(v) && isRESpace(v[i]) {
		i++
	}
	if i == len(v) || v[i] != '{' {
		return nil
	}
	return clauseAttrRE().FindSubmatchIndex(v)
}

// clauseAttrs are the attributes a clause may carry after its number; nil when absent.
type clauseAttrs struct {
	parties, roles []string
	duties         string
	dutiesSet      bool
}

// parseAttrs reads `parties="a b"` and `roles="c d"` (the only attributes a clause may carry),
// each at most once.
func parseAttrs(s string) (clauseAttrs, error) {
	var a clauseAttrs
	s = strings.TrimSpace(s)
	for s != "" {
		m := attrPairRE().FindStringSubmatch(s)
		if m == nil {
			return clauseAttrs{}, fmt.Errorf("malformed attributes {%s}: write {parties=\"a b\"} or {parties=\"a b\" roles=\"c d\"}", s)
		}
		val := m[2]
		if val == "" {
			val = m[3]
		}
		var dst *[]string
		switch m[1] {
		case "duties":
			// An override of what the duty reader finds; the corpus checks its bearers.
			if a.dutiesSet {
				return clauseAttrs{}, fmt.Errorf("attribute duties given twice")
			}
			a.duties, a.dutiesSet = strings.TrimSpace(val), true
			s = s[len(m[0]):]
			continue
		case "parties":
			dst = &a.parties
		case "roles":
			dst = &a.roles
		default:
			return clauseAttrs{}, fmt.Errorf("unknown attribute %q (only parties, roles and duties are allowed)", m[1])
		}
		if *dst != nil {
			return clauseAttrs{}, fmt.Errorf("attribute %s given twice", m[1])
		}
		*dst = strings.Fields(val)
		if len(*dst) == 0 {
			return clauseAttrs{}, fmt.Errorf("empty %s attribute", m[1])
		}
		s = s[len(m[0]):]
	}
	return a, nil
}

// attrList reads a space-separated attribute of a heading ({#H1 parties="a b" roles="c"}).
func attrList(n ast.Node, name string) ([]string, bool) {
	v, ok := n.AttributeString(name)
	if !ok {
		return nil, false
	}
	var s string
	switch v := v.(type) {
	case []byte:
		s = string(v)
	case string:
		s = v
	}
	f := strings.Fields(s)
	return f, true
}

// content adds the text, references, sub-paragraph ids and definitions of block b to n.
func (p *parse) content(n *Node, b ast.Node) {
	p.addText(n, blockTextSized(b, p.doc.src, p.size))
	n.Refs = append(n.Refs, p.refs(b, n)...)
	if p.scheme.IsSEC() {
		p.subParagraphs(n, b, n.ID)
	} else {
		p.unitsIn(n, b)
	}
	p.definitions(n, b)
}

func (p *parse) refs(b ast.Node, n *Node) []Ref {
	if p.opts.NoRefs {
		return nil
	}
	var out []Ref
	_ = ast.Walk(b, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c.Kind() {
		case ast.KindLink, ast.KindAutoLink, ast.KindCodeSpan, KindClauseNum, KindUnitLabel:
			return ast.WalkSkipChildren, nil
		}
		t, ok := c.(*ast.Text)
		if !ok || !startsRun(t) {
			return ast.WalkContinue, nil
		}
		if s, start, ok := sourceRun(t, p.doc.src, p.doc.text); ok {
			for _, r := range FindRefs(s) {
				r.Line = p.line(start + r.Start)
				out = append(out, r)
			}
			return ast.WalkContinue, nil
		}
		s, segs := textRun(t, p.doc.src)
		for _, r := range FindRefs(s) {
			r.Line = p.line(runOffset(segs, r.Start))
			out = append(out, r)
		}
		return ast.WalkContinue, nil
	})
	return out
}

func (p *parse) subParagraphs(n *Node, b ast.Node, parent string) {
	list, ok := b.(*ast.List)
	if !ok {
		return
	}
	for li := list.FirstChild(); li != nil; li = li.NextSibling() {
		first := li.FirstChild()
		var label string
		if first != nil {
			if t, ok := first.FirstChild().(*ast.Text); ok {
				label, _ = subParagraphLabel(t.Value(p.doc.src))
			}
		}
		id := parent
		if label != "" && n.Kind == KindClause {
			id = parent + label
			if p.keep {
				li.SetAttributeString("id", []byte(id))
			}
			n.SubIDs = append(n.SubIDs, id)
			p.claim(id, p.line(max(blockStart(li), 0)))
		}
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			p.subParagraphs(n, c, id)
		}
	}
}

// definitions finds a definitions table (header "Expression | Meaning") and inline
// definitions ("**Term**" in quotes and brackets).
func (p *parse) definitions(n *Node, b ast.Node) {
	src := p.doc.src
	if tbl, ok := b.(*east.Table); ok {
		head, ok := tbl.FirstChild().(*east.TableHeader)
		if ok && head.ChildCount() >= 2 && p.definitionTable(n, head) {
			return
		}
		// Another table: its cells may still define terms inline.
	}
	_ = ast.Walk(b, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		em, ok := c.(*ast.Emphasis)
		if !entering || !ok || em.Level != 2 {
			return ast.WalkContinue, nil
		}
		prev, ok1 := em.PreviousSibling().(*ast.Text)
		next, ok2 := em.NextSibling().(*ast.Text)
		if !ok1 || !ok2 {
			return ast.WalkContinue, nil
		}
		pv, nv := string(prev.Value(src)), string(next.Value(src))
		if !(strings.HasSuffix(pv, `"`) || strings.HasSuffix(pv, "\u201c")) ||
			!(strings.HasPrefix(nv, `"`) || strings.HasPrefix(nv, "\u201d")) {
			return ast.WalkContinue, nil
		}
		term := strings.TrimSpace(plainInline(em, src))
		if term == "" {
			return ast.WalkContinue, nil
		}
		anchor := "term-" + Slug(term)
		if p.keep {
			em.SetAttributeString("id", []byte(anchor))
			em.SetAttributeString("data-def", []byte("1"))
		}
		p.define(Definition{Term: term, Anchor: anchor, Clause: n.ID, Line: p.line(max(firstOffset(em), 0))})
		return ast.WalkSkipChildren, nil
	})
}

// definitionTable files the rows of a table whose header is "Expression | Meaning" as
// definitions; it reports false for any other table.
func (p *parse) definitionTable(n *Node, head *east.TableHeader) bool {
	src := p.doc.src
	c0 := strings.ToLower(strings.TrimSpace(plainInline(head.FirstChild(), src)))
	c1 := strings.ToLower(strings.TrimSpace(plainInline(head.FirstChild().NextSibling(), src)))
	if c0 != "expression" || c1 != "meaning" {
		return false
	}
	for row := head.NextSibling(); row != nil; row = row.NextSibling() {
		cell := row.FirstChild()
		if cell == nil || cell.NextSibling() == nil {
			continue
		}
		term := strings.TrimSpace(plainInline(cell, src))
		if term == "" {
			continue
		}
		anchor := "term-" + Slug(term)
		if p.keep {
			row.SetAttributeString("id", []byte(anchor))
			cell.SetAttributeString("data-def", []byte("1"))
		}
		p.define(Definition{Term: term, Anchor: anchor, Clause: n.ID,
			Meaning: strings.TrimSpace(plainInline(cell.NextSibling(), src)), Line: p.line(max(firstOffset(row), 0))})
	}
	return true
}

func (p *parse) define(d Definition) {
	if i, ok := p.terms[d.Term]; ok {
		p.doc.Problems = append(p.doc.Problems, Problem{Line: d.Line,
			Msg: fmt.Sprintf("term %q is defined twice (first on line %d)", d.Term, p.doc.Definitions[i].Line)})
		return
	}
	p.terms[d.Term] = len(p.doc.Definitions)
	p.doc.Definitions = append(p.doc.Definitions, d)
}

func (p *parse) line(off int) int { return lineOf(p.lines, off) }

// startsRun reports whether t is the first of a run of adjacent text nodes.
func startsRun(t *ast.Text) bool {
	_, prevText := t.PreviousSibling().(*ast.Text)
	return !prevText
}

// textRun joins t and the text nodes that follow it (goldmark splits text at line breaks and
// some punctuation), so that a reference broken over two lines is still found. It returns the
// text and, for each byte range of it, the source offset it came from.
func textRun(t *ast.Text, src []byte) (string, []runSeg) {
	var b strings.Builder
	var segs []runSeg
	for n := ast.Node(t); n != nil; n = n.NextSibling() {
		tn, ok := n.(*ast.Text)
		if !ok {
			break
		}
		segs = append(segs, runSeg{at: b.Len(), src: tn.Segment.Start})
		b.Write(tn.Value(src))
		if tn.SoftLineBreak() || tn.HardLineBreak() {
			b.WriteByte('\n')
		}
	}
	return b.String(), segs
}

// sourceRun is textRun when the run is written in the source as it is (no padding, its text
// nodes separated by nothing but the newline of a line break, as in most paragraphs): a slice
// of text, the source as a string, without a copy. start is the run's offset in the source.
func sourceRun(t *ast.Text, src []byte, text string) (s string, start int, ok bool) {
	if len(text) != len(src) {
		return "", 0, false
	}
	start = t.Segment.Start
	end := start
	for n := ast.Node(t); n != nil; n = n.NextSibling() {
		tn, isText := n.(*ast.Text)
		if !isText {
			break
		}
		seg := tn.Segment
		if seg.Padding != 0 || seg.ForceNewline || seg.Start != end || seg.Stop < seg.Start || seg.Stop > len(src) {
			return "", 0, false
		}
		end = seg.Stop
		if tn.SoftLineBreak() || tn.HardLineBreak() {
			if end >= len(src) || src[end] != '\n' {
				return "", 0, false
			}
			end++
		}
	}
	return text[start:end], start, true
}

type runSeg struct{ at, src int }

// runOffset maps position pos of a text run to its source offset: segs are in order of at.
func runOffset(segs []runSeg, pos int) int {
	i := sort.Search(len(segs), func(i int) bool { return segs[i].at > pos }) - 1
	if i < 0 {
		return 0
	}
	return segs[i].src + pos - segs[i].at
}

// blockStart is the source offset at which block n starts (its marker: "#", "-", "```"), or
// the first text inside it when goldmark did not record a position; -1 when neither is known.
func blockStart(n ast.Node) int {
	off := firstOffset(n)
	if p := n.Pos(); p >= 0 && (off < 0 || p < off) {
		off = p
	}
	return off
}

// firstOffset is the smallest source offset of any text inside n, or -1.
func firstOffset(n ast.Node) int {
	best := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if c.Type() == ast.TypeBlock {
			if l := c.Lines(); l != nil && l.Len() > 0 {
				if s := l.At(0).Start; best < 0 || s < best {
					best = s
				}
			}
		}
		if t, ok := c.(*ast.Text); ok {
			if s := t.Segment.Start; best < 0 || s < best {
				best = s
			}
		}
		return ast.WalkContinue, nil
	})
	return best
}

// plainInline is the text of an inline container (heading, table cell, emphasis).
func plainInline(n ast.Node, src []byte) string {
	var b strings.Builder
	inlineText(&b, n, src)
	return b.String()
}

func inlineText(b *strings.Builder, n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(src)
			if bytes.IndexByte(v, '\\') >= 0 && !isCode(n) {
				// "31\." is written so that Markdown does not read a list; its text is "31.".
				v = util.UnescapePunctuations(v)
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *east.FootnoteLink:
			fmt.Fprintf(b, "[%d]", c.Index)
		case *ast.String:
			b.Write(c.Value)
		case *ast.RawHTML:
			for i := 0; i < c.Segments.Len(); i++ {
				s := c.Segments.At(i)
				b.Write(s.Value(src))
			}
		case *ast.AutoLink:
			b.Write(c.Label(src))
		default:
			inlineText(b, c, src)
		}
	}
}

// isCode reports whether an inline container is code, whose backslashes are text.
func isCode(n ast.Node) bool {
	_, ok := n.(*ast.CodeSpan)
	return ok
}

// blockText is the plain text of a block: paragraphs and list items on lines of their own
// (an item of an ordered list with its number as written), table cells separated by " | ".
func blockText(n ast.Node, src []byte) string { return blockTextSized(n, src, 0) }

// blockTextSized is blockText with the length of the block's source as a hint of its
// text's: the text is then built without growing its buffer again and again.
func blockTextSized(n ast.Node, src []byte, hint int) string {
	var b strings.Builder
	b.Grow(hint)
	writeBlockText(&b, n, src)
	return strings.TrimRight(b.String(), "\n")
}

func writeBlockText(b *strings.Builder, n ast.Node, src []byte) {
	switch n := n.(type) {
	case *east.Table:
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if cell != row.FirstChild() {
					b.WriteString(" | ")
				}
				b.WriteString(strings.TrimSpace(plainInline(cell, src)))
			}
			b.WriteByte('\n')
		}
		return
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		l := n.Lines()
		for i := 0; i < l.Len(); i++ {
			s := l.At(i)
			b.Write(s.Value(src))
		}
		if hb, ok := n.(*ast.HTMLBlock); ok && hb.HasClosure() {
			b.Write(hb.ClosureLine.Value(src))
		}
		b.WriteByte('\n')
		return
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.DefinitionTerm:
		inlineText(b, n, src)
		b.WriteByte('\n')
		return
	case *east.Footnote:
		// The footnote's mark opens its text, as its reference stands in the text.
		if n.Index > 0 {
			fmt.Fprintf(b, "[%d] ", n.Index)
		} else {
			fmt.Fprintf(b, "[%s] ", n.Ref)
		}
	case *ast.ListItem:
		// The number of an item of an ordered list is text ("1. The Agreement ..."): keep it
		// as written.
		if l, ok := n.Parent().(*ast.List); ok && l.IsOrdered() {
			b.WriteString(listMarker(n, l, src))
			if n.FirstChild() == nil {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
	}
	if n.Type() == ast.TypeInline {
		inlineText(b, n, src)
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writeBlockText(b, c, src)
	}
}

// listMarker is the marker of item li of ordered list l as written ("3." or "3)"), or the
// number the list gives it when its position is unknown.
func listMarker(li *ast.ListItem, l *ast.List, src []byte) string {
	if p := li.Pos(); p >= 0 && p < len(src) {
		i := p
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		j := i
		for j < len(src) && j-i < 10 && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		if j > i && j < len(src) && (src[j] == '.' || src[j] == ')') {
			return string(src[i : j+1])
		}
	}
	k := 0
	for c := l.FirstChild(); c != nil && c != ast.Node(li); c = c.NextSibling() {
		k++
	}
	return strconv.Itoa(l.Start+k) + string(l.Marker)
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			return starts
		}
		i += j + 1
		starts = append(starts, i)
	}
}

// lineOf returns the 1-based line of offset off.
func lineOf(starts []int, off int) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

func lineStartOf(starts []int, off int) int { return starts[lineOf(starts, off)-1] }
