package server

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"codenav/corpus"
	"codenav/legaltext"
)

// draftNote is one finding of the checks a draft gets as it is typed: a problem (an unknown
// party category, a reference that points nowhere, a skipped clause number) or a change the
// word redline does not show (whom a clause applies to).
type draftNote struct {
	Line    int
	Problem bool
	Msg     string
}

func (n draftNote) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("line %d: %s", n.Line, n.Msg)
	}
	return n.Msg
}

// clauseNumRE splits a clause number into its part and its last number ("H1.4" → "H1.", 4).
var clauseNumRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(.*\.)([0-9]+)$`) })

// checkDraft checks a draft of document d against its base and the code: the party
// categories and User Roles it names, its cross-references (into itself for its own
// clauses, into the other documents as they stand today and in their latest version), the
// sequence of its clause numbers (a gap the base does not have), the capitalised phrases it
// brings in that are defined nowhere, and the clauses whose applicability it changes.
func (s *Server) checkDraft(d *corpus.Document, base *corpus.Version, tree *legaltext.Doc) []draftNote {
	var out []draftNote
	parties := map[string]bool{"all": true}
	for _, p := range s.code.Parties {
		parties[p.ID] = true
	}
	roles := map[string]bool{}
	for _, r := range s.code.Roles {
		roles[r.ID] = true
	}
	for _, n := range tree.Nodes {
		if n.PartiesSet {
			for _, p := range n.Parties {
				if !parties[p] {
					out = append(out, draftNote{n.Line, true, fmt.Sprintf("%s: unknown party category %q (known: %s)", nodeName(n), p, strings.Join(sortedKeys(parties), ", "))})
				}
			}
		}
		if n.RolesSet && len(roles) > 0 {
			for _, r := range n.Roles {
				if !roles[r] && r != "all" {
					out = append(out, draftNote{n.Line, true, fmt.Sprintf("%s: unknown User Role %q", nodeName(n), r)})
				}
			}
		}
		for _, r := range s.code.OwnRefs(n) {
			if msg := s.checkRef(d, tree, r); msg != "" {
				out = append(out, draftNote{n.Line, true, fmt.Sprintf("%s: cross-reference %q %s", nodeName(n), r.Text, msg)})
			}
		}
	}
	out = append(out, skippedNumbers(base.Tree(), tree)...)
	out = append(out, s.termNotes(base, tree)...)
	for _, n := range tree.Clauses() {
		old := base.Tree().Node(n.ID)
		if old == nil || !n.Explicit {
			continue
		}
		was, now := base.Parties(old), n.Parties
		if now == nil {
			now = d.Parties
		}
		if !slices.Equal(sorted(was), sorted(now)) {
			out = append(out, draftNote{n.Line, false, fmt.Sprintf("%s: applies to %s (was %s)", n.ID, strings.Join(now, ", "), strings.Join(was, ", "))})
		}
	}
	return out
}

// checkRef says what is wrong with a cross-reference of the draft, or "".
func (s *Server) checkRef(d *corpus.Document, tree *legaltext.Doc, r legaltext.Ref) string {
	if r.Kind != legaltext.RefDocument && r.Prefix == d.Prefix && d.Prefix != "" {
		// A reference into the document itself points into the draft.
		if !tree.HasAnchor(r.Anchor()) {
			return fmt.Sprintf("points nowhere: this draft has no %s", r.Anchor())
		}
		return ""
	}
	t, ok, found := s.code.Resolve(r, s.today())
	switch {
	case !ok:
		return "" // names nothing in the code (a term such as "SMETS1"): not a reference
	case !found:
		return "points nowhere: it does not exist in the version in force today"
	}
	if latest := t.Version.Doc.Latest(); latest != t.Version && r.Anchor() != "" && !latest.Tree().HasAnchor(r.Anchor()) {
		return fmt.Sprintf("is out of date: %s version %s (effective %s) no longer has it", latest.Doc.ID, latest.Number, latest.Effective)
	}
	return ""
}

// skippedNumbers reports a clause number that skips one ("H1.5" after "H1.3") where the base
// has no such gap.
func skippedNumbers(base, draft *legaltext.Doc) []draftNote {
	gaps := func(t *legaltext.Doc) map[string]*legaltext.Node {
		out := map[string]*legaltext.Node{}
		last := map[string]int{}
		for _, n := range t.Clauses() {
			m := clauseNumRE().FindStringSubmatch(n.ID)
			if m == nil || !n.Explicit {
				continue
			}
			k, _ := strconv.Atoi(m[2])
			if prev, ok := last[m[1]]; ok && k > prev+1 {
				out[fmt.Sprintf("%s%d", m[1], prev+1)] = n
			}
			last[m[1]] = k
		}
		return out
	}
	had := gaps(base)
	var out []draftNote
	for missing, n := range gaps(draft) {
		if had[missing] == nil {
			out = append(out, draftNote{n.Line, true, fmt.Sprintf("%s: clause number %s is skipped", n.ID, missing)})
		}
	}
	slices.SortFunc(out, func(a, b draftNote) int { return a.Line - b.Line })
	return out
}

func nodeName(n *legaltext.Node) string {
	if n.Explicit {
		return n.ID
	}
	return "text"
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
