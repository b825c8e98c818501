package legaltext

import (
	"sort"
	"strings"
)

// CodeName is a phrase by which a code's text names another code ("Retail Energy Code",
// "REC"): code.yaml lists them under cites.
type CodeName struct {
	Code   string // the cited code's id
	Phrase string
}

// CodeRef is a cross-reference into another code: a reference as FindRefs reads it, tied
// to a phrase naming a code, either after it ("Section H of the Smart Energy Code", "S1.3 of
// Retail Energy Code") or before it ("REC Schedule 3", "the Retail Energy Code S1.3").
type CodeRef struct {
	Code string
	// Ref is the reference within the cited code; its Start and End are those of the
	// reference alone.
	Ref Ref
	// Start and End span the reference and the phrase naming the code.
	Start, End int
}

// FindCodeRefs returns the references of s that name another code by one of names, in
// order, not overlapping. A reference named by no phrase is not one of them: it is the
// citing code's own.
func FindCodeRefs(s string, names []CodeName) []CodeRef {
	if len(names) == 0 {
		return nil
	}
	present := names[:0:0]
	for _, n := range names {
		if n.Phrase != "" && strings.Contains(s, n.Phrase) {
			present = append(present, n)
		}
	}
	if len(present) == 0 {
		return nil
	}
	// The longest phrase first: "Retail Energy Code" before "Energy Code".
	sort.SliceStable(present, func(i, j int) bool { return len(present[i].Phrase) > len(present[j].Phrase) })
	var out []CodeRef
	for _, r := range FindRefs(s) {
		if c, end, ok := codeAfter(s, r.End, present); ok {
			out = append(out, CodeRef{Code: c, Ref: r, Start: r.Start, End: end})
			continue
		}
		if c, start, ok := codeBefore(s, r.Start, present); ok {
			if len(out) > 0 && out[len(out)-1].End > start {
				continue // the phrase belongs to the reference before
			}
			out = append(out, CodeRef{Code: c, Ref: r, Start: start, End: r.End})
		}
	}
	return out
}

// codeAfter reads " of [the] <phrase>" at i.
func codeAfter(s string, i int, names []CodeName) (code string, end int, ok bool) {
	rest := s[i:]
	w := strings.TrimLeft(rest, " \t\n")
	if len(w) == len(rest) || !strings.HasPrefix(w, "of") {
		return "", 0, false
	}
	after := strings.TrimLeft(w[2:], " \t\n")
	if len(after) == len(w)-2 {
		return "", 0, false
	}
	if strings.HasPrefix(after, "the") {
		if a := strings.TrimLeft(after[3:], " \t\n"); len(a) < len(after)-3 {
			after = a
		}
	}
	at := len(s) - len(after)
	for _, n := range names {
		e := at + len(n.Phrase)
		if strings.HasPrefix(after, n.Phrase) && (e == len(s) || !isWordByte(s[e])) {
			return n.Code, e, true
		}
	}
	return "", 0, false
}

// codeBefore reads "<phrase> " right before i.
func codeBefore(s string, i int, names []CodeName) (code string, start int, ok bool) {
	w := i
	for w > 0 && isSpaceByte(s[w-1]) {
		w--
	}
	if w == i {
		return "", 0, false
	}
	for _, n := range names {
		st := w - len(n.Phrase)
		if st >= 0 && s[st:w] == n.Phrase && (st == 0 || !isWordByte(s[st-1])) {
			return n.Code, st, true
		}
	}
	return "", 0, false
}

// CodeLinker is a Linker whose text may cite other codes: Render links each CodeRef with
// CodeRefHref, and never links the reference inside it as one of the citing code's own.
type CodeLinker interface {
	Linker
	// CodeNames are the phrases naming the codes the text may cite.
	CodeNames() []CodeName
	// CodeRefHref returns the address of a reference into another code, or false when it
	// points nowhere the reader may follow (the reference is then plain text).
	CodeRefHref(r CodeRef) (string, bool)
}
