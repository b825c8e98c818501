package redline

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"codenav/legaltext"
)

// side is one version prepared for comparison. What only the similarity search needs (the
// word sets, the lines) is computed on first use, so that a node paired at once by id and
// identical text costs one normalisation.
type side struct {
	nodes []*legaltext.Node
	text  []string // cleaned text
	// full is the whitespace-normalised text; norm the same without the numbers of ordered
	// list items (Markdown renders "1. 1. 1." as 1, 2, 3: the number written is layout). Two
	// nodes of equal norm have the same wording.
	full, norm []string
	lns        [][]srcLine
	bodyC      []string // norm without the leading clause number; "" until computed
	bodyK      []bool
	words      [][]uint32
	wordN      []int
}

func newSide(d *legaltext.Doc) *side {
	s := &side{}
	if d != nil {
		for _, n := range d.Nodes {
			if n != nil {
				s.nodes = append(s.nodes, n)
			}
		}
	}
	k := len(s.nodes)
	s.text, s.full, s.norm, s.lns = make([]string, k), make([]string, k), make([]string, k), make([][]srcLine, k)
	s.bodyC = make([]string, k)
	s.bodyK = make([]bool, k)
	s.words = make([][]uint32, k)
	s.wordN = make([]int, k)
	for i := range s.wordN {
		s.wordN[i] = -1
	}
	return s
}

// prepare computes what comparison needs of node i's text.
func (s *side) prepare(i int) {
	n := s.nodes[i]
	t := CleanText(n.Text)
	ls := splitLines(n, t)
	// The paragraphs are the text's lines normalised, the empty ones left out, and newlines
	// are whitespace: joined, they are the normalised text. Without hidden paragraphs and
	// list numbers, that is also the wording key.
	full, plain := joinLines(ls), true
	for _, l := range ls {
		if l.hidden || l.marker != "" {
			plain = false
			break
		}
	}
	norm := full
	if !plain {
		norm = wordingKey(ls)
	}
	s.text[i], s.full[i], s.lns[i], s.norm[i] = t, full, ls, norm
}

// copyPrepared takes what node j of o has prepared as node i's: the two have the same
// prepKey.
func (s *side) copyPrepared(i int, o *side, j int) {
	s.text[i], s.full[i], s.lns[i], s.norm[i] = o.text[j], o.full[j], o.lns[j], o.norm[j]
}

// prepKey is all that prepare reads of a node: two nodes of equal keys prepare alike.
type prepKey struct {
	kind         legaltext.Kind
	level        int
	source, text string
}

func keyOf(n *legaltext.Node) prepKey {
	return prepKey{kind: n.Kind, level: n.Level, source: n.Source, text: n.Text}
}

// newSides prepares the two versions for comparison. Most nodes of a new version are those
// of the old one as they were (same kind, level, source and text): such a node is prepared
// once, for the old side, and the new side takes the result. The rest is prepared on as many
// goroutines as there are processors.
func newSides(old, new *legaltext.Doc) (o, n *side) {
	o, n = newSide(old), newSide(new)
	byKey := make(map[prepKey]int, len(o.nodes))
	for i, nd := range o.nodes {
		if _, dup := byKey[keyOf(nd)]; !dup {
			byKey[keyOf(nd)] = i
		}
	}
	twin := make([]int, len(n.nodes)) // the old node prepared alike, or -1
	todo := make([]int, 0, 16)        // new nodes to prepare
	for j, nd := range n.nodes {
		i, ok := byKey[keyOf(nd)]
		if !ok {
			i = -1
			todo = append(todo, j)
		}
		twin[j] = i
	}
	parallel(len(o.nodes)+len(todo), func(k int) {
		if k < len(o.nodes) {
			o.prepare(k)
		} else {
			n.prepare(todo[k-len(o.nodes)])
		}
	})
	for j, i := range twin {
		if i >= 0 {
			n.copyPrepared(j, o, i)
		}
	}
	return o, n
}

// body is the normalised text without the node's own number at its start, so that a clause
// renumbered and otherwise untouched has the same body under both numbers.
func (s *side) body(i int) string {
	if s.bodyK[i] {
		return s.bodyC[i]
	}
	b := s.norm[i]
	if id := s.nodes[i].ID; s.nodes[i].Explicit && id != "" && strings.HasPrefix(b, id) {
		rest := b[len(id):]
		if rest == "" || rest[0] == ' ' {
			b = strings.TrimPrefix(rest, " ")
		}
	}
	s.bodyC[i], s.bodyK[i] = b, true
	return b
}

// wordSet is the sorted set of the node's words (case folded, numbers included, the node's
// own number excluded), as ids in dict.
func (s *side) wordSet(i int, dict map[string]uint32) []uint32 {
	if s.words[i] != nil || s.wordN[i] == 0 {
		return s.words[i]
	}
	set := lineWords(s.body(i), dict)
	s.words[i] = set
	s.wordN[i] = len(set)
	return set
}

func (s *side) wordCount(i int) int {
	n := 0
	for _, t := range strings.Fields(s.body(i)) {
		for _, r := range t {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
				break
			}
		}
	}
	return n
}

// jaccard is |a ∩ b| / |a ∪ b| of two sorted sets; two empty sets are identical.
func jaccard(a, b []uint32) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	x, y := 0, 0
	for x < len(a) && y < len(b) {
		switch {
		case a[x] == b[y]:
			inter++
			x++
			y++
		case a[x] < b[y]:
			x++
		default:
			y++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// GFM table delimiter row: "| --- | :-: |" or "--- | ---".
var delimRowRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`) })

// listItem recognises a line of Markdown source that opens a list item ("- text", "2. text",
// "3) text", indented up to 12 columns) and returns its marker and text. It is written out
// by hand because it runs on every line of every node.
func listItem(line string) (marker, rest string, ok bool) {
	i := 0
	for i < len(line) && i < 12 && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	switch {
	case j < len(line) && (line[j] == '-' || line[j] == '*' || line[j] == '+'):
		j++
	default:
		for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		if j == i || j >= len(line) || (line[j] != '.' && line[j] != ')') {
			return "", "", false
		}
		j++
	}
	k := j
	for k < len(line) && (line[k] == ' ' || line[k] == '\t') {
		k++
	}
	if k == j || k >= len(line) {
		return "", "", false
	}
	return line[i:j], strings.TrimRight(line[k:], " \t\r"), true
}

// srcLine is a paragraph of a node, with the style it is laid out in.
type srcLine struct {
	text  string // normalised
	style Style
	// marker is the number of an ordered list item as written ("2."), when the text starts
	// with it; it is compared apart from the words.
	marker string
	// hidden is true for a paragraph that is only an HTML comment: no reader sees it.
	hidden bool
	level  int // of a heading
}

// rest is the line without its list number.
func (l srcLine) rest() string {
	if l.marker == "" {
		return l.text
	}
	return strings.TrimPrefix(l.text[len(l.marker):], " ")
}

func (s *side) lines(i int) []srcLine { return s.lns[i] }

// ordMarker is the ordered list number that starts a line of text, with its space ("12. "),
// or "".
func ordMarker(t string) string {
	j := 0
	for j < len(t) && j < 9 && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	if j == 0 || j+1 >= len(t) || (t[j] != '.' && t[j] != ')') || t[j+1] != ' ' {
		return ""
	}
	return t[:j+2]
}

// commentRE is a paragraph that is one HTML comment.
var commentRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^<!--.*-->$`) })

// splitLines splits a node's text into its paragraphs (the parser puts each paragraph, list
// item and table row on a line of its own) and guesses their layout from the Markdown source.
// It runs on every node that is not the same in both versions, so it avoids copies: it scans
// the text and the source line by line in place, and looks list items up by a key built on
// the stack.
func splitLines(n *legaltext.Node, text string) []srcLine {
	if n.Kind == legaltext.KindHeading {
		if t := Normalize(text); t != "" {
			return []srcLine{{text: t, style: StyleHeading, level: n.Level}}
		}
		return []srcLine{}
	}
	table := strings.Contains(n.Source, "|") && strings.Contains(n.Source, "-") && delimRowRE().MatchString(n.Source)
	// The items of the node's Markdown lists, by marker (ordered lists) and first words.
	var items map[string]string
	var kb [alnumKeyMax]byte
	for src := range eachLine(n.Source) {
		if marker, rest, ok := listItem(src); ok {
			if k := appendAlnumKey(kb[:0], rest); len(k) >= 3 {
				if items == nil {
					items = map[string]string{}
				}
				items[string(k)] = marker
			}
		}
	}
	var out []srcLine
	add := func(r string) {
		t := Normalize(r)
		if t == "" {
			return
		}
		l := srcLine{text: t, style: StyleParagraph, hidden: strings.HasPrefix(t, "<!--") && commentRE().MatchString(t)}
		if m := ordMarker(t); m != "" && items != nil {
			if mk, ok := items[string(appendAlnumKey(kb[:0], t[len(m):]))]; ok && mk == m[:len(m)-1] {
				l.marker, l.style = mk, StyleItem
			}
		}
		switch {
		case l.marker != "":
		case table && strings.Contains(t, " | "):
			l.style = StyleRow
		case t[0] == '(' && subLabel(t):
			l.style = StyleItem
		case items != nil && items[string(appendAlnumKey(kb[:0], t))] != "":
			l.style = StyleItem
		}
		out = append(out, l)
	}
	if pl, ok := plainItems(n, text); ok {
		out = make([]srcLine, 0, len(pl))
		for _, r := range pl {
			add(r)
		}
		return out
	}
	out = make([]srcLine, 0, strings.Count(text, "\n")+1)
	for r := range eachLine(text) {
		add(r)
	}
	return out
}

// eachLine yields the lines of s without their "\n", as strings.Split(s, "\n") would list them
// (a final empty line included), without making the list.
func eachLine(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				yield(s)
				return
			}
			if !yield(s[:i]) {
				return
			}
			s = s[i+1:]
		}
	}
}

// subLabel reports whether a paragraph opens with a lettered or numbered sub-paragraph label
// and a space, or is only the label: "(a) ", "(iv) ", "(B) ", "(2) ". It is the regular
// expression ^\((?:[a-z]{1,4}|[A-Z]{1,2}|\d{1,3})\)\s on t+" ", written out by hand.
func subLabel(t string) bool {
	if len(t) < 3 || t[0] != '(' {
		return false
	}
	in, most := func(c byte) bool { return c >= 'a' && c <= 'z' }, 4
	switch c := t[1]; {
	case c >= 'A' && c <= 'Z':
		in, most = func(c byte) bool { return c >= 'A' && c <= 'Z' }, 2
	case c >= '0' && c <= '9':
		in, most = func(c byte) bool { return c >= '0' && c <= '9' }, 3
	}
	j := 1
	for j < len(t) && in(t[j]) {
		j++
	}
	if j == 1 || j-1 > most || j >= len(t) || t[j] != ')' {
		return false
	}
	if j+1 == len(t) {
		return true // the space appended
	}
	switch t[j+1] {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return false
}

// wordingKey is the text that decides whether two nodes say the same thing: the visible
// paragraphs without their list numbers.
func wordingKey(ls []srcLine) string {
	var b strings.Builder
	for _, l := range ls {
		if l.hidden {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l.rest())
	}
	return b.String()
}

// joinLines is the text of the paragraphs joined by spaces; without a copy when there is one.
func joinLines(ls []srcLine) string {
	switch len(ls) {
	case 0:
		return ""
	case 1:
		return ls[0].text
	}
	n := len(ls) - 1
	for _, l := range ls {
		n += len(l.text)
	}
	var b strings.Builder
	b.Grow(n)
	for k, l := range ls {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(l.text)
	}
	return b.String()
}

// alnumKey is the first letters and digits of s, markup and punctuation dropped: enough to
// recognise a list item's text in the plain text of its node.
func alnumKey(s string) string {
	var kb [alnumKeyMax]byte
	return string(appendAlnumKey(kb[:0], s))
}

// alnumKeyMax bounds the bytes of an alnumKey: 24 letters or digits of at most 4 bytes each.
const alnumKeyMax = 24 * utf8.UTFMax

// appendAlnumKey appends alnumKey(s) to dst.
func appendAlnumKey(dst []byte, s string) []byte {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			default:
				continue
			}
			dst = append(dst, c)
		} else {
			r, w := utf8.DecodeRuneInString(s[i:])
			i += w
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				continue
			}
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
		}
		if n++; n == 24 {
			break
		}
	}
	return dst
}

// plainItem reports whether a line of plain text opens a numbered or lettered item: "a. ",
// "iv) ", "(b) ", "12. ". Written out by hand: it runs on every line of every paragraph.
func plainItem(s string) bool {
	i := 0
	paren := i < len(s) && s[i] == '('
	if paren {
		i++
	}
	j := i
	switch {
	case j < len(s) && s[j] >= '0' && s[j] <= '9':
		for j < len(s) && j-i < 3 && s[j] >= '0' && s[j] <= '9' {
			j++
		}
	case j < len(s) && s[j] >= 'a' && s[j] <= 'z':
		j++
		if strings.IndexByte("ivx", s[i]) >= 0 {
			for j < len(s) && j-i < 5 && strings.IndexByte("ivx", s[j]) >= 0 {
				j++
			}
		}
	default:
		return false
	}
	if j >= len(s) {
		return false
	}
	if paren {
		if s[j] != ')' {
			return false
		}
	} else if s[j] != '.' && s[j] != ')' {
		return false
	}
	return j+1 < len(s) && (s[j+1] == ' ' || s[j+1] == '\t')
}

// plainItems splits the text of a node of plain text (its lines joined by spaces, as
// ParseText makes it) into its items, so that the sub-clauses of one paragraph are compared
// one by one. ok is false for a node whose text is not its source lines joined.
func plainItems(n *legaltext.Node, text string) ([]string, bool) {
	if strings.Contains(text, "\n") || !strings.Contains(strings.TrimSpace(n.Source), "\n") {
		return nil, false
	}
	var segs []string
	for _, l := range strings.Split(n.Source, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			segs = append(segs, t)
		}
	}
	if strings.Join(segs, " ") != n.Text {
		return nil, false
	}
	// Items are built in one builder each: adding to a string one line at a time would copy
	// the item once per line (quadratic in a paragraph of many short lines).
	var out []string
	var cur strings.Builder
	for _, sg := range segs {
		switch {
		case cur.Len() == 0:
			cur.WriteString(sg)
		case plainItem(sg):
			out = append(out, cur.String())
			cur = strings.Builder{}
			cur.WriteString(sg)
		default:
			cur.WriteByte(' ')
			cur.WriteString(sg)
		}
	}
	out = append(out, cur.String())
	if len(out) < 2 {
		return nil, false
	}
	// The cleaned text, line by line.
	for k := range out {
		out[k] = CleanText(out[k])
	}
	return out, true
}

// stopWord reports whether w is too common to tell two paragraphs apart. Only similarity
// ignores these words; every diff shows them.
func stopWord(w string) bool {
	switch w {
	case "a", "an", "and", "any", "are", "as", "at", "be", "by", "for", "from", "has", "have",
		"if", "in", "is", "it", "its", "may", "of", "on", "or", "shall", "such", "that", "the",
		"this", "to", "under", "which", "will", "with", "you", "your", "we", "our", "not", "no", "all":
		return true
	}
	return false
}
