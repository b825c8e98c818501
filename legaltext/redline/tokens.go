package redline

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// CleanText is the text a redline carries for s: invalid UTF-8 and the characters that XML
// 1.0 cannot hold (C0 controls, U+FFFE, U+FFFF) are replaced, so that every renderer, DOCX
// included, can carry every word. Vertical tab and form feed become spaces (they are
// whitespace to the reader); the others become U+FFFD so that the loss stays visible.
// Compare applies it to both documents; the law "accept-all = new text" holds for the
// cleaned text.
func CleanText(s string) string {
	if cleanText(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case xmlChar(r):
			return r
		case r == '\v' || r == '\f':
			return ' '
		default:
			return unicode.ReplacementChar
		}
	}, s)
}

// cleanText reports whether CleanText(s) is s: valid UTF-8 of characters XML can hold. One
// pass, a byte at a time over ASCII.
func cleanText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 || !xmlChar(r) {
			return false
		}
		i += w
	}
	return true
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF:
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return false
	default:
		return r <= unicode.MaxRune
	}
}

// Normalize collapses every run of whitespace to one space and trims the ends: the form in
// which two texts are compared for "no wording change", and in which the law is checked.
// Whitespace is what strings.Fields splits on (unicode.IsSpace): Normalize(s) is
// strings.Join(strings.Fields(s), " "), in one pass and without a copy when s is already
// normal.
func Normalize(s string) string {
	// Most lines are already normal: check before building a new string.
	space := true // the previous character was a space, or there was none
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				if c != ' ' || space {
					return normalizeSlow(s)
				}
				space = true
			} else {
				space = false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return normalizeSlow(s)
		}
		space = false
		i += w
	}
	if space && s != "" {
		return normalizeSlow(s) // a trailing space
	}
	return s
}

// asciiSpace is what unicode.IsSpace reports for the ASCII characters.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// normalizeSlow is Normalize building its result: the words of s, one space between each two.
func normalizeSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := -1 // of the word being read
	for i := 0; i < len(s); {
		c, w := rune(s[i]), 1
		var sp bool
		if c < utf8.RuneSelf {
			sp = asciiSpace[c]
		} else {
			c, w = utf8.DecodeRuneInString(s[i:])
			sp = unicode.IsSpace(c)
		}
		switch {
		case sp && start >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[start:i])
			start = -1
		case !sp && start < 0:
			start = i
		}
		i += w
	}
	if start >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[start:])
	}
	return b.String()
}

// tokenize splits one line into words, single spaces and single punctuation marks. Every
// whitespace run becomes one space, so that whitespace and wrapping never show as changes.
// A '.' or ',' between a word character and a digit stays inside the word, so that clause
// numbers ("H14.5"), decimals ("99.5") and thousands ("1,000") change as a whole.
func tokenize(s string) []string {
	var toks []string
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, " ")
			i = j
		case wordRune(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if wordRune(r2) {
					j += w2
					continue
				}
				if (r2 == '.' || r2 == ',') && j+w2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+w2:])
					if unicode.IsDigit(r3) {
						j += w2
						continue
					}
				}
				break
			}
			toks = append(toks, s[i:j])
			i = j
		default:
			toks = append(toks, s[i:i+w])
			i += w
		}
	}
	return toks
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// firstPrivate is where tokens that are not a single ASCII character start to be numbered:
// the BMP private use area, then the supplementary planes, then wrapping round to just above
// ASCII. The surrogate range is skipped because a surrogate is not a valid rune.
const firstPrivate = 0xE000

// encoder maps each distinct token to one rune, so that go-diff's character diff becomes a
// token diff. A token that is a single ASCII character stands for itself: a space stays a
// space, which is what DiffCleanupSemantic looks at when it chooses boundaries.
type encoder struct {
	ids  map[string]rune
	toks map[rune]string
	next rune
	full bool
}

func newEncoder() *encoder {
	return &encoder{ids: map[string]rune{}, toks: map[rune]string{}, next: firstPrivate}
}

func (e *encoder) encode(toks []string) []rune {
	out := make([]rune, 0, len(toks))
	for _, t := range toks {
		if len(t) == 1 && t[0] < utf8.RuneSelf {
			out = append(out, rune(t[0]))
			continue
		}
		r, ok := e.ids[t]
		if !ok {
			r = e.alloc()
			if r < 0 {
				e.full = true
				return nil
			}
			e.ids[t] = r
			e.toks[r] = t
		}
		out = append(out, r)
	}
	return out
}

// alloc returns the next free rune, or -1 when all 1.1 million are taken.
func (e *encoder) alloc() rune {
	r := e.next
	if r < 0 {
		return -1
	}
	switch {
	case r == unicode.MaxRune:
		e.next = utf8.RuneSelf
	case r == 0xD7FF:
		e.next = -1 // wrapped round to the surrogates: nothing left
	default:
		e.next = r + 1
	}
	return r
}

func (e *encoder) decode(s string, b *strings.Builder) {
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		b.WriteString(e.toks[r])
	}
}

// diffTimeout bounds one token diff; past it go-diff returns a valid but coarser diff.
const diffTimeout = 2 * time.Second

// diffWords is the word-level diff of two lines: ops that spell a with the deletions and b
// with the insertions.
func diffWords(a, b string) []Op {
	if a == b {
		return opsOf(OpEqual, a)
	}
	if a == "" || b == "" {
		return append(opsOf(OpDelete, a), opsOf(OpInsert, b)...)
	}
	ta, tb := tokenize(a), tokenize(b)
	e := newEncoder()
	ra, rb := e.encode(ta), e.encode(tb)
	if e.full {
		// More distinct tokens than runes: show the line as replaced rather than fail.
		return append(opsOf(OpDelete, a), opsOf(OpInsert, b)...)
	}
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffCleanupSemantic(boundedDiff(ra, rb))
	ops := make([]Op, 0, len(diffs))
	var sb strings.Builder
	for _, d := range diffs {
		sb.Reset()
		e.decode(d.Text, &sb)
		var k OpKind
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			k = OpInsert
		case diffmatchpatch.DiffDelete:
			k = OpDelete
		default:
			k = OpEqual
		}
		ops = appendOp(ops, k, sb.String())
	}
	// The ops must spell both lines exactly: that is the law every renderer relies on. Should
	// the diff library ever return something else, the line is shown as replaced instead.
	if spell(ops, OpDelete) != a || spell(ops, OpInsert) != b {
		return append(opsOf(OpDelete, a), opsOf(OpInsert, b)...)
	}
	return ops
}

// spell joins the equal ops and those of kind keep.
func spell(ops []Op, keep OpKind) string {
	var b strings.Builder
	for _, op := range ops {
		if op.Kind == OpEqual || op.Kind == keep {
			b.WriteString(op.Text)
		}
	}
	return b.String()
}

func opsOf(k OpKind, s string) []Op {
	if s == "" {
		return nil
	}
	return []Op{{Kind: k, Text: s}}
}

// appendOp adds an op, merging it into the last one when they are of the same kind.
func appendOp(ops []Op, k OpKind, s string) []Op {
	if s == "" {
		return ops
	}
	if n := len(ops); n > 0 && ops[n-1].Kind == k {
		ops[n-1].Text += s
		return ops
	}
	return append(ops, Op{Kind: k, Text: s})
}

// maxDiffWork bounds the product of the lengths handed to go-diff once the common prefix
// and suffix are taken off: on repetitive input (a table of identical rows) its half-match
// step and its search for one text inside the other take time in that product. Past it the
// middle is shown as replaced whole: a coarser redline, still exact either way.
const maxDiffWork = 16 << 20

// boundedDiff is go-diff's diff of two rune sequences with its cost bounded.
func boundedDiff(ra, rb []rune) []diffmatchpatch.Diff {
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	q := 0
	for q < len(ra)-p && q < len(rb)-p && ra[len(ra)-1-q] == rb[len(rb)-1-q] {
		q++
	}
	midA, midB := ra[p:len(ra)-q], rb[p:len(rb)-q]
	var out []diffmatchpatch.Diff
	if p > 0 {
		out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: string(ra[:p])})
	}
	if len(midA)*len(midB) > maxDiffWork {
		if len(midA) > 0 {
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffDelete, Text: string(midA)})
		}
		if len(midB) > 0 {
			out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffInsert, Text: string(midB)})
		}
	} else if len(midA) > 0 || len(midB) > 0 {
		dmp := diffmatchpatch.New()
		dmp.DiffTimeout = diffTimeout
		out = append(out, dmp.DiffMainRunes(midA, midB, false)...)
	}
	if q > 0 {
		out = append(out, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: string(ra[len(ra)-q:])})
	}
	return out
}
