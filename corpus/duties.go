package corpus

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"codenav/legaltext"
	"codenav/legaltext/duty"
)

// Duties of the code: the reader is built once from the code's party categories, User Roles
// and defined terms; each version's duties are read once, when first asked for, and kept with
// the version (like its cross-references).

// nonBinding are the document categories whose text binds no one: guidance explains the
// Code, it does not add to it.
var nonBinding = map[string]bool{"guidance": true}

// DutyReader returns the code's duty reader, built on first use.
func (c *Code) DutyReader() *duty.Reader {
	c.dutyOnce.Do(c.buildDuties)
	return c.dutyReader
}

func (c *Code) buildDuties() {
	v := c.dutyVocabulary()
	c.dutyReader = duty.NewReader(v)
	// Which names, written in a duty of someone else, concern each party category: its own
	// name, a group's name that includes it, and the names of any Party or any User.
	c.partyNames = map[string]*regexp.Regexp{}
	for _, p := range c.Parties {
		var alts []string
		for name, bs := range v.Actors {
			for _, b := range bs {
				if b == p.ID || b == duty.AnyParty || b == duty.AnyUser {
					alts = append(alts, regexp.QuoteMeta(name), regexp.QuoteMeta(plural(name)))
					break
				}
			}
		}
		sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
		c.partyNames[p.ID] = regexp.MustCompile(`\b(?:` + strings.Join(alts, "|") + `)\b`)
	}
}

func plural(name string) string {
	if strings.HasSuffix(name, "Party") {
		return strings.TrimSuffix(name, "Party") + "Parties"
	}
	return name + "s"
}

// Concerns reports whether text names party category p, itself or as one of a group
// ("Supplier Parties", "each Party", "Users").
func (c *Code) Concerns(text, p string) bool {
	c.DutyReader()
	re := c.partyNames[p]
	return re != nil && re.MatchString(text)
}

// actorHeadRE finds, in the first words of a definition, a word that says the term names
// someone who can bear a duty ("means the person appointed ...", "means the Sub-Committee").
var actorHeadRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b(person|persons|body|committee|Sub-Committee|group|Panel|Member|member|Authority|holder|Consumer|Administrator|Auditor|auditor|organisation|company|individual)\b`)
})

// headStopRE ends the head of a definition: what follows qualifies it.
var headStopRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`[,;.(]| (?:that|which|who|whose|of|by|under|established|appointed|constituted|in|to|for|from|at|on|with|as|known|acting|between|beyond|other|used|installed|described|set|raised|agreed|developed|granted|made|held)\b`)
})

func (c *Code) dutyVocabulary() duty.Vocabulary {
	v := duty.Vocabulary{Actors: map[string][]string{}, Things: map[string]bool{}}
	// Defined terms first: the code's own lists below take precedence over them.
	for _, d := range c.Documents {
		for _, ver := range d.Versions {
			for _, def := range ver.Definitions() {
				switch {
				case isActorDefinition(def.Meaning):
					v.Actors[def.Term] = []string{duty.Slug(def.Term)}
				case def.Meaning != "":
					v.Things[def.Term] = true
				}
				// A term defined in running text (the "Independent Privacy Auditor") has no
				// meaning to read: the reader judges it as it does any capitalised name.
			}
		}
	}
	v.Actors["Party"] = []string{duty.AnyParty}
	v.Actors["User"] = []string{duty.AnyUser}
	// An Applicant is a Party (or a person acceding) on its way to becoming a User.
	v.Actors["Applicant"] = []string{duty.AnyParty}
	for _, p := range c.Parties {
		v.Actors[p.Name] = []string{p.ID}
		delete(v.Things, p.Name)
	}
	for _, r := range c.Roles {
		v.Actors[r.Name] = []string{r.ID}
		delete(v.Things, r.Name)
	}
	// Group names shared by several categories: "Large Supplier Party" and "Small Supplier
	// Party" make "Supplier Party".
	groups := map[string][]string{}
	for _, p := range c.Parties {
		ws := strings.Fields(p.Name)
		if len(ws) >= 3 {
			g := strings.Join(ws[1:], " ")
			groups[g] = append(groups[g], p.ID)
		}
	}
	for g, ids := range groups {
		if len(ids) > 1 {
			if _, own := v.Actors[g]; !own || len(v.Actors[g]) == 1 && v.Actors[g][0] == duty.Slug(g) {
				v.Actors[g] = ids
			}
		}
	}
	return v
}

// isActorDefinition reads the head of a definition's meaning ("means the person appointed by
// the Panel ...": "the person") for a word that names someone.
func isActorDefinition(meaning string) bool {
	m := strings.TrimSpace(meaning)
	m = strings.TrimPrefix(m, "means")
	m = strings.TrimSpace(m)
	if strings.HasPrefix(m, ",") {
		// "means, in respect of a Draft Proposal, the person that raised it".
		if i := strings.Index(m[1:], ","); i >= 0 {
			m = strings.TrimSpace(m[i+2:])
		}
	}
	if strings.HasPrefix(m, "has the meaning") {
		return false
	}
	if loc := headStopRE().FindStringIndex(m); loc != nil {
		m = m[:loc[0]]
	}
	return actorHeadRE().MatchString(m)
}

// Binding reports whether the text of d can impose duties.
func (d *Document) Binding() bool { return !nonBinding[d.Category] }

// Duties returns the duties stated by the clauses of v, in clause order, read once: an
// override attribute on a clause replaces what the reader finds there.
func (c *Code) Duties(v *Version) []duty.Duty {
	r := c.DutyReader()
	v.dutyOnce.Do(func() {
		v.duties = []duty.Duty{}
		if !v.Doc.Binding() {
			return
		}
		for _, n := range v.Tree().Clauses() {
			v.duties = append(v.duties, c.clauseDuties(r, n)...)
		}
	})
	return v.duties
}

func (c *Code) clauseDuties(r *duty.Reader, n *legaltext.Node) []duty.Duty {
	if n.DutiesSet {
		ds, err := duty.Override(n.ID, n.Duties, c.knownBearer)
		if err == nil {
			return ds
		}
		// Reported by validation; the reader's view stands meanwhile.
	}
	return r.Read(n.ID, n.Text, n.SubIDs)
}

// ClauseDuties returns the duties of the clause id (and its sub-paragraphs) in v.
func (c *Code) ClauseDuties(v *Version, id string) []duty.Duty {
	var out []duty.Duty
	for _, d := range c.Duties(v) {
		if d.Clause == id || strings.HasPrefix(d.Clause, id+"(") {
			out = append(out, d)
		}
	}
	return out
}

// knownBearer reports whether id names a bearer: a party category, a User Role, "party",
// "user", or an actor the code defines.
func (c *Code) knownBearer(id string) bool {
	if _, ok := c.Party(id); ok {
		return true
	}
	if _, ok := c.Role(id); ok {
		return true
	}
	return c.DutyReader().Known(id)
}

// BearerKind says what a bearer is: "party" (a party category, or any Party), "role" (a User
// Role, or any User) or "body".
func (c *Code) BearerKind(id string) string {
	if _, ok := c.Party(id); ok || id == duty.AnyParty {
		return "party"
	}
	if _, ok := c.Role(id); ok || id == duty.AnyUser {
		return "role"
	}
	return "body"
}

// BearerName is the name of a bearer for people.
func (c *Code) BearerName(id string) string {
	if p, ok := c.Party(id); ok {
		return p.Name
	}
	if r, ok := c.Role(id); ok {
		return r.Name
	}
	switch id {
	case duty.AnyParty:
		return "Every Party"
	case duty.AnyUser:
		return "Every User"
	}
	// A defined actor: its term as written.
	for _, d := range c.Documents {
		for _, ver := range d.Versions {
			for _, def := range ver.Definitions() {
				if duty.Slug(def.Term) == id {
					return def.Term
				}
			}
		}
	}
	return strings.ReplaceAll(id, "-", " ")
}

// validateDuties checks every duties attribute: each bearer must be known and each kind one
// of the kinds.
func validateDuties(l *loader, c *Code, k dutyCheck) {
	if _, err := duty.Override(k.clause, k.duties, c.knownBearer); err != nil {
		l.add(k.v.Path, k.line+k.v.BodyLine-1, "clause %s: %s", k.clause, fmt.Sprint(err))
	}
}
