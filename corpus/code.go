// Package corpus is the versioned store of a code: it loads a code's folder (documents and
// their versions, releases, modifications), validates it, and answers questions about it:
// the version in force on a date, where a cross-reference or a defined term points.
package corpus

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"codenav/legaltext"
	"codenav/legaltext/duty"
)

// Date is a calendar date written YYYY-MM-DD; dates in that form compare as strings.
type Date string

// ParseDate checks that s is a real calendar date in the form YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return "", fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Date(s), nil
}

// DateOf returns the calendar date of t (in t's location).
func DateOf(t time.Time) Date { return Date(t.Format("2006-01-02")) }

// Named is an entry of one of the code's lists (party categories, document categories,
// classifications).
type Named struct {
	ID          string `yaml:"id" json:"id"`
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
}

// Code is a loaded, validated code.
type Code struct {
	Dir             string  `json:"-"`
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	Notice          string  `json:"notice"`
	Parties         []Named `json:"parties"`
	Roles           []Named `json:"roles,omitempty"` // User Roles (optional)
	Categories      []Named `json:"categories"`
	Classifications []Named `json:"classifications"`
	// Numbering is how the code's documents number their clauses, unless a document says
	// otherwise (nil: the SEC's convention).
	Numbering     *legaltext.Scheme `json:"-"`
	Documents     []*Document       `json:"-"`
	Releases      []*Release        `json:"-"`
	Modifications []*Modification   `json:"-"`

	// Cites lists the other codes the text cites by name (code.yaml's cites).
	Cites []CitedCode `json:"cites,omitempty"`

	docs     map[string]*Document
	prefixes map[string]*Document
	labels   map[string]*Document
	releases map[string]*Release
	mods     map[string]*Modification

	mu        sync.Mutex
	terms     map[string]*Terms
	termOrder []string // keys of terms, oldest first

	trees        *TreeCache // parsed versions (trees.go)
	fingerprint  string     // of the folder's files, when Open computed it
	fromSnapshot bool

	dutyOnce   sync.Once
	dutyReader *duty.Reader
	partyNames map[string]*regexp.Regexp // see Concerns
}

// Document is one document of the code with all its versions, oldest first.
type Document struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Reference      string   `json:"reference,omitempty"`
	Prefix         string   `json:"prefix,omitempty"`
	Category       string   `json:"category"`
	Classification string   `json:"classification"`
	Parties        []string `json:"parties"`
	Related        []string `json:"related,omitempty"`
	Owner          string   `json:"owner,omitempty"`
	Summary        string   `json:"summary,omitempty"`
	Groups         []string `json:"groups,omitempty"`
	People         []string `json:"people,omitempty"`
	// Numbering is the document's numbering scheme (the code's unless document.yaml names
	// one; nil: the SEC's convention).
	Numbering *legaltext.Scheme `json:"-"`
	Versions  []*Version        `json:"-"`

	code    *Code
	anchors map[string][]uint64 // anchor -> the versions (bits by index) that have it
}

// Version is one version of a document.
type Version struct {
	Doc           *Document `json:"-"`
	Number        string    `json:"version"`
	Effective     Date      `json:"effective"`
	Release       string    `json:"release,omitempty"`
	Modifications []string  `json:"modifications"`
	// Path is the file the version was read from; BodyLine the line its body starts on.
	Path     string `json:"-"`
	BodyLine int    `json:"-"`
	// tree is a text given when the version was made by hand (tests); a loaded version's
	// text is read through the code's cache of parsed versions (see Tree).
	tree *legaltext.Doc
	// index is the version's position in Doc.Versions; defs the terms it defines;
	// anchorIDs its anchors until the document's anchor table is built (see facts.go).
	index     int
	defs      []legaltext.Definition
	anchorIDs []string

	effectiveLine int // the line of the effective date, for messages

	dutyOnce sync.Once
	duties   []duty.Duty // read on first use; see Code.Duties
}

// Release is a SEC Release.
type Release struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Date          Date     `json:"date"`
	Kind          string   `json:"kind"`
	Systems       bool     `json:"systems"`
	Modifications []string `json:"modifications"`
	Summary       string   `json:"summary,omitempty"`
}

// Event is a dated step in a modification's life.
type Event struct {
	Date  Date   `json:"date"`
	Event string `json:"event"`
}

// Modification is a Draft Proposal or Modification Proposal.
type Modification struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Type        string   `json:"type"`
	Path        string   `json:"path,omitempty"`
	Stage       string   `json:"stage"`
	Status      string   `json:"status"`
	Proposer    string   `json:"proposer,omitempty"`
	LeadAnalyst string   `json:"lead_analyst,omitempty"`
	Raised      Date     `json:"raised,omitempty"`
	Decided     Date     `json:"decided,omitempty"`
	Implemented Date     `json:"implemented,omitempty"`
	Release     string   `json:"release,omitempty"`
	Parties     []string `json:"parties"`
	Documents   []string `json:"documents"`
	Issue       string   `json:"issue,omitempty"`
	Solution    string   `json:"solution,omitempty"`
	Timeline    []Event  `json:"timeline"`
	// Sample marks an entry invented to give the sample register a realistic size.
	Sample bool `json:"sample,omitempty"`
	// LegalText is the proposed text of each document the modification changes, from
	// modifications/<id>/legal-text/<doc-id>.md, in document id order.
	LegalText []*LegalText `json:"-"`
}

// Document returns the document with the given id, or nil.
func (c *Code) Document(id string) *Document { return c.docs[id] }

// Release returns the release with the given id, or nil.
func (c *Code) Release(id string) *Release { return c.releases[id] }

// Modification returns the modification with the given id, or nil.
func (c *Code) Modification(id string) *Modification { return c.mods[id] }

// Party returns the party category with the given id.
func (c *Code) Party(id string) (Named, bool) { return find(c.Parties, id) }

// Role returns the User Role with the given id.
func (c *Code) Role(id string) (Named, bool) { return find(c.Roles, id) }

// RoleIDs returns the ids of every User Role.
func (c *Code) RoleIDs() []string {
	out := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		out[i] = r.ID
	}
	return out
}

// Category returns the document category with the given id.
func (c *Code) Category(id string) (Named, bool) { return find(c.Categories, id) }

// Classification returns the classification with the given id.
func (c *Code) Classification(id string) (Named, bool) { return find(c.Classifications, id) }

func find(list []Named, id string) (Named, bool) {
	for _, n := range list {
		if n.ID == id {
			return n, true
		}
	}
	return Named{}, false
}

// PartyIDs returns the ids of every party category.
func (c *Code) PartyIDs() []string {
	out := make([]string, len(c.Parties))
	for i, p := range c.Parties {
		out[i] = p.ID
	}
	return out
}

// LatestRelease returns the newest release on or before day, or nil.
func (c *Code) LatestRelease(day Date) *Release {
	var best *Release
	for _, r := range c.Releases {
		if r.Date <= day {
			best = r
		}
	}
	return best
}

// ReleaseVersions returns the document versions a release made, in document order.
func (c *Code) ReleaseVersions(id string) []*Version {
	var out []*Version
	for _, d := range c.Documents {
		for _, v := range d.Versions {
			if v.Release == id {
				out = append(out, v)
			}
		}
	}
	return out
}

// ModificationVersions returns the document versions that name a modification.
func (c *Code) ModificationVersions(id string) []*Version {
	var out []*Version
	for _, d := range c.Documents {
		for _, v := range d.Versions {
			for _, m := range v.Modifications {
				if m == id {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// At returns the version in force on day: the newest whose effective date is on or before
// it, or nil when the document had not yet come into force.
func (d *Document) At(day Date) *Version {
	var best *Version
	for _, v := range d.Versions {
		if v.Effective <= day {
			best = v
		}
	}
	return best
}

// Version returns the version with the given number, or nil.
func (d *Document) Version(num string) *Version {
	for _, v := range d.Versions {
		if v.Number == num {
			return v
		}
	}
	return nil
}

// Latest returns the newest version, which may be prospective.
func (d *Document) Latest() *Version { return d.Versions[len(d.Versions)-1] }

// Next returns the version after v, or nil.
func (v *Version) Next() *Version {
	vs := v.Doc.Versions
	for i, x := range vs {
		if x == v && i+1 < len(vs) {
			return vs[i+1]
		}
	}
	return nil
}

// Previous returns the version before v, or nil.
func (v *Version) Previous() *Version {
	vs := v.Doc.Versions
	for i, x := range vs {
		if x == v && i > 0 {
			return vs[i-1]
		}
	}
	return nil
}

// Until returns the last day v is in force (the day before the next version), or "" while
// no later version exists.
func (v *Version) Until() Date {
	n := v.Next()
	if n == nil {
		return ""
	}
	t, err := time.Parse("2006-01-02", string(n.Effective))
	if err != nil {
		return ""
	}
	return DateOf(t.AddDate(0, 0, -1))
}

// Status says how v stands on day: "in force", "superseded" or "prospective".
func (v *Version) Status(day Date) string {
	switch {
	case v.Effective > day:
		return "prospective"
	case v.Doc.At(day) == v:
		return "in force"
	default:
		return "superseded"
	}
}

// Parties returns the applicability of a node of this version, after inheritance from the
// document.
func (v *Version) Parties(n *legaltext.Node) []string {
	if n.Parties != nil {
		return n.Parties
	}
	return v.Doc.Parties
}

// Target is where a reference or a defined term points: a version and an anchor in it.
type Target struct {
	Version *Version
	Anchor  string
}

// Resolve finds what ref points at on day. ok is false when the reference names nothing in
// the code (for example "SMETS1"); found is false when it names a document of the code but
// the clause or part does not exist on that day.
func (c *Code) Resolve(ref legaltext.Ref, day Date) (t Target, ok, found bool) {
	var d *Document
	switch ref.Kind {
	case legaltext.RefDocument:
		d = c.labels[ref.Label]
	default:
		d = c.prefixes[ref.Prefix]
	}
	if d == nil {
		return Target{}, false, false
	}
	v := d.At(day)
	if v == nil {
		return Target{}, true, false
	}
	t = Target{Version: v, Anchor: ref.Anchor()}
	if ref.Kind == legaltext.RefDocument {
		return t, true, true
	}
	if v.HasAnchor(t.Anchor) {
		return t, true, true
	}
	// A sub-paragraph that is not labelled in the text still has its clause.
	if ref.Sub != "" && v.HasAnchor(ref.ID) {
		t.Anchor = ref.ID
		return t, true, true
	}
	return t, true, false
}

// Terms is the set of terms defined on a date.
type Terms struct {
	Matcher *legaltext.TermMatcher
	Defs    map[string]TermDef
}

// TermDef is one defined term and where it is defined.
type TermDef struct {
	Term    string   `json:"term"`
	Meaning string   `json:"meaning,omitempty"`
	Version *Version `json:"-"`
	Anchor  string   `json:"anchor"`
}

// TermsAt returns the terms defined by the public versions in force on day. Only public
// documents define terms for others: a restricted definition linked from public text would
// show restricted words to everyone.
func (c *Code) TermsAt(day Date) *Terms {
	var key []string
	var defining []*Version
	for _, d := range c.Documents {
		if v := d.At(day); v != nil && len(v.Definitions()) > 0 && c.Public(d) {
			key = append(key, d.ID+"@"+v.Number)
			defining = append(defining, v)
		}
	}
	k := strings.Join(key, ",")
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.terms[k]; ok {
		return t
	}
	t := &Terms{Defs: map[string]TermDef{}}
	var names []string
	for _, v := range defining {
		for _, def := range v.Definitions() {
			if _, dup := t.Defs[def.Term]; dup {
				continue // reported by validation
			}
			t.Defs[def.Term] = TermDef{Term: def.Term, Meaning: def.Meaning, Version: v, Anchor: def.Anchor}
			names = append(names, def.Term)
		}
	}
	sort.Strings(names)
	t.Matcher = legaltext.NewTermMatcher(names)
	if c.terms == nil {
		c.terms = map[string]*Terms{}
	}
	// One set per state of the defining documents: a long history has many, and reading
	// old versions would otherwise keep a matcher for each. The oldest made goes first.
	if len(c.termOrder) >= maxTermSets {
		delete(c.terms, c.termOrder[0])
		c.termOrder = c.termOrder[1:]
	}
	c.terms[k] = t
	c.termOrder = append(c.termOrder, k)
	return t
}

// maxTermSets is how many sets of defined terms (one per state of the defining documents)
// are kept.
const maxTermSets = 16
