// Package duty reads the duties and rights that a clause of legal English states: who bears
// each (a party category, a User Role or a body such as the Panel), its kind (obligation,
// prohibition, permission, condition), the action, any deadline and any condition. It is a
// small rule-based reader: it knows the modal verbs of drafting ("shall", "shall not", "may",
// "is entitled to") and finds the subject of each from a vocabulary of actor names that the
// caller builds from the code's party categories, User Roles and defined terms. It knows
// nothing of corpora or servers; where it is wrong, the corpus overrides it (see Override).
package duty

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is what a duty asks of its bearer.
type Kind string

// The kinds of duty. A condition is a statement about the bearer's position that asks for no
// action ("the Applicant shall become a User", "shall be treated as").
const (
	Obligation  Kind = "obligation"
	Prohibition Kind = "prohibition"
	Permission  Kind = "permission"
	Condition   Kind = "condition"
)

// Kinds lists every kind, in the order pages show them.
var Kinds = []Kind{Obligation, Prohibition, Permission, Condition}

// ParseKind checks that s names a kind.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// The bearers that are not named in a vocabulary: any Party, and any User (in any role).
const (
	AnyParty = "party"
	AnyUser  = "user"
)

// Duty is one duty or right found in a clause.
type Duty struct {
	// Clause is the clause or sub-paragraph that states it ("H1.5", "H1.15(a)").
	Clause string `json:"clause"`
	// Bearers are the ids of who bears it: party category ids, User Role ids, "party" (any
	// Party), "user" (any User) or the id of a body ("panel", "code-administrator").
	Bearers []string `json:"bearers"`
	// Subject is the subject as written ("Each Supplier Party"); empty for an override.
	Subject   string `json:"subject,omitempty"`
	Kind      Kind   `json:"kind"`
	Action    string `json:"action,omitempty"`
	Deadline  string `json:"deadline,omitempty"`
	Condition string `json:"condition,omitempty"`
	// Override is true when the duty was written in the corpus rather than read.
	Override bool `json:"override,omitempty"`
}

// Vocabulary is what the reader knows of the code's actors and things.
type Vocabulary struct {
	// Actors maps a name as written ("Supplier Party", "Panel") to the bearers it stands for.
	Actors map[string][]string
	// Things are capitalised names that are not actors ("User Role", "Party Category",
	// "DCC Systems"); knowing them keeps "Each Party Category" from reading as "Each Party".
	Things map[string]bool
}

// Reader reads duties. It is immutable once built and safe for concurrent use.
type Reader struct {
	actors map[string][]string
	things map[string]bool
	maxLen int // the most words in a name
	// first maps the first word of each name to the most words of a name that starts with it.
	first map[string]int
	known map[string]bool
}

// NewReader builds a reader from a vocabulary; plural forms of the names are added.
func NewReader(v Vocabulary) *Reader {
	r := &Reader{actors: map[string][]string{}, things: map[string]bool{}, known: map[string]bool{}, first: map[string]int{}}
	for name, bs := range v.Actors {
		for _, f := range forms(name) {
			r.actors[f] = bs
			r.note(f)
		}
		for _, b := range bs {
			r.known[b] = true
		}
	}
	for name := range v.Things {
		for _, f := range forms(name) {
			if _, ok := r.actors[f]; !ok {
				r.things[f] = true
				r.note(f)
			}
		}
	}
	r.known[AnyParty], r.known[AnyUser] = true, true
	return r
}

func (r *Reader) note(name string) {
	ws := words(name)
	if len(ws) == 0 {
		return
	}
	if n := len(ws); n > r.maxLen {
		r.maxLen = n
	}
	if n := len(ws); n > r.first[ws[0]] {
		r.first[ws[0]] = n
	}
}

// Known reports whether id is a bearer the vocabulary names.
func (r *Reader) Known(id string) bool { return r.known[id] }

// forms returns a name and its plural.
func forms(name string) []string {
	switch {
	case strings.HasSuffix(name, "Party"):
		return []string{name, strings.TrimSuffix(name, "Party") + "Parties"}
	case strings.HasSuffix(name, "y") && !strings.HasSuffix(name, "ey"):
		return []string{name, strings.TrimSuffix(name, "y") + "ies"}
	case strings.HasSuffix(name, "s"):
		return []string{name}
	}
	return []string{name, name + "s"}
}

// Segment is a piece of a clause that may state duties of its own: the clause's opening
// words, or one of its sub-paragraphs.
type Segment struct {
	ID   string
	Text string
}

// Segments splits the plain text of a clause (as legaltext gives it: the clause number, then
// the blocks separated by blank lines, one sub-paragraph a line) into its opening words and
// its sub-paragraphs; subIDs are the sub-paragraph permalinks in order, used when they match
// the labels found. Table rows are left out: they state no duties in prose.
func Segments(id, text string, subIDs []string) []Segment {
	text = strings.TrimPrefix(text, id)
	var out []Segment
	cur := Segment{ID: id}
	k := 0
	labelled := 0
	for _, line := range strings.Split(text, "\n") {
		if _, ok := label(line); ok {
			labelled++
		}
	}
	useSubs := labelled == len(subIDs)
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.Contains(line, " | ") || strings.HasPrefix(line, "|") {
			continue
		}
		if l, ok := label(line); ok {
			if strings.TrimSpace(cur.Text) != "" || cur.ID != id {
				out = append(out, cur)
			}
			sid := id + l
			if useSubs {
				sid = subIDs[k]
			}
			k++
			cur = Segment{ID: sid, Text: strings.TrimSpace(line[len(l):])}
			continue
		}
		if cur.Text != "" {
			cur.Text += " "
		}
		cur.Text += line
	}
	if strings.TrimSpace(cur.Text) != "" || cur.ID != id {
		out = append(out, cur)
	}
	return out
}

// label returns the "(a)" that opens a sub-paragraph line.
func label(line string) (string, bool) {
	line = strings.TrimSpace(line)
	if len(line) < 3 || line[0] != '(' {
		return "", false
	}
	end := strings.IndexByte(line, ')')
	if end < 2 || end > 6 {
		return "", false
	}
	for _, c := range line[1:end] {
		if c < 'a' || c > 'z' {
			return "", false
		}
	}
	return line[:end+1], true
}

// Override parses an override attribute value: space-separated "bearer:kind" pairs, or
// "none" for a clause that states no duty. Bearers joined by "+" share one duty
// ("large-supplier+small-supplier:obligation"). known reports whether a bearer id exists.
func Override(clause, value string, known func(string) bool) ([]Duty, error) {
	f := strings.Fields(value)
	if len(f) == 0 {
		return nil, fmt.Errorf("empty duties attribute: write duties=\"bearer:kind\" or duties=\"none\"")
	}
	if len(f) == 1 && f[0] == "none" {
		return []Duty{}, nil
	}
	out := make([]Duty, 0, len(f))
	for _, p := range f {
		b, k, ok := strings.Cut(p, ":")
		if !ok || b == "" || k == "" {
			return nil, fmt.Errorf("duty %q: write bearer:kind (kinds: %s)", p, kindList())
		}
		kind, ok := ParseKind(k)
		if !ok {
			return nil, fmt.Errorf("duty %q: unknown kind %q (kinds: %s)", p, k, kindList())
		}
		bs := strings.Split(b, "+")
		for _, x := range bs {
			if !known(x) {
				return nil, fmt.Errorf("duty %q: unknown bearer %q", p, x)
			}
		}
		out = append(out, Duty{Clause: clause, Bearers: bs, Kind: kind, Override: true})
	}
	return out, nil
}

func kindList() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// Pairs returns the distinct "bearer:kind" pairs of a list of duties, sorted: the form the
// measure compares.
func Pairs(ds []Duty) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range ds {
		for _, b := range d.Bearers {
			p := b + ":" + string(d.Kind)
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}
