package legaltext

import (
	"regexp"
	"sort"
	"strings"
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
// dot, a part number has none and is only a reference when "Section" says so. A clause number
// may have further levels and a letter, as clause ids may ("H1.2.3", "H1.2A").
var (
	numberRefRE = regexp.MustCompile(`\b(?:(Sections?|Clauses?|Paragraphs?|Appendix|Schedule)\s+)?([A-Z]{1,4})(\d+)(?:\.(\d+(?:\.\d+)*[A-Z]?))?\b((?:\([a-z]{1,4}\))*)`)
	docRefRE    = regexp.MustCompile(`\b(Section|Appendix|Schedule)\s+([A-Z]{1,3}|\d{1,2})\b`)
)

// FindRefs returns the cross-references in s, in order, not overlapping.
func FindRefs(s string) []Ref {
	if !strings.ContainsAny(s, "0123456789") && !strings.Contains(s, "Section") &&
		!strings.Contains(s, "Appendix") && !strings.Contains(s, "Schedule") {
		return nil
	}
	var refs []Ref
	// taken reports whether [a, b) overlaps a number reference; those are found in order and
	// do not overlap, so a binary search finds the only candidate.
	taken := func(nums []Ref, a, b int) bool {
		i := sort.Search(len(nums), func(i int) bool { return nums[i].End > a })
		return i < len(nums) && nums[i].Start < b
	}
	for _, m := range numberRefRE.FindAllStringSubmatchIndex(s, -1) {
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
	for _, m := range docRefRE.FindAllStringSubmatchIndex(s, -1) {
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

// Slug turns a term or heading into an element id fragment: lower case letters, digits and
// dashes.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
