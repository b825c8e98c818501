// Package merge is a deterministic three-way merge of versions of a legal document: the
// changes from a common base to "ours" and to "theirs" are combined, or reported as conflicts.
// It is what rebases a modification's legal text onto a newer version of the document, and
// what folds the modifications of a release into new versions.
//
// The merge works on structure first. A document is cut into units, one per clause or part
// with an author-written id (a clause number, a heading's {#id}), each with the untitled
// headings and paragraphs that follow it up to the next id; the text before the first id is a
// unit of its own. Units are paired by id:
//
//   - changed on one side only: that side's text;
//   - changed on both sides: their words are merged (below);
//   - deleted on one side and unchanged on the other: deleted; deleted on one side and
//     changed on the other: a conflict;
//   - added on one side: added, after the unit that precedes it on that side; added on both
//     sides with the same id: the same text once, different texts a conflict.
//
// Words are merged as edit scripts over the redline's tokens (words, punctuation marks and
// whitespace runs, see redline.Words): base -> ours and base -> theirs, each a shortest edit
// script. Edits of both sides apply together when an unchanged word or punctuation mark stands
// between them; edits that overlap or meet are a conflict unless both sides wrote the same
// words there. Nothing is ever applied by similarity: a change either lands on exactly the
// words it was made to, or is reported.
//
// Where there is a conflict, the merged text keeps ours (the unit as ours has it, or no unit
// where ours deleted it) and the conflict carries the three texts, so that the caller can show
// it; a caller that needs a clean merge (a release build) treats any conflict as failure.
// The merged text always parses (legaltext.Parse) into the ids the merge decided on: should
// merged words change the structure (a new clause number at the start of a paragraph, an
// unclosed fence), that unit is a conflict of kind "structure" instead.
//
// Conflicts are symmetric: swapping ours and theirs swaps their texts in each conflict. The
// exception is a structure conflict, which depends on the merged text, and so on the side it
// keeps.
//
// Line endings are normalised to "\n"; otherwise text is compared exactly, so that a rewrapped
// line is a change to the spaces it touches.
package merge

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"codenav/legaltext"
)

// Kind says why a unit could not be merged.
type Kind string

const (
	// KindWords: both sides changed the same words (or words that meet) differently.
	KindWords Kind = "words"
	// KindDeleted: one side deleted the clause, the other changed it.
	KindDeleted Kind = "deleted"
	// KindAdded: both sides added a clause with this id, with different text.
	KindAdded Kind = "added"
	// KindMoved: both sides reordered the clauses, differently; the clause is one they moved.
	KindMoved Kind = "moved"
	// KindStructure: the merged words would not parse into the same clause (see the package
	// comment).
	KindStructure Kind = "structure"
)

// Conflict is a clause the merge could not settle.
type Conflict struct {
	// Doc is the id of the document, filled in by callers that know it.
	Doc string `json:"doc,omitempty"`
	// Clause is the id of the clause or part; empty for the text before the first of them
	// (the title and any introduction), and for a conflict about the whole document.
	Clause string `json:"clause"`
	Kind   Kind   `json:"kind"`
	// Base, Ours and Theirs are the Markdown of the unit in each version (the clause with
	// the paragraphs and untitled headings that follow it), trimmed; empty where it does
	// not exist.
	Base   string `json:"base"`
	Ours   string `json:"ours"`
	Theirs string `json:"theirs"`
}

// Result is a merge.
type Result struct {
	// Text is the merged Markdown (ours where there are conflicts).
	Text string
	// Doc is Text parsed.
	Doc *legaltext.Doc
	// Conflicts, in the order of the merged text (conflicts on units the merged text does
	// not hold come after, in base order).
	Conflicts []Conflict
}

// Clean reports whether the merge had no conflict.
func (r *Result) Clean() bool { return len(r.Conflicts) == 0 }

// MergeMarkdown parses three Markdown bodies (front matter removed) and merges them.
func MergeMarkdown(base, ours, theirs []byte) *Result {
	return Merge(legaltext.Parse(base), legaltext.Parse(ours), legaltext.Parse(theirs))
}

// Merge merges the changes from base to ours and from base to theirs. Any of them may be nil
// (an empty document). It never fails; what it cannot merge it reports.
func Merge(base, ours, theirs *legaltext.Doc) *Result {
	m := &merger{b: cut(base), o: cut(ours), t: cut(theirs), decided: map[string]*decision{}}
	// The merged text is read in the numbering of the texts merged.
	for _, d := range []*legaltext.Doc{ours, theirs, base} {
		if d != nil {
			m.scheme = d.Scheme()
			break
		}
	}
	// A text with an id written twice cannot be aligned by ids: which of the two is which is
	// a guess, and a merge never guesses. It is one conflict about the whole document.
	if repeats(m.b) || repeats(m.o) || repeats(m.t) {
		r := &Result{Doc: ours}
		if ours != nil {
			r.Text = ours.Source()
		} else {
			r.Doc = legaltext.ParseScheme(nil, m.scheme)
		}
		r.Conflicts = []Conflict{{Kind: KindStructure, Base: m.b.text(), Ours: m.o.text(), Theirs: m.t.text()}}
		return r
	}
	m.decide()
	order, moved := m.order()
	for _, k := range moved {
		if d := m.decided[k]; d.keep && d.conflict == nil {
			d.conflict = m.conflict(k, KindMoved)
		}
	}
	text, ok := m.assemble(order)
	doc := legaltext.ParseScheme([]byte(text), m.scheme)
	if !ok || !sameIDs(doc, m.ids(order)) {
		text, doc = m.repair(order)
	}
	return &Result{Text: text, Doc: doc, Conflicts: m.conflicts(order)}
}

// repeats reports whether an id is written twice in s (its second unit has a "#2" key).
func repeats(s *side) bool {
	for _, u := range s.units {
		if u.key != u.id {
			return true
		}
	}
	return false
}

// unit is a clause or part with what follows it up to the next author-written id.
type unit struct {
	key  string // the id, "#2", "#3"... appended to a repeated one; "" for the text before any id
	id   string // the id as written; "" for the text before any id
	head string // leading whitespace
	body string // the Markdown, without leading and trailing whitespace
	tail string // trailing whitespace
}

// side is one version cut into units.
type side struct {
	units []unit
	at    map[string]int // key -> index in units
}

func (s *side) get(key string) (unit, bool) {
	i, ok := s.at[key]
	if !ok {
		return unit{}, false
	}
	return s.units[i], true
}

func cut(d *legaltext.Doc) *side {
	s := &side{at: map[string]int{}}
	if d == nil {
		return s
	}
	var cur *strings.Builder
	var key, id string
	seen := map[string]int{}
	flush := func() {
		if cur == nil {
			return
		}
		src := strings.ReplaceAll(cur.String(), "\r\n", "\n")
		body := strings.TrimRightFunc(src, unicode.IsSpace)
		tail := src[len(body):]
		trimmed := strings.TrimLeftFunc(body, unicode.IsSpace)
		s.at[key] = len(s.units)
		s.units = append(s.units, unit{key: key, id: id, head: body[:len(body)-len(trimmed)], body: trimmed, tail: tail})
	}
	for _, n := range d.Nodes {
		if n.Explicit || cur == nil {
			flush()
			cur = &strings.Builder{}
			key, id = "", ""
			if n.Explicit {
				id = n.ID
				key = n.ID
				if c := seen[n.ID]; c > 0 {
					// A repeated id (a parse problem the caller reports) is still a unit of its
					// own, paired with the same occurrence on the other sides.
					key = n.ID + "#" + strconv.Itoa(c+1)
				}
				seen[n.ID]++
			}
		}
		cur.WriteString(n.Source)
	}
	flush()
	return s
}

// decision is what the merged text holds for one key.
type decision struct {
	keep     bool
	unit     unit // the text kept (head, body, tail); body from the merge when merged
	merged   bool // the body is the word merge of both sides
	conflict *Conflict
}

type merger struct {
	b, o, t *side
	decided map[string]*decision
	// whole is set when the merge gave up on the whole document (see repair).
	whole  *Conflict
	scheme *legaltext.Scheme
}

func (m *merger) conflict(key string, k Kind) *Conflict {
	b, _ := m.b.get(key)
	o, _ := m.o.get(key)
	t, _ := m.t.get(key)
	id := b.id // the id as written, from whichever version has the unit
	if id == "" {
		id = o.id
	}
	if id == "" {
		id = t.id
	}
	return &Conflict{Clause: id, Kind: k, Base: b.body, Ours: o.body, Theirs: t.body}
}

// decide settles the content of every key of the three versions.
func (m *merger) decide() {
	keys := func(s *side, f func(string)) {
		for _, u := range s.units {
			f(u.key)
		}
	}
	each := func(key string) {
		if m.decided[key] != nil {
			return
		}
		d := &decision{}
		m.decided[key] = d
		b, inB := m.b.get(key)
		o, inO := m.o.get(key)
		t, inT := m.t.get(key)
		switch {
		case inB && inO && inT:
			d.keep = true
			switch {
			case o.body == b.body:
				d.unit = t
			case t.body == b.body || t.body == o.body:
				d.unit = o
			default:
				if merged, ok := mergeWords(b.body, o.body, t.body); ok {
					d.unit, d.merged = o, true
					d.unit.body = merged
				} else {
					d.unit, d.conflict = o, m.conflict(key, KindWords)
				}
			}
		case inB && inO: // theirs deleted it
			if o.body != b.body {
				d.keep, d.unit, d.conflict = true, o, m.conflict(key, KindDeleted)
			}
		case inB && inT: // ours deleted it
			if t.body != b.body {
				d.conflict = m.conflict(key, KindDeleted)
			}
		case inB: // deleted on both sides
		case inO && inT:
			d.keep, d.unit = true, o
			if o.body != t.body {
				d.conflict = m.conflict(key, KindAdded)
			}
		case inO:
			d.keep, d.unit = true, o
		default:
			d.keep, d.unit = true, t
		}
	}
	keys(m.b, each)
	keys(m.o, each)
	keys(m.t, each)
}

// order returns the keys of the merged text in order, and the keys moved on both sides in
// incompatible ways. A side that reordered clauses which the other left in base order leads;
// the clauses only the other side has are placed after the clause that precedes them there.
func (m *merger) order() (keys, moved []string) {
	movedO, movedT := m.moved(m.o), m.moved(m.t)
	lead, follow := m.o, m.t
	if len(movedT) > 0 && len(movedO) == 0 {
		lead, follow = m.t, m.o
	}
	if len(movedO) > 0 && len(movedT) > 0 && !slices.Equal(m.common(m.o), m.common(m.t)) {
		moved = append(moved, movedO...)
		for _, k := range movedT {
			if !slices.Contains(moved, k) {
				moved = append(moved, k)
			}
		}
	}
	placed := map[string]bool{}
	for _, u := range lead.units {
		if m.decided[u.key].keep {
			keys = append(keys, u.key)
			placed[u.key] = true
		}
	}
	for i, u := range follow.units {
		if !m.decided[u.key].keep || placed[u.key] {
			continue
		}
		pos := 0
		for p := i - 1; p >= 0 && u.key != ""; p-- {
			if k := follow.units[p].key; placed[k] {
				pos = slices.Index(keys, k) + 1
				break
			}
		}
		// After the text before any id, and after what only the leading side added here:
		// the leading side's additions come first.
		for pos < len(keys) && u.key != "" {
			k := keys[pos]
			_, inB := m.b.at[k]
			_, inF := follow.at[k]
			if k != "" && (inB || inF) {
				break
			}
			pos++
		}
		keys = slices.Insert(keys, pos, u.key)
		placed[u.key] = true
	}
	return keys, moved
}

// common returns the keys of s that are in all three versions, in the order of s.
func (m *merger) common(s *side) []string {
	var out []string
	for _, u := range s.units {
		_, inB := m.b.at[u.key]
		_, inO := m.o.at[u.key]
		_, inT := m.t.at[u.key]
		if inB && inO && inT {
			out = append(out, u.key)
		}
	}
	return out
}

// moved returns the keys of s that are out of base order: those outside a longest run of
// keys in increasing base position.
func (m *merger) moved(s *side) []string {
	var keys []string
	var pos []int
	for _, u := range s.units {
		if i, ok := m.b.at[u.key]; ok {
			keys = append(keys, u.key)
			pos = append(pos, i)
		}
	}
	keep := increasing(pos)
	var out []string
	for i, k := range keys {
		if !keep[i] {
			out = append(out, k)
		}
	}
	return out
}

// increasing marks a longest strictly increasing subsequence of xs (patience sorting,
// O(n log n)); of several, the one that keeps the earliest elements.
func increasing(xs []int) []bool {
	var tails []int // tails[l] = index in xs of the smallest end of a run of length l+1
	prev := make([]int, len(xs))
	for i, x := range xs {
		l, _ := slices.BinarySearchFunc(tails, x, func(t, x int) int { return xs[t] - x })
		if l > 0 {
			prev[i] = tails[l-1]
		} else {
			prev[i] = -1
		}
		if l == len(tails) {
			tails = append(tails, i)
		} else {
			tails[l] = i
		}
	}
	keep := make([]bool, len(xs))
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			keep[i] = true
		}
	}
	return keep
}

// assemble writes the kept units in order. Units are separated by at least a blank line, so
// that no unit runs on into the next (a clause number must start a paragraph). ok is false
// when a unit merged from both sides does not parse, on its own, into its one id.
func (m *merger) assemble(order []string) (string, bool) {
	var b strings.Builder
	ok := true
	for i, k := range order {
		d := m.decided[k]
		if i == 0 {
			b.WriteString(d.unit.head)
		}
		b.WriteString(d.unit.body)
		tail := d.unit.tail
		if i < len(order)-1 && strings.Count(tail, "\n") < 2 {
			tail = "\n\n"
		}
		b.WriteString(tail)
		if d.merged && !sameIDs(legaltext.ParseScheme([]byte(d.unit.body), m.scheme), idsOf(d.unit)) {
			ok = false
		}
	}
	return b.String(), ok
}

// repair replaces every merged unit that does not parse into its own id with ours, as a
// structure conflict. Should the text still not parse into the ids decided (a unit that
// changes how the next one is read, such as an unclosed code fence brought in by one side),
// the merge gives up on the whole document: ours, with one structure conflict.
func (m *merger) repair(order []string) (string, *legaltext.Doc) {
	for _, k := range order {
		d := m.decided[k]
		if d.merged && !sameIDs(legaltext.ParseScheme([]byte(d.unit.body), m.scheme), idsOf(d.unit)) {
			// A merged unit is in all three versions: ours has it.
			o, _ := m.o.get(k)
			d.unit, d.merged, d.conflict = o, false, m.conflict(k, KindStructure)
		}
	}
	text, _ := m.assemble(order)
	doc := legaltext.ParseScheme([]byte(text), m.scheme)
	if sameIDs(doc, m.ids(order)) {
		return text, doc
	}
	m.whole = &Conflict{Kind: KindStructure, Base: m.b.text(), Ours: m.o.text(), Theirs: m.t.text()}
	text = m.o.source()
	return text, legaltext.ParseScheme([]byte(text), m.scheme)
}

// source is the version as it was read (line endings normalised).
func (s *side) source() string {
	var b strings.Builder
	for _, u := range s.units {
		b.WriteString(u.head)
		b.WriteString(u.body)
		b.WriteString(u.tail)
	}
	return b.String()
}

// text is the version trimmed, for a conflict.
func (s *side) text() string { return strings.TrimSpace(s.source()) }

// ids returns the author-written ids the merged units must parse into, in order.
func (m *merger) ids(order []string) []string {
	var out []string
	for _, k := range order {
		out = append(out, idsOf(m.decided[k].unit)...)
	}
	return out
}

func idsOf(u unit) []string {
	if u.id == "" {
		return nil
	}
	return []string{u.id}
}

// sameIDs reports whether the author-written ids of d are ids, in order.
func sameIDs(d *legaltext.Doc, ids []string) bool {
	i := 0
	for _, n := range d.Nodes {
		if !n.Explicit {
			continue
		}
		if i >= len(ids) || n.ID != ids[i] {
			return false
		}
		i++
	}
	return i == len(ids)
}

// conflicts lists the conflicts in the order of the merged text, then those on units it does
// not hold in base order (then ours', then theirs').
func (m *merger) conflicts(order []string) []Conflict {
	out := []Conflict{} // never nil: a list, also in JSON
	if m.whole != nil {
		out = append(out, *m.whole)
	}
	done := map[string]bool{}
	add := func(k string) {
		if d := m.decided[k]; !done[k] && d.conflict != nil {
			out = append(out, *d.conflict)
		}
		done[k] = true
	}
	for _, k := range order {
		add(k)
	}
	for _, s := range []*side{m.b, m.o, m.t} {
		for _, u := range s.units {
			add(u.key)
		}
	}
	return out
}
