package docimport

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// labelRE is the label that opens a sub-paragraph: "(a)", "(iv)", "(A)", "(1)", or, in a
// list, "a.", "iv)", "1.".
var (
	parenLabelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\(([A-Za-z]{1,4}|[0-9]{1,3})\)(?:\s|$)`) })
	dotLabelRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([A-Za-z]{1,4}|[0-9]{1,3})[.)](?:\s|$)`) })
)

// itemLabel is a sub-paragraph's label: its value ("iv") and whether it is in brackets.
type itemLabel struct {
	val   string
	paren bool
}

// labelOf finds the label at the start of s; dotted labels count only when dots is set.
func labelOf(s string, dots bool) (itemLabel, bool) {
	if m := parenLabelRE().FindStringSubmatch(s); m != nil {
		return itemLabel{val: m[1], paren: true}, true
	}
	if dots {
		if m := dotLabelRE().FindStringSubmatch(s); m != nil {
			return itemLabel{val: m[1]}, true
		}
	}
	return itemLabel{}, false
}

// subID is the label's part of a permalink ("(a)"): lower-case letters in brackets only.
func (l itemLabel) subID() string {
	if !l.paren || strings.ToLower(l.val) != l.val || !isLetters(l.val) {
		return ""
	}
	return "(" + l.val + ")"
}

func isLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// Label classes: lower and upper letters, lower and upper Roman numerals, digits.
const (
	classLower = 'a'
	classUpper = 'A'
	classRoman = 'i'
	classRomUp = 'I'
	classDigit = '1'
)

type kind struct {
	paren bool
	class byte
}

// listState places the items of one list at their levels: by Word's list level when the
// paragraph has one, otherwise by the sequence of their labels ((a), (b), then (i) is one
// level down, then (c) back up).
type listState struct {
	ilvls []int    // Word list levels of the open levels
	kinds []kind   // label kind of each open level
	last  []string // last label value of each open level
	ids   []string // permalink of the item open at each level
	level int      // level of the last item; -1 before the first
}

func newListState() listState { return listState{level: -1} }

// place returns the level (0 = top) of the next item: ilvl is its Word list level (-1 for
// none) and l its label (ok false for none).
func (s *listState) place(ilvl int, l itemLabel, ok bool) int {
	lvl := 0
	switch {
	case ilvl >= 0:
		for len(s.ilvls) > 0 && s.ilvls[len(s.ilvls)-1] > ilvl {
			s.ilvls = s.ilvls[:len(s.ilvls)-1]
		}
		if len(s.ilvls) == 0 || s.ilvls[len(s.ilvls)-1] != ilvl {
			s.ilvls = append(s.ilvls, ilvl)
		}
		lvl = len(s.ilvls) - 1
	case ok:
		lvl = s.byLabel(l)
	default:
		lvl = max(s.level, 0) // an unlabelled item stays where the list is
	}
	lvl = min(lvl, s.level+1)
	if ok {
		k := kind{paren: l.paren, class: classOf(l.val, s, lvl)}
		s.kinds = append(s.kinds[:min(lvl, len(s.kinds))], k)
		s.last = append(s.last[:min(lvl, len(s.last))], l.val)
		for len(s.kinds) <= lvl { // a level skipped: keep the slices aligned
			s.kinds = append(s.kinds, k)
			s.last = append(s.last, l.val)
		}
	}
	s.level = lvl
	return lvl
}

// byLabel chooses the level of a labelled item from the labels before it.
func (s *listState) byLabel(l itemLabel) int {
	// A continuation of an open level, the innermost first: (c) after (b), (iv) after (iii).
	for lv := min(len(s.kinds), s.level+1) - 1; lv >= 0; lv-- {
		k := s.kinds[lv]
		if k.paren == l.paren && continues(k.class, s.last[lv], l.val) {
			return lv
		}
	}
	c := startClass(l.val)
	// The first label of a sequence: the level that already has that kind, or a new one.
	for lv := 0; lv < min(len(s.kinds), s.level+1); lv++ {
		if s.kinds[lv].paren == l.paren && s.kinds[lv].class == c {
			return lv
		}
	}
	return s.level + 1
}

// classOf is the class of a label placed at level lvl.
func classOf(v string, s *listState, lvl int) byte {
	if lvl < len(s.kinds) && lvl < len(s.last) && continues(s.kinds[lvl].class, s.last[lvl], v) {
		return s.kinds[lvl].class
	}
	return startClass(v)
}

// startClass is the class of a label read on its own: "i" and "v" are Roman numerals, other
// letters letters.
func startClass(v string) byte {
	switch {
	case v == "":
		return classLower
	case v[0] >= '0' && v[0] <= '9':
		return classDigit
	case romanValue(v) > 0 && (v[0] == 'i' || v[0] == 'v' || v[0] == 'x'):
		return classRoman
	case romanValue(strings.ToLower(v)) > 0 && (v[0] == 'I' || v[0] == 'V' || v[0] == 'X'):
		return classRomUp
	case strings.ToUpper(v) == v:
		return classUpper
	}
	return classLower
}

// continues reports whether label v follows last in a level of class c.
func continues(c byte, last, v string) bool {
	switch c {
	case classDigit:
		a, err1 := strconv.Atoi(last)
		b, err2 := strconv.Atoi(v)
		return err1 == nil && err2 == nil && b == a+1
	case classRoman:
		return strings.ToLower(v) == v && romanValue(v) > 0 && romanValue(v) == romanValue(last)+1
	case classRomUp:
		return strings.ToUpper(v) == v && romanValue(strings.ToLower(v)) > 0 &&
			romanValue(strings.ToLower(v)) == romanValue(strings.ToLower(last))+1
	case classLower, classUpper:
		return nextLetter(last) == v
	}
	return false
}

// nextLetter is the letter label after v: b after a, aa after z (Word's scheme).
func nextLetter(v string) string {
	if v == "" || strings.Trim(v, v[:1]) != "" {
		return ""
	}
	c := v[0]
	switch c {
	case 'z':
		return strings.Repeat("a", len(v)+1)
	case 'Z':
		return strings.Repeat("A", len(v)+1)
	}
	return strings.Repeat(string(c+1), len(v))
}

// romanValue reads a lower-case Roman numeral, 0 if v is not one.
func romanValue(v string) int {
	if v == "" || len(v) > 8 {
		return 0
	}
	vals := map[byte]int{'i': 1, 'v': 5, 'x': 10, 'l': 50, 'c': 100}
	total := 0
	for i := 0; i < len(v); i++ {
		n, ok := vals[v[i]]
		if !ok {
			return 0
		}
		if i+1 < len(v) && vals[v[i+1]] > n {
			total -= n
		} else {
			total += n
		}
	}
	if roman(total) != strings.ToUpper(v) {
		return 0 // not in canonical form ("iiii")
	}
	return total
}
