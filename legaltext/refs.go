package legaltext

import (
	"regexp"
	"sort"
	"strings"
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
// dot, a part number has none and is only a reference when "Section" says so.
var (
	numberRefRE = regexp.MustCompile(`\b(?:(Sections?|Clauses?|Paragraphs?|Appendix|Schedule)\s+)?([A-Z]{1,4})(\d+)(?:\.(\d+))?\b((?:\([a-z]{1,4}\))*)`)
	docRefRE    = regexp.MustCompile(`\b(Section|Appendix|Schedule)\s+([A-Z]{1,3}|\d{1,2})\b`)
)

// FindRefs returns the cross-references in s, in order, not overlapping.
func FindRefs(s string) []Ref {
	if !strings.ContainsAny(s, "0123456789") && !strings.Contains(s, "Section") &&
		!strings.Contains(s, "Appendix") && !strings.Contains(s, "Schedule") {
		return nil
	}
	var refs []Ref
	taken := func(a, b int) bool {
		for _, r := range refs {
			if a < r.End && r.Start < b {
				return true
			}
		}
		return false
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
	for _, m := range docRefRE.FindAllStringSubmatchIndex(s, -1) {
		if taken(m[0], m[1]) {
			continue
		}
		refs = append(refs, Ref{Kind: RefDocument, Text: s[m[0]:m[1]], Label: s[m[0]:m[1]],
			Start: m[0], End: m[1]})
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].Start < refs[j].Start })
	return refs
}

func group(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// TermMatcher finds uses of defined terms in text: the same spelling and case, optionally
// in a plural form, longest term first.
type TermMatcher struct {
	re    *regexp.Regexp
	terms map[string]string // matched form -> term
}

// NewTermMatcher builds a matcher for terms; it returns nil when there are none.
func NewTermMatcher(terms []string) *TermMatcher {
	forms := map[string]string{}
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		forms[t] = t
		if strings.HasSuffix(t, "y") && len(t) > 1 && !strings.ContainsAny(t[len(t)-2:len(t)-1], "aeiou") {
			forms[t[:len(t)-1]+"ies"] = t
		} else if strings.HasSuffix(t, "s") || strings.HasSuffix(t, "x") || strings.HasSuffix(t, "ch") {
			forms[t+"es"] = t
		} else {
			forms[t+"s"] = t
		}
	}
	if len(forms) == 0 {
		return nil
	}
	keys := make([]string, 0, len(forms))
	for k := range forms {
		keys = append(keys, k)
	}
	// Longest first so that "Party Category" wins over "Party"; RE2 alternation is leftmost-first.
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	quoted := make([]string, len(keys))
	for i, k := range keys {
		quoted[i] = regexp.QuoteMeta(k)
	}
	re := regexp.MustCompile(`\b(?:` + strings.Join(quoted, "|") + `)\b`)
	return &TermMatcher{re: re, terms: forms}
}

// TermUse is one use of a defined term in a text.
type TermUse struct {
	Term       string
	Start, End int
}

// Find returns the uses of terms in s, in order.
func (m *TermMatcher) Find(s string) []TermUse {
	if m == nil {
		return nil
	}
	var out []TermUse
	for _, loc := range m.re.FindAllStringIndex(s, -1) {
		out = append(out, TermUse{Term: m.terms[s[loc[0]:loc[1]]], Start: loc[0], End: loc[1]})
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
