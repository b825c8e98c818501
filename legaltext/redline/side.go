package redline

import (
	"regexp"
	"slices"
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
	norm  []string // whitespace-normalised text
	bodyC []string // norm without the leading clause number; "" until computed
	bodyK []bool
	words [][]uint32
	wordN []int
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
		s.norm = append(s.norm, Normalize(t))
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
	var set []uint32
	for _, t := range tokenize(s.body(i)) {
		r := []rune(t)
		if len(r) == 0 || !wordRune(r[0]) {
			continue
		}
		w := strings.ToLower(t)
		id, ok := dict[w]
		if !ok {
			id = uint32(len(dict))
			dict[w] = id
		}
		set = append(set, id)
	}
	slices.Sort(set)
	set = slices.Compact(set)
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
	// Cheap bound first: the index cannot exceed the ratio of the sizes.
	if len(a) > len(b) {
		a, b = b, a
	}
	if float64(len(a)) < lineSim*float64(len(b)) {
		return float64(len(a)) / float64(len(b))
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

// listItemRE finds the items of Markdown lists in a node's source.
var listItemRE = regexp.MustCompile(`(?m)^[ \t]{0,12}(?:[-*+]|\d{1,9}[.)])[ \t]+(\S.*)$`)

// srcLine is a paragraph of a node, with the style it is laid out in.
type srcLine struct {
	text  string // normalised
	style Style
}

// lines splits node i into its paragraphs (the parser puts each paragraph, list item and
// table row on a line of its own) and guesses their layout from the Markdown source.
func (s *side) lines(i int) []srcLine {
	n := s.nodes[i]
	raw := strings.Split(s.text[i], "\n")
	out := make([]srcLine, 0, len(raw))
	if n.Kind == legaltext.KindHeading {
		if t := s.norm[i]; t != "" {
			out = append(out, srcLine{text: t, style: StyleHeading})
		}
		return out
	}
	table := strings.Contains(n.Source, "|") && delimRowRE.MatchString(n.Source)
	var items map[string]bool
	if strings.ContainsAny(n.Source, "-*+") || strings.Contains(n.Source, ". ") || strings.Contains(n.Source, ") ") {
		for _, m := range listItemRE.FindAllStringSubmatch(n.Source, -1) {
			if k := alnumKey(m[1]); len(k) >= 3 {
				if items == nil {
					items = map[string]bool{}
				}
				items[k] = true
			}
		}
	}
	for _, r := range raw {
		t := Normalize(r)
		if t == "" {
			continue
		}
		st := StyleParagraph
		switch {
		case table && strings.Contains(t, " | "):
			st = StyleRow
		case subLabelRE.MatchString(t + " "):
			st = StyleItem
		case items != nil && items[alnumKey(t)]:
			st = StyleItem
		}
		out = append(out, srcLine{text: t, style: st})
	}
	return out
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
