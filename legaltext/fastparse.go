package legaltext

import (
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// The fast path. Most versions are written in a small part of Markdown: ATX headings (with an
// {#id key="value"} attribute), paragraphs, "- " lists, pipe tables, and bold words. fastTree
// builds for such an input the syntax tree goldmark's parser would build (as far as the parse
// below reads it: kinds, nesting, text segments, soft line breaks, attributes), without trying
// every block and inline parser on every line. It gives up (ok false) at the first line it is
// not certain to read as goldmark does, and the caller then runs goldmark on the whole input:
// a document is never parsed half one way and half the other. FuzzParseFast and the
// differential tests hold the two paths to the same result.

// fastBad are the bytes after which the fast path does not read an input at all: the triggers
// of goldmark's inline parsers it does not implement (code, links and images, footnotes, raw
// HTML, strikethrough, underscores; goldmark also splits text where one fails, as at a lone
// "!"), escapes and entities, tabs and carriage returns (columns and line ends), NUL
// (replaced by goldmark) and form and vertical feeds.
var fastBad = func() (t [256]bool) {
	for _, c := range []byte("\t\r\\`<>&~_[]!\x00\f\v") {
		t[c] = true
	}
	return t
}()

// fastTree returns the syntax tree of src, or false when src is not plainly in the subset.
func fastTree(src []byte) (ast.Node, bool) {
	for _, c := range src {
		if fastBad[c] {
			return nil, false
		}
	}
	f := fastReader{src: src}
	// The lines: [start, end) without the newline.
	n := 1
	for _, c := range src {
		if c == '\n' {
			n++
		}
	}
	f.starts = make([]int, 0, n)
	f.ends = make([]int, 0, n)
	for i := 0; i <= len(src); {
		j := i
		for j < len(src) && src[j] != '\n' {
			j++
		}
		f.starts = append(f.starts, i)
		f.ends = append(f.ends, j)
		i = j + 1
	}
	doc := ast.NewDocument()
	for i := 0; i < len(f.starts); {
		if f.blank(i) {
			i++
			continue
		}
		var next int
		var ok bool
		switch s := src[f.starts[i]:f.ends[i]]; {
		case s[0] == '#':
			next, ok = f.heading(doc, i)
		case s[0] == '-':
			next, ok = f.list(doc, i)
		case s[0] == '|':
			next, ok = f.table(doc, i)
		default:
			next, ok = f.paragraph(doc, i)
		}
		if !ok {
			return nil, false
		}
		i = next
	}
	if doc.FirstChild() == nil {
		return nil, false
	}
	return doc, true
}

type fastReader struct {
	src          []byte
	starts, ends []int
}

func (f *fastReader) line(i int) []byte { return f.src[f.starts[i]:f.ends[i]] }

// blank: a line of spaces only (tabs never reach here).
func (f *fastReader) blank(i int) bool {
	for _, c := range f.line(i) {
		if c != ' ' {
			return false
		}
	}
	return true
}

// heading reads an ATX heading: "#"s, a space, plain text, and an optional attribute block
// {#id key="value" ...} at the end.
func (f *fastReader) heading(doc ast.Node, i int) (int, bool) {
	s := f.line(i)
	lv := 0
	for lv < len(s) && s[lv] == '#' {
		lv++
	}
	if lv > 6 || lv >= len(s) || s[lv] != ' ' {
		return 0, false
	}
	a := lv + 1
	for a < len(s) && s[a] == ' ' {
		a++
	}
	b := len(s)
	h := ast.NewHeading(lv)
	if open := indexByte(s[a:], '{'); open >= 0 {
		open += a
		if s[b-1] != '}' || !fastAttrs(h, s[open+1:b-1]) || open == a || s[open-1] != ' ' {
			return 0, false
		}
		b = open
	}
	for b > a && s[b-1] == ' ' {
		b--
	}
	if b == a || s[b-1] == '#' {
		return 0, false
	}
	for _, c := range s[a:b] {
		if c == '*' || c == '|' || c == '{' || c == '}' {
			return 0, false
		}
	}
	off := f.starts[i]
	h.SetPos(off)
	seg := text.NewSegment(off+a, off+b)
	h.Lines().Append(seg)
	h.AppendChild(h, ast.NewTextSegment(seg))
	doc.AppendChild(doc, h)
	return i + 1, true
}

// fastAttrs reads the inside of a heading's attribute block: an optional #id first, then
// key="value" pairs, single spaces between, plain characters only.
func fastAttrs(h ast.Node, s []byte) bool {
	seen := map[string]bool{}
	for len(s) > 0 {
		if s[0] == '#' {
			if len(seen) > 0 {
				return false
			}
			j := 1
			for j < len(s) && isIDByte(s[j]) {
				j++
			}
			if j == 1 || (j < len(s) && s[j] != ' ') {
				return false
			}
			h.SetAttributeString("id", s[1:j])
			seen["id"] = true
			s = s[j:]
		} else {
			j := 0
			for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
				j++
			}
			if j == 0 || j+1 >= len(s) || s[j] != '=' || s[j+1] != '"' || seen[string(s[:j])] {
				return false
			}
			key := string(s[:j])
			k := j + 2
			for k < len(s) && s[k] != '"' {
				c := s[k]
				if !(isIDByte(c) || c == ' ' || c == ':' || c == ',') {
					return false
				}
				k++
			}
			if k >= len(s) {
				return false
			}
			h.SetAttributeString(key, s[j+2:k])
			seen[key] = true
			s = s[k+1:]
		}
		if len(s) > 0 {
			if s[0] != ' ' || len(s) == 1 || s[1] == ' ' {
				return false
			}
			s = s[1:]
		}
	}
	return len(seen) > 0
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// startsBlock reports whether line s (its first byte not a space) could open a block other
// than a paragraph, or be read otherwise than as text of one (a setext underline, a list
// marker, a definition): such a line is never a paragraph's line on the fast path.
func startsBlock(s []byte) bool {
	switch s[0] {
	case '#', '-', '+', '=', '>', '|', ':', '{', '}':
		return true
	case '*':
		// "**" and a word is bold text; anything else is a list, a rule or emphasis.
		return len(s) < 3 || s[1] != '*' || s[2] == ' ' || s[2] == '*'
	}
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > 0 && j < len(s) && (s[j] == '.' || s[j] == ')')
}

// interrupts reports whether line s, after a line of a paragraph (its first byte not a
// space), ends the paragraph or is read otherwise than as its text. It is startsBlock, except
// that a number and a dot starts an ordered list there only when it is 1 and text follows
// (goldmark, as CommonMark: "30.", "1.5" and "2. x" are text).
func interrupts(s []byte) bool {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == 0 {
		return startsBlock(s)
	}
	if j > 9 || j == len(s) || (s[j] != '.' && s[j] != ')') {
		return false
	}
	k := j + 1
	if k < len(s) && s[k] != ' ' {
		return false // "1.5": not a list marker
	}
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k == len(s) {
		return false // an empty item does not interrupt a paragraph
	}
	v := 0
	for _, c := range s[:j] {
		v = v*10 + int(c-'0')
	}
	return v == 1
}

// paragraph reads lines of plain text up to a blank line.
func (f *fastReader) paragraph(doc ast.Node, i int) (int, bool) {
	p := ast.NewParagraph()
	p.SetPos(f.starts[i])
	j := i
	for ; j < len(f.starts) && !f.blank(j); j++ {
		s := f.line(j)
		if s[0] == ' ' || (j == i && startsBlock(s)) || (j > i && interrupts(s)) {
			return 0, false
		}
	}
	for k := i; k < j; k++ {
		p.Lines().Append(text.NewSegment(f.starts[k], f.ends[k]+min(1, len(f.src)-f.ends[k])))
		if !f.inline(p, f.starts[k], f.ends[k], k < j-1, false) {
			return 0, false
		}
	}
	doc.AppendChild(doc, p)
	return j, true
}

// inline appends the text of src[a:b] (one line, or a table cell) to parent as goldmark
// reads it: text, and "**bold**" words where the delimiters can only open and close.
// soft marks a line that a soft line break ends. cell allows bold at the end (nothing follows
// a cell's text on its line).
func (f *fastReader) inline(parent ast.Node, a, b int, soft, cell bool) bool {
	s := f.src
	if b > a && s[b-1] == ' ' {
		return false // trailing spaces are trimmed or make a hard break
	}
	t := a
	var last *ast.Text
	for k := a; k < b; k++ {
		switch s[k] {
		case '|', '*':
		default:
			continue
		}
		if s[k] == '|' || k+2 >= b || s[k+1] != '*' || !isASCIIAlnum(s[k+2]) || !boldOpener(s, a, k) {
			return false
		}
		e := k + 2
		for e < b && s[e] != '*' && s[e] != '|' {
			e++
		}
		if e+1 >= b || s[e] != '*' || s[e+1] != '*' || !isASCIIAlnum(s[e-1]) {
			return false
		}
		if e+2 < b {
			if !boldCloser(s, e+2) {
				return false
			}
		} else if !cell {
			return false
		}
		if k > t {
			last = ast.NewTextSegment(text.NewSegment(t, k))
			parent.AppendChild(parent, last)
		}
		em := ast.NewEmphasis(2)
		em.AppendChild(em, ast.NewTextSegment(text.NewSegment(k+2, e)))
		parent.AppendChild(parent, em)
		last = nil
		k = e + 1
		t = e + 2
	}
	if b > t {
		last = ast.NewTextSegment(text.NewSegment(t, b))
		parent.AppendChild(parent, last)
	}
	if soft {
		if last == nil {
			return false
		}
		last.SetSoftLineBreak(true)
	}
	return true
}

func isASCIIAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// boldOpener: "**" at k opens only (line start, or after a space, an opening quote or bracket).
func boldOpener(s []byte, a, k int) bool {
	if k == a {
		return true
	}
	switch s[k-1] {
	case ' ', '"', '(':
		return true
	}
	// “ is E2 80 9C.
	return k-a >= 3 && s[k-3] == 0xE2 && s[k-2] == 0x80 && s[k-1] == 0x9C
}

// boldCloser: the "**" ending before k closes only (a space, a closing quote or punctuation
// after it).
func boldCloser(s []byte, k int) bool {
	switch s[k] {
	case ' ', '"', ',', '.', ';', ':', ')':
		return true
	}
	// ” is E2 80 9D.
	return k+2 < len(s) && s[k] == 0xE2 && s[k+1] == 0x80 && s[k+2] == 0x9D
}

// list reads a "- " list: items at indent 0, 2 and 4 (each level under an item of the one
// above), their text wrapped on lines indented to it, blank lines between items.
func (f *fastReader) list(doc ast.Node, i int) (int, bool) {
	var lists [3]*ast.List
	var items [3]*ast.ListItem
	var blocks [3]*ast.TextBlock
	depth := -1 // the level of the last item
	afterBlank := false
	j := i
	for ; j < len(f.starts); j++ {
		if f.blank(j) {
			afterBlank = true
			continue
		}
		s := f.line(j)
		ind := 0
		for ind < len(s) && s[ind] == ' ' {
			ind++
		}
		if ind == 0 && s[0] != '-' {
			if !afterBlank {
				return 0, false // a lazy continuation line
			}
			break
		}
		off := f.starts[j]
		if ind%2 == 0 && ind/2 <= depth+1 && ind/2 < 3 && ind+1 < len(s) && s[ind] == '-' && s[ind+1] == ' ' {
			// An item of level ind/2.
			lv := ind / 2
			c := ind + 2
			if c >= len(s) || s[c] == ' ' || startsBlock(s[c:]) {
				return 0, false
			}
			if lists[lv] == nil || lv > depth {
				l := ast.NewList('-')
				l.SetPos(off + ind)
				if lv == 0 {
					doc.AppendChild(doc, l)
				} else {
					items[lv-1].AppendChild(items[lv-1], l)
				}
				lists[lv] = l
			}
			for k := lv + 1; k < 3; k++ {
				lists[k], items[k], blocks[k] = nil, nil, nil
			}
			li := ast.NewListItem(c)
			li.SetPos(off + ind)
			lists[lv].AppendChild(lists[lv], li)
			tb := ast.NewTextBlock()
			tb.Lines().Append(text.NewSegment(off+c, f.ends[j]+min(1, len(f.src)-f.ends[j])))
			li.AppendChild(li, tb)
			items[lv], blocks[lv], depth = li, tb, lv
			afterBlank = false
			continue
		}
		// A wrapped line of the last item's text.
		if afterBlank || depth < 0 || ind != 2*depth+2 || interrupts(s[ind:]) {
			return 0, false
		}
		tb := blocks[depth]
		tb.Lines().Append(text.NewSegment(off+ind, f.ends[j]+min(1, len(f.src)-f.ends[j])))
	}
	// The text of each item, now that its lines are known.
	var fill func(n ast.Node) bool
	fill = func(n ast.Node) bool {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if tb, ok := c.(*ast.TextBlock); ok {
				l := tb.Lines()
				for k := 0; k < l.Len(); k++ {
					seg := l.At(k)
					stop := seg.Stop
					if stop > seg.Start && stop <= len(f.src) && f.src[stop-1] == '\n' {
						stop--
					}
					if !f.inline(tb, seg.Start, stop, k < l.Len()-1, false) {
						return false
					}
				}
				continue
			}
			if !fill(c) {
				return false
			}
		}
		return true
	}
	if !fill(lists[0]) {
		return 0, false
	}
	return j, true
}

// table reads a pipe table: a header row, a delimiter row of "---" cells, and rows with as
// many cells, every line opening and closing with "|", up to a blank line.
func (f *fastReader) table(doc ast.Node, i int) (int, bool) {
	j := i
	for ; j < len(f.starts) && !f.blank(j); j++ {
		s := f.line(j)
		if s[0] != '|' || len(s) < 2 || s[len(s)-1] != '|' {
			return 0, false
		}
	}
	if j-i < 2 {
		return 0, false
	}
	// The delimiter row: "| --- | --- |" (no alignment).
	d := f.line(i + 1)
	cols := 0
	for k := 1; k < len(d); {
		e := k
		for e < len(d) && d[e] != '|' {
			e++
		}
		c := d[k:e]
		a, b := 0, len(c)
		for a < b && c[a] == ' ' {
			a++
		}
		for b > a && c[b-1] == ' ' {
			b--
		}
		if a == b {
			return 0, false
		}
		for _, x := range c[a:b] {
			if x != '-' {
				return 0, false
			}
		}
		cols++
		k = e + 1
	}
	t := east.NewTable()
	t.Alignments = make([]east.Alignment, cols)
	t.SetPos(f.starts[i])
	for k := i; k < j; k++ {
		if k == i+1 {
			continue
		}
		row := east.NewTableRow(t.Alignments)
		row.SetPos(f.starts[k])
		s := f.line(k)
		off := f.starts[k]
		n := 0
		for c := 1; c < len(s); {
			e := c
			for e < len(s) && s[e] != '|' {
				e++
			}
			a, b := off+c, off+e
			for a < b && f.src[a] == ' ' {
				a++
			}
			for b > a && f.src[b-1] == ' ' {
				b--
			}
			cell := east.NewTableCell()
			cell.SetPos(off + c)
			cell.Lines().Append(text.NewSegment(a, b))
			if b > a && !f.inline(cell, a, b, false, true) {
				return 0, false
			}
			row.AppendChild(row, cell)
			n++
			c = e + 1
		}
		if n != cols {
			return 0, false
		}
		if k == i {
			t.AppendChild(t, east.NewTableHeader(row))
		} else {
			t.AppendChild(t, row)
		}
	}
	doc.AppendChild(doc, t)
	return j, true
}

func indexByte(s []byte, c byte) int {
	for i, x := range s {
		if x == c {
			return i
		}
	}
	return -1
}
