package legaltext

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
)

// RefKind says what a cross-reference points at.
type RefKind int

const (
	// RefClause points at a clause ("G3.20", "Section H1.10(d)").
	RefClause RefKind = iota
	// RefPart points at a part ("Section H1").
	RefPart
	// RefDocument points at a whole document ("Section H", "Appendix AD", "Schedule 1").
	RefDocument
)

// Ref is a cross-reference written in plain text.
type Ref struct {
	Kind RefKind
	// Text is the text that was matched ("Section H1.10(d)").
	Text string
	// Label is the document label for a document reference ("Appendix AD").
	Label string
	// Prefix is the letters of a clause or part number ("H"); ID the clause or part
	// number ("H1.10", "H1"); Sub the sub-paragraph labels ("(d)(i)").
	Prefix, ID, Sub string
	// Start and End are byte offsets in the text searched.
	Start, End int
	// Line is the 1-based line of the reference in the document, when known.
	Line int
}

// Anchor is the element id the reference points at inside its document: the clause or part
// number with the sub-paragraph labels, or "" for a whole document.
func (r Ref) Anchor() string {
	if r.Kind == RefDocument {
		return ""
	}
	return r.ID + r.Sub
}

// The letters of a number are upper case (the prefix of a document), a clause number has a
// dot, a part number has none and is only a reference when "Section" says so. These regular
// expressions are the specification; scanNumberRefs and scanDocRefs implement them by hand
// (16 times faster), and the tests check that they agree. A clause number
// may have further levels and a letter, as clause ids may ("H1.2.3", "H1.2A").
var (
	numberRefRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\b(?:(Sections?|Clauses?|Paragraphs?|Appendix|Schedule)\s+)?([A-Z]{1,4})(\d+)(?:\.(\d+(?:\.\d+)*[A-Z]?))?\b((?:\([a-z]{1,4}\))*)`)
	})
	docRefRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\b(Section|Appendix|Schedule)\s+([A-Z]{1,3}|\d{1,2})\b`)
	})
)

// FindRefs returns the cross-references in s, in order, not overlapping.
func FindRefs(s string) []Ref {
	// The regular expressions are the costliest part of parsing: run each only on text that
	// has what it needs (a capital letter followed by a digit; a keyword).
	numbered := hasUpperDigit(s)
	keyword := strings.Contains(s, "Section") || strings.Contains(s, "Appendix") || strings.Contains(s, "Schedule")
	if !numbered && !keyword {
		return nil
	}
	var refs []Ref
	// taken reports whether [a, b) overlaps a number reference; those are found in order and
	// do not overlap, so a binary search finds the only candidate.
	taken := func(nums []Ref, a, b int) bool {
		i := sort.Search(len(nums), func(i int) bool { return nums[i].End > a })
		return i < len(nums) && nums[i].Start < b
	}
	var matches [][]int
	if numbered {
		matches = scanNumberRefs(s)
	}
	for _, m := range matches {
		kw := group(s, m, 1)
		letters, num, sub, sub2 := group(s, m, 2), group(s, m, 3), group(s, m, 4), group(s, m, 5)
		switch {
		case sub != "":
			refs = append(refs, Ref{Kind: RefClause, Text: s[m[0]:m[1]], Prefix: letters,
				ID: letters + num + "." + sub, Sub: sub2, Start: m[0], End: m[1]})
		case strings.HasPrefix(kw, "Section"):
			refs = append(refs, Ref{Kind: RefPart, Text: s[m[0]:m[1]], Prefix: letters,
				ID: letters + num, Sub: sub2, Start: m[0], End: m[1]})
		}
	}
	numbers := refs[:len(refs):len(refs)]
	if !keyword {
		return refs
	}
	for _, m := range scanDocRefs(s) {
		if taken(numbers, m[0], m[1]) {
			continue
		}
		refs = append(refs, Ref{Kind: RefDocument, Text: s[m[0]:m[1]], Label: s[m[0]:m[1]],
			Start: m[0], End: m[1]})
	}
	if len(refs) > len(numbers) {
		sort.SliceStable(refs, func(i, j int) bool { return refs[i].Start < refs[j].Start })
	}
	return refs
}

// scanNumberRefs finds what numberRefRE finds, with the same groups, by hand: the regular
// expression (with its word boundaries and backtracking) took most of the time of parsing.
// A test checks the two agree.
func scanNumberRefs(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); {
		if !isUpper(s[i]) || (i > 0 && isWordByte(s[i-1])) {
			i++
			continue
		}
		j := i
		for j < len(s) && isUpper(s[j]) && j-i < 5 {
			j++
		}
		if j-i > 4 || j == len(s) || !isDigit(s[j]) {
			i = j
			continue
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		// Possible ends of the number, longest first: the regex backtracks to the longest one
		// followed by a word boundary.
		ends := []int{}
		sub := []int{}
		p := k
		var dots []int
		for p+1 < len(s) && s[p] == '.' && isDigit(s[p+1]) {
			q := p + 1
			for q < len(s) && isDigit(s[q]) {
				q++
			}
			dots = append(dots, q)
			p = q
		}
		for d := len(dots) - 1; d >= 0; d-- {
			if dots[d] < len(s) && isUpper(s[dots[d]]) {
				ends, sub = append(ends, dots[d]+1), append(sub, k+1)
			}
			ends, sub = append(ends, dots[d]), append(sub, k+1)
		}
		ends, sub = append(ends, k), append(sub, -1)
		end, subStart := -1, -1
		for n, e := range ends {
			if e == len(s) || !isWordByte(s[e]) {
				end, subStart = e, sub[n]
				break
			}
		}
		if end < 0 {
			i = k
			continue
		}
		// Sub-paragraph labels: (a)(iv)...
		labels := end
		for labels < len(s) && s[labels] == '(' {
			q := labels + 1
			for q < len(s) && q-labels <= 4 && s[q] >= 'a' && s[q] <= 'z' {
				q++
			}
			if q == labels+1 || q == len(s) || s[q] != ')' {
				break
			}
			labels = q + 1
		}
		m := []int{i, labels, -1, -1, i, j, j, k, -1, -1, end, labels}
		if subStart >= 0 {
			m[8], m[9] = subStart, end
		}
		if kw, ks := keywordBefore(s, i); ks >= 0 {
			m[0], m[2], m[3] = ks, ks, ks+len(kw)
		}
		out = append(out, m)
		i = labels
	}
	return out
}

// scanDocRefs finds what docRefRE finds ("Section H", "Appendix AD", "Schedule 1"), by hand.
func scanDocRefs(s string) [][]int {
	var out [][]int
	for i := 0; i < len(s); i++ {
		if s[i] != 'S' && s[i] != 'A' || (i > 0 && isWordByte(s[i-1])) {
			continue
		}
		kw := ""
		for _, k := range []string{"Section", "Appendix", "Schedule"} {
			if strings.HasPrefix(s[i:], k) {
				kw = k
				break
			}
		}
		if kw == "" {
			continue
		}
		j := i + len(kw)
		w := j
		for w < len(s) && isSpaceByte(s[w]) {
			w++
		}
		if w == j || w == len(s) {
			continue
		}
		e := w
		switch {
		case isUpper(s[w]):
			for e < len(s) && isUpper(s[e]) {
				e++
			}
			if e-w > 3 {
				continue
			}
		case isDigit(s[w]):
			for e < len(s) && isDigit(s[e]) {
				e++
			}
			if e-w > 2 {
				continue
			}
		default:
			continue
		}
		if e < len(s) && isWordByte(s[e]) {
			continue
		}
		out = append(out, []int{i, e, i, j, w, e})
		i = e - 1
	}
	return out
}

// keywordBefore finds "Section", "Sections", "Clause(s)", "Paragraph(s)", "Appendix" or
// "Schedule" and whitespace right before i, starting at a word boundary.
func keywordBefore(s string, i int) (string, int) {
	w := i
	for w > 0 && isSpaceByte(s[w-1]) {
		w--
	}
	if w == i {
		return "", -1
	}
	for _, kw := range []string{"Sections", "Section", "Clauses", "Clause", "Paragraphs", "Paragraph", "Appendix", "Schedule"} {
		start := w - len(kw)
		if start >= 0 && s[start:w] == kw && (start == 0 || !isWordByte(s[start-1])) {
			return kw, start
		}
	}
	return "", -1
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWordByte is what \b counts as a word character (ASCII letters, digits, underscore).
func isWordByte(c byte) bool { return isUpper(c) || c >= 'a' && c <= 'z' || isDigit(c) || c == '_' }

// hasUpperDigit reports whether s has an ASCII capital letter followed by a digit, which every
// clause or part number has ("H1", "G3.20").
func hasUpperDigit(s string) bool {
	for i := 1; i < len(s); i++ {
		// Byte arithmetic wraps: one comparison per range.
		if s[i]-'0' < 10 && s[i-1]-'A' < 26 {
			return true
		}
	}
	return false
}

func group(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// TermMatcher finds uses of defined terms in text: the same words in the same case,
// optionally in a plural form, the longest term first. It walks the words of a text once,
// which stays fast with hundreds of terms where one big regular expression does not.
type TermMatcher struct {
	byFirst map[string][]termForm
}

type termForm struct {
	term  string
	words []string
	seps  []string // separators between words; all-space separators match any whitespace
}

// NewTermMatcher builds a matcher for terms; it returns nil when there are none.
func NewTermMatcher(terms []string) *TermMatcher {
	m := &TermMatcher{byFirst: map[string][]termForm{}}
	add := func(form, term string) {
		toks := wordSpans(form)
		if len(toks) == 0 {
			return
		}
		f := termForm{term: term}
		for i, t := range toks {
			f.words = append(f.words, form[t[0]:t[1]])
			if i > 0 {
				f.seps = append(f.seps, form[toks[i-1][1]:t[0]])
			}
		}
		m.byFirst[f.words[0]] = append(m.byFirst[f.words[0]], f)
	}
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if len(wordSpans(t)) == 0 {
			continue // no word to match (and its "plural" would match a lone "s")
		}
		add(t, t)
		switch {
		case strings.HasSuffix(t, "y") && len(t) > 1 && !strings.ContainsAny(t[len(t)-2:len(t)-1], "aeiou"):
			add(t[:len(t)-1]+"ies", t)
		case strings.HasSuffix(t, "s") || strings.HasSuffix(t, "x") || strings.HasSuffix(t, "ch"):
			add(t+"es", t)
		default:
			add(t+"s", t)
		}
	}
	if len(m.byFirst) == 0 {
		return nil
	}
	for k, fs := range m.byFirst {
		sort.SliceStable(fs, func(i, j int) bool {
			if len(fs[i].words) != len(fs[j].words) {
				return len(fs[i].words) > len(fs[j].words)
			}
			return len(fs[i].term) > len(fs[j].term)
		})
		m.byFirst[k] = fs
	}
	return m
}

// wordSpans returns the [start, end) of every run of letters and digits in s.
func wordSpans(s string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

func sepMatches(text, want string) bool {
	if strings.TrimSpace(want) == "" {
		return text != "" && strings.TrimSpace(text) == ""
	}
	return text == want
}

// TermUse is one use of a defined term in a text.
type TermUse struct {
	Term       string
	Start, End int
}

// Find returns the uses of terms in s, in order, not overlapping.
func (m *TermMatcher) Find(s string) []TermUse {
	if m == nil {
		return nil
	}
	var out []TermUse
	toks := wordSpans(s)
	for i := 0; i < len(toks); {
		matched := false
		for _, f := range m.byFirst[s[toks[i][0]:toks[i][1]]] {
			n := len(f.words)
			if i+n > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < n && ok; k++ {
				ok = s[toks[i+k][0]:toks[i+k][1]] == f.words[k] && sepMatches(s[toks[i+k-1][1]:toks[i+k][0]], f.seps[k-1])
			}
			if ok {
				out = append(out, TermUse{Term: f.term, Start: toks[i][0], End: toks[i+n-1][1]})
				i += n
				matched = true
				break
			}
		}
		if !matched {
			i++
		}
	}
	return out
}

// Terms returns the distinct terms used in s.
func (m *TermMatcher) Terms(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range m.Find(s) {
		if !seen[u.Term] {
			seen[u.Term] = true
			out = append(out, u.Term)
		}
	}
	return out
}

// Slug turns a term or heading into an element id fragment: lower case letters (of any
// alphabet: "Präambel" is "präambel"), digits and dashes.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
