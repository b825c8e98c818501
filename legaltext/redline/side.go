package redline

import (
	"regexp"
	"strings"
	"unicode"

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
	if d == nil {
		return s
	}
	for _, n := range d.Nodes {
		if n == nil {
			continue
		}
		s.nodes = append(s.nodes, n)
		t := CleanText(n.Text)
		s.text = append(s.text, t)
		s.full = append(s.full, Normalize(t))
		ls := splitLines(n, t)
		s.lns = append(s.lns, ls)
		s.norm = append(s.norm, wordingKey(ls))
	}
	s.bodyC = make([]string, len(s.nodes))
	s.bodyK = make([]bool, len(s.nodes))
	s.words = make([][]uint32, len(s.nodes))
	s.wordN = make([]int, len(s.nodes))
	for i := range s.wordN {
		s.wordN[i] = -1
	}
	return s
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
var delimRowRE = regexp.MustCompile(`(?m)^ {0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

// subLabelRE recognises a lettered or numbered sub-paragraph: "(a) ", "(iv) ", "(2) ".
var subLabelRE = regexp.MustCompile(`^\((?:[a-z]{1,4}|[A-Z]{1,2}|\d{1,3})\)\s`)

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
var commentRE = regexp.MustCompile(`^<!--.*-->$`)

// splitLines splits a node's text into its paragraphs (the parser puts each paragraph, list
// item and table row on a line of its own) and guesses their layout from the Markdown source.
func splitLines(n *legaltext.Node, text string) []srcLine {
	raw := strings.Split(text, "\n")
	out := make([]srcLine, 0, len(raw))
	if n.Kind == legaltext.KindHeading {
		if t := Normalize(text); t != "" {
			out = append(out, srcLine{text: t, style: StyleHeading, level: n.Level})
		}
		return out
	}
	table := strings.Contains(n.Source, "|") && strings.Contains(n.Source, "-") && delimRowRE.MatchString(n.Source)
	// The items of the node's Markdown lists, by marker (ordered lists) and first words.
	var items map[string]string
	for _, src := range strings.Split(n.Source, "\n") {
		if marker, rest, ok := listItem(src); ok {
			if k := alnumKey(rest); len(k) >= 3 {
				if items == nil {
					items = map[string]string{}
				}
				items[k] = marker
			}
		}
	}
	if pl, ok := plainItems(n, text); ok {
		raw = pl
	}
	for _, r := range raw {
		t := Normalize(r)
		if t == "" {
			continue
		}
		l := srcLine{text: t, style: StyleParagraph, hidden: strings.HasPrefix(t, "<!--") && commentRE.MatchString(t)}
		if m := ordMarker(t); m != "" && items != nil {
			if mk, ok := items[alnumKey(t[len(m):])]; ok && mk == m[:len(m)-1] {
				l.marker, l.style = mk, StyleItem
			}
		}
		switch {
		case l.marker != "":
		case table && strings.Contains(t, " | "):
			l.style = StyleRow
		case t[0] == '(' && subLabelRE.MatchString(t+" "):
			l.style = StyleItem
		case items != nil && items[alnumKey(t)] != "":
			l.style = StyleItem
		}
		out = append(out, l)
	}
	return out
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

// alnumKey is the first letters and digits of s, markup and punctuation dropped: enough to
// recognise a list item's text in the plain text of its node.
func alnumKey(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			if n++; n == 24 {
				break
			}
		}
	}
	return b.String()
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
	var out []string
	cur := ""
	for _, sg := range segs {
		switch {
		case cur == "":
			cur = sg
		case plainItem(sg):
			out = append(out, cur)
			cur = sg
		default:
			cur += " " + sg
		}
	}
	out = append(out, cur)
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
