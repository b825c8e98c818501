package legaltext

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// UnitLabel is the label that opens a unit ("(2)", "3.") in a scheme other than the SEC's;
// it renders as the unit's permalink.
type UnitLabel struct {
	ast.BaseInline
	ID string
	// Anchor is false for the label of a clause itself, whose id the caller puts on the
	// clause's element.
	Anchor bool
}

// KindUnitLabel is the goldmark node kind of UnitLabel.
var KindUnitLabel = ast.NewNodeKind("UnitLabel")

// Kind implements ast.Node.
func (n *UnitLabel) Kind() ast.NodeKind { return KindUnitLabel }

// Dump implements ast.Node.
func (n *UnitLabel) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"ID": n.ID}, nil)
}

// unitState is the numbering open while a clause of a scheme other than the SEC's is read.
type unitState struct {
	// baseCite is what a unit's citation starts with: the clause's ("§ 14a") when headings
	// are clauses, the numbered heading's ("§ 50-2201.03") when labels open clauses.
	baseCite string
	stack    []*label // the label open at each level (nil: a level left out)
	// open is set when a paragraph opens a clause by its first label, which is then the
	// clause's own, at level 1.
	open bool
	// skip is the length of a "1.—" that opened a clause, before the paragraph's labels.
	skip int
}

// schemeHeading handles a heading under a scheme other than the SEC's: a numbered heading
// ("§ 14a ...") becomes a clause or a part; any other heading is left to p.heading, with a
// stable id for one numbered by a word of its own ("Teil 1", "Abschnitt 2").
func (p *parse) schemeHeading(i int, h *ast.Heading) *Node {
	s := p.scheme
	title := strings.TrimSpace(plainInline(h, p.doc.src))
	_, hasID := h.AttributeString("id")
	word, num, ok := s.headingNumber(title)
	cite := headingCite(word, num)
	if !ok && s.TitleNumbers {
		if num, ok = titleNumber(title); ok {
			cite = num
			for _, e := range p.stack {
				if e.cite != "" && e.level < h.Level {
					cite = e.cite + " " + num
				}
			}
		}
	}
	if !ok || hasID {
		p.units = unitState{}
		return p.heading(i, h)
	}
	id := idOf(cite)
	if !s.HeadingClauses {
		h.SetAttributeString("id", []byte(id))
		n := p.heading(i, h)
		n.Number = cite
		p.units = unitState{baseCite: cite}
		return n
	}
	off := blockStart(h)
	for len(p.stack) > 0 && p.stack[len(p.stack)-1].level >= h.Level {
		p.stack = p.stack[:len(p.stack)-1]
	}
	p.path = nil
	n := p.newNode(KindClause, id, true, off)
	n.Level = h.Level
	p.addText(n, title)
	n.Number = cite
	n.Title = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(title[strings.Index(title, num)+len(num):]), ".:–—- "))
	if parties, set := attrList(h, "parties"); set && len(parties) > 0 {
		n.Parties, n.PartiesSet = parties, true
	}
	if roles, set := attrList(h, "roles"); set && len(roles) > 0 {
		n.Roles, n.RolesSet = roles, true
	}
	// The caller puts the clause's id on the element that wraps the clause: the heading
	// links to it rather than repeating it.
	h.SetAttributeString("data-clause", []byte(id))
	n.blocks = []int{i}
	n.Refs = p.refs(h, n)
	p.claim(id, n.Line)
	p.clause = n
	p.units = unitState{baseCite: cite}
	p.stack = append(p.stack, heading{level: h.Level, title: title, parties: n.Parties, set: n.Parties != nil,
		roles: n.Roles, roleSet: n.Roles != nil, cite: cite})
	p.path = nil
	return n
}

// schemeClauseStart opens a clause at a paragraph whose first label is of the first level
// (a US code's "(a)"), or that opens with "1.—" (UK legislation).
func (p *parse) schemeClauseStart(i int, b *ast.Paragraph) *Node {
	s := p.scheme
	src := p.doc.src
	if s.DashClauses {
		if num, skip, ok := dashNumber(b, src); ok {
			n := p.openClause(i, b, num, idOf(num))
			p.units.skip, p.units.baseCite = skip, num
			p.content(n, b)
			return n
		}
	}
	if s.NumberClauses {
		if _, top := b.Parent().(*ast.Document); top {
			if t, ok := b.FirstChild().(*ast.Text); ok {
				raw := string(t.Value(src))
				clean, at := unescaped(raw)
				if cite, n, ok := s.numberOpener(clean); ok {
					c := p.openClause(i, b, cite, idOf(cite))
					p.units.baseCite = cite
					if n > 0 {
						p.units.skip = at[n]
					}
					p.content(c, b)
					return c
				}
			}
		}
	}
	if s.HeadingClauses {
		return nil
	}
	t, ok := b.FirstChild().(*ast.Text)
	if !ok {
		return nil
	}
	texts, cands := s.leadLabels(string(t.Value(src)))
	if len(texts) == 0 || resolve(p.units.stack, cands[0], 0) != 1 {
		return nil
	}
	cite := p.units.baseCite + texts[0]
	n := p.openClause(i, b, cite, idOf(cite))
	p.units.open = true
	p.content(n, b)
	return n
}

func (p *parse) openClause(i int, b ast.Node, cite, id string) *Node {
	n := p.newNode(KindClause, id, true, blockStart(b))
	n.Number = cite
	p.claim(id, n.Line)
	p.clause = n
	p.units.stack, p.units.open, p.units.skip = nil, false, 0
	n.blocks = []int{i}
	return n
}

// numberOpener reads the "1." or "Section 1" that opens a paragraph of an outline: the
// clause's citation and the length of the number read ("1." is read, "Section 1" stays text).
func (s *Scheme) numberOpener(t string) (cite string, n int, ok bool) {
	j := 0
	for j < len(t) && j < 4 && isDigit(t[j]) {
		j++
	}
	if j > 0 && j+1 < len(t) && t[j] == '.' && (t[j+1] == ' ' || t[j+1] == '\t') {
		return t[:j+1], j + 1, true
	}
	if w, num, ok := s.headingNumber(t); ok {
		return headingCite(w, num), 0, true
	}
	return "", 0, false
}

// unescaped is s without the backslashes that escape punctuation, with the offset in s of
// every offset of the result (one more than its length, for the end).
func unescaped(s string) (string, []int) {
	at := make([]int, 0, len(s)+1)
	if strings.IndexByte(s, '\\') < 0 {
		for i := 0; i <= len(s); i++ {
			at = append(at, i)
		}
		return s, at
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		at = append(at, i)
		b.WriteByte(s[i])
	}
	at = append(at, len(s))
	return b.String(), at
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// dashNumber reads the "1.—" or bold "**1.**" that opens a UK section, and the length of
// what precedes its labels in the first text node.
func dashNumber(b *ast.Paragraph, src []byte) (num string, skip int, ok bool) {
	switch c := b.FirstChild().(type) {
	case *ast.Emphasis:
		if c.Level != 2 {
			return "", 0, false
		}
		t, ok := c.FirstChild().(*ast.Text)
		if !ok || t.NextSibling() != nil {
			return "", 0, false
		}
		v := strings.TrimSuffix(string(t.Value(src)), ".")
		if !isSectionNum(v) {
			return "", 0, false
		}
		return v, -1, true
	case *ast.Text:
		v := string(c.Value(src))
		j := 0
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		for j > 0 && j < len(v) && isUpper(v[j]) {
			j++
		}
		if j == 0 || j >= len(v) || v[j] != '.' {
			return "", 0, false
		}
		rest := v[j+1:]
		t := strings.TrimLeft(rest, " ")
		d := strings.TrimLeft(t, "—–")
		if len(d) == len(t) {
			return "", 0, false
		}
		return v[:j], len(v) - len(strings.TrimLeft(d, " ")), true
	}
	return "", 0, false
}

func isSectionNum(v string) bool {
	j := 0
	for j < len(v) && isDigit(v[j]) {
		j++
	}
	for j > 0 && j < len(v) && isUpper(v[j]) {
		j++
	}
	return j > 0 && j == len(v)
}

// unitsIn files the units of block b (its labelled paragraphs and list items) under clause n.
func (p *parse) unitsIn(n *Node, b ast.Node) {
	if n.Kind != KindClause {
		return
	}
	switch b := b.(type) {
	case *ast.Paragraph:
		p.unitPara(n, b)
		return
	case *ast.TextBlock:
		p.unitPara(n, b)
		return
	case *ast.List:
		for li := b.FirstChild(); li != nil; li = li.NextSibling() {
			if b.IsOrdered() {
				marker := listMarker(li.(*ast.ListItem), b, p.doc.src)
				if texts, cands := p.scheme.leadLabels(marker); len(texts) == 1 {
					if u, ok := p.place(n, texts, cands, marker); ok {
						li.SetAttributeString("id", []byte(u[0].ID))
					}
				}
			}
			for c := li.FirstChild(); c != nil; c = c.NextSibling() {
				p.unitsIn(n, c)
			}
		}
		return
	case *ast.Heading, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		return
	}
	for c := b.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() == ast.TypeBlock {
			p.unitsIn(n, c)
		}
	}
}

// unitPara reads the labels that open paragraph b, files their units, and marks the labels
// in the syntax tree as permalinks.
func (p *parse) unitPara(n *Node, b ast.Node) {
	src := p.doc.src
	first := b.FirstChild()
	skip := p.units.skip
	p.units.skip = 0
	if skip < 0 { // a bold "**1.**": the labels follow in the next text
		first = first.NextSibling()
		skip = 0
		if t, ok := first.(*ast.Text); ok {
			v := string(t.Value(src))
			d := strings.TrimLeft(strings.TrimLeft(strings.TrimLeft(v, " "), "—–"), " ")
			skip = len(v) - len(d)
		}
	}
	t, ok := first.(*ast.Text)
	if !ok {
		return
	}
	v := string(t.Value(src))
	if skip > len(v) {
		return
	}
	// "1\." keeps Markdown from reading a list: its label is "1.".
	clean, at := unescaped(v[skip:])
	texts, cands := p.scheme.leadLabels(clean)
	if len(texts) == 0 {
		p.units.open = false
		return
	}
	units, ok := p.place(n, texts, cands, strings.Join(texts, ""))
	if !ok {
		return
	}
	if _, top := b.Parent().(*ast.Document); top {
		// A labelled paragraph is indented by its depth, as the items of a list at the same
		// depth are ("4c." beside "3.", "a)" under them).
		if depth := len(p.units.stack) - 1; depth > 0 {
			b.SetAttributeString("class", []byte("unit unit-l"+strconv.Itoa(min(depth, 6))))
		}
	}
	// Cut the labels out of the text node into UnitLabel nodes.
	start := t.Segment.Start
	if skip > 0 {
		seg := t.Segment
		pre := ast.NewTextSegment(seg.WithStop(start + skip))
		b.InsertBefore(b, t, pre)
		start += skip
	}
	pos := 0 // in clean
	for k, u := range units {
		ul := &UnitLabel{ID: u.ID, Anchor: u.Level > 0}
		n := at[pos+len(texts[k])] - at[pos] // the label's length as written
		seg := t.Segment.WithStart(start)
		seg = seg.WithStop(start + n)
		ul.AppendChild(ul, ast.NewTextSegment(seg))
		b.InsertBefore(b, t, ul)
		start += n
		pos += len(texts[k])
	}
	t.Segment = t.Segment.WithStart(start)
}

// place files the labels of one paragraph (a chain "(2)(A)", or one label) as units of n and
// returns them; a label that fits no level ends the chain. The label of a clause opened by
// its label is returned with Level 0 and is not one of n's units.
func (p *parse) place(n *Node, texts []string, cands [][]cand, lead string) ([]Unit, bool) {
	st := &p.units
	var out []Unit
	min := 0
	for k := range texts {
		lvl := 0
		if k == 0 && st.open {
			for _, c := range cands[0] {
				if c.level == 1 {
					lvl = 1
				}
			}
			st.open = false
			if lvl == 1 {
				l := findCand(cands[0], 1)
				st.stack = []*label{&l}
				out = append(out, Unit{ID: n.ID, Label: n.Number, Lead: texts[0]})
				min = 1
				continue
			}
		}
		lvl = resolve(st.stack, cands[k], min)
		if lvl == 0 {
			break
		}
		l := findCand(cands[k], lvl)
		l.run = 1
		if lvl <= len(st.stack) && st.stack[lvl-1] != nil {
			prev := st.stack[lvl-1]
			l.run = prev.run
			if l.ord == 1 && !l.sub {
				l.run++ // the level starts again: another list in the same unit
			}
		}
		for len(st.stack) < lvl {
			st.stack = append(st.stack, nil)
		}
		st.stack = st.stack[:lvl]
		st.stack[lvl-1] = &l
		cite := st.baseCite
		for _, x := range st.stack {
			if x != nil {
				cite += p.scheme.Sep + x.cite()
			}
		}
		level := lvl
		if !p.scheme.HeadingClauses {
			level-- // level 1 is the clause itself
		}
		u := Unit{ID: idOf(cite), Label: cite, Lead: lead, Level: level}
		if level == 0 {
			out = append(out, Unit{ID: n.ID, Label: n.Number, Lead: lead})
			min = lvl
			continue
		}
		if p.taken(u.ID) {
			// The same label twice in one clause (a slip in the text): the first keeps the
			// id, which stays unique. The count is remembered, so that a text of many
			// repeats costs no more than one try each.
			base := u.ID
			for k := max(p.nhead[base], 1); p.taken(u.ID); {
				k++
				p.nhead[base] = k
				u.ID = base + "~" + strconv.Itoa(k)
			}
		}
		p.ids[u.ID] = n.Line
		n.Units = append(n.Units, u)
		n.SubIDs = append(n.SubIDs, u.ID)
		out = append(out, u)
		min = lvl
	}
	return out, len(out) > 0
}

func findCand(cs []cand, level int) label {
	for _, c := range cs {
		if c.level == level {
			return c.l
		}
	}
	return label{}
}

// unitRenderer renders UnitLabel nodes.
type unitRenderer struct{}

func (unitRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindUnitLabel, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		u := n.(*UnitLabel)
		id := template.HTMLEscapeString(u.ID)
		label := template.HTMLEscapeString(plainInline(u, src))
		if u.Anchor {
			fmt.Fprintf(w, `<a class="num unit" id="%s" href="#%s" title="Permalink to %s">%s</a>`, id, id, id, label)
		} else {
			fmt.Fprintf(w, `<a class="num" href="#%s" title="Permalink to %s">%s</a>`, id, id, label)
		}
		return ast.WalkSkipChildren, nil
	})
}

// LocateUnits says which unit each paragraph of a clause's text belongs to, the paragraphs
// given in order (the lines of Text, or of a redline of it): the index of the unit in
// n.Units, or -1 for the clause's own text before its first unit. A paragraph opens the next
// unit when it starts with that unit's lead; one that opens none stays in the unit before it.
func (n *Node) LocateUnits(paras []string) []int {
	out := make([]int, len(paras))
	cur, next := -1, 0
	for k, para := range paras {
		para = strings.TrimSpace(para)
		// A chain "(2)(A)" opens as many units as it has labels, all on one paragraph.
		for taken := 0; next < len(n.Units); taken++ {
			u := n.Units[next]
			if !strings.HasPrefix(para, u.Lead) || taken >= max(strings.Count(u.Lead, "("), 1) {
				break
			}
			rest := para[len(u.Lead):]
			if rest != "" && !startsSpace(rest) {
				break
			}
			if taken > 0 && u.Lead != n.Units[cur].Lead {
				break
			}
			cur, next = next, next+1
		}
		out[k] = cur
	}
	return out
}
