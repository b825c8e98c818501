package corpus

import (
	"fmt"
	"path/filepath"

	"codenav/legaltext"
)

// check is a reference from one file to other entities, resolved after loading.
type check struct {
	path    string
	lines   []int
	ids     []string
	kind    string
	owner   string
	version *Version
}

func (k check) line(i int) int {
	if i < len(k.lines) {
		return k.lines[i]
	}
	return 0
}

// validate checks everything that spans files: references between entities, the order of
// versions, cross-references at their point in time, and terms defined twice.
func validate(l *loader, c *Code) {
	for _, k := range l.pending {
		for i, id := range k.ids {
			line := k.line(i)
			switch k.kind {
			case "parties":
				l.checkParties(c, k.path, []string{id}, []int{line})
			case "documents":
				if c.docs[id] == nil && !l.unreadable["document:"+id] {
					l.add(k.path, line, "unknown document %q (no folder documents/%s)", id, id)
				}
			case "modifications":
				if c.mods[id] == nil && !l.unreadable["modification:"+id] {
					l.add(k.path, line, "unknown modification %q (no folder modifications/%s)", id, id)
				}
			case "release-mods":
				m := c.mods[id]
				switch {
				case m == nil && l.unreadable["modification:"+id]:
				case m == nil:
					l.add(k.path, line, "unknown modification %q (no folder modifications/%s)", id, id)
				case m.Release == "":
					l.add(k.path, line, "modification %s names no release: add release: %s to %s", id, k.owner,
						filepath.ToSlash(filepath.Join("modifications", id, "modification.yaml")))
				case m.Release != k.owner:
					l.add(k.path, line, "modification %s names release %q, not this release %q", id, m.Release, k.owner)
				}
			case "mod-release":
				r := c.releases[id]
				switch {
				case r == nil && l.unreadable["release:"+id]:
				case r == nil:
					l.add(k.path, line, "unknown release %q (no file releases/%s.yaml)", id, id)
				case !contains(r.Modifications, k.owner):
					l.add(k.path, line, "release %s does not list this modification %s", id, k.owner)
					l.probs[len(l.probs)-1].unlisted.release, l.probs[len(l.probs)-1].unlisted.mod = id, k.owner
				}
			case "version-release":
				r := c.releases[id]
				switch {
				case r == nil && l.unreadable["release:"+id]:
				case r == nil:
					l.add(k.path, line, "unknown release %q (no file releases/%s.yaml)", id, id)
				case r.Date != "" && k.version.Effective != "" && r.Date != k.version.Effective:
					l.add(k.path, line, "release %s is dated %s but this version is effective %s: a version takes effect on the date of its release",
						id, r.Date, k.version.Effective)
				}
			}
		}
	}
	for _, d := range c.Documents {
		for i := 1; i < len(d.Versions); i++ {
			a, b := d.Versions[i-1], d.Versions[i]
			if a.Effective != "" && b.Effective != "" && b.Effective <= a.Effective {
				l.add(b.Path, b.effectiveLine, "version %s is effective %s, not after version %s (effective %s): effective dates must increase with the version number",
					b.Number, b.Effective, a.Number, a.Effective)
			}
		}
	}
	// The checks of a version's text against others run on what was kept of it while it
	// was read (facts.go): the texts themselves are not all held at once.
	for _, k := range l.refs {
		validateRefs(l, c, k.v, k.refs)
	}
	for _, d := range c.Documents {
		for _, v := range d.Versions {
			validateTerms(l, c, v)
		}
	}
	for _, k := range l.duties {
		validateDuties(l, c, k)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func validateRefs(l *loader, c *Code, v *Version, refs []legaltext.Ref) {
	if v.Effective == "" {
		return
	}
	for _, r := range refs {
		t, ok, found := c.Resolve(r, v.Effective)
		if !ok || found {
			continue
		}
		what := map[legaltext.RefKind]string{legaltext.RefClause: "clause", legaltext.RefPart: "part", legaltext.RefDocument: "document"}[r.Kind]
		if t.Version == nil {
			d := c.prefixes[r.Prefix]
			if r.Kind == legaltext.RefDocument {
				d = c.labels[r.Label]
			}
			if d == nil || len(d.Versions) == 0 {
				continue // a document none of whose versions could be read: reported on its own
			}
			l.add(v.Path, r.Line+v.BodyLine-1, "cross-reference %q: %s has no version in force on %s (its first version takes effect on %s)",
				r.Text, d.ID, v.Effective, d.Versions[0].Effective)
			continue
		}
		l.add(v.Path, r.Line+v.BodyLine-1, "cross-reference %q: %s %s does not exist in %s version %s (in force on %s)",
			r.Text, what, r.Anchor(), t.Version.Doc.ID, t.Version.Number, v.Effective)
	}
}

// validateTerms reports a term that another document in force on the same date also defines.
func validateTerms(l *loader, c *Code, v *Version) {
	if len(v.Definitions()) == 0 || v.Effective == "" {
		return
	}
	for _, o := range c.Documents {
		if o == v.Doc {
			continue
		}
		ov := o.At(v.Effective)
		if ov == nil {
			continue
		}
		for _, def := range v.Definitions() {
			for _, odef := range ov.Definitions() {
				if odef.Term == def.Term {
					l.add(v.Path, def.Line+v.BodyLine-1, "term %q is defined twice: also in %s version %s (%s)",
						def.Term, o.ID, ov.Number, fmt.Sprintf("%s:%d", ov.Path, odef.Line+ov.BodyLine-1))
				}
			}
		}
	}
}
