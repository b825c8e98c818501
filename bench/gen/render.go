package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

const width = 100

// writeVersion writes the next version of d, effective on rel's date, and measures what
// changed since its previous version.
func (g *generator) writeVersion(out string, d *doc, rel *release) error {
	g.versions[d]++
	num := strconv.Itoa(g.versions[d]) + ".0"
	var b strings.Builder
	fmt.Fprintf(&b, "---\nversion: %q\neffective: %s\nrelease: %s\n", num, rel.date.Format("2006-01-02"), rel.id)
	var mods []string
	for _, m := range rel.mods {
		for _, x := range m.docs {
			if x == d {
				mods = append(mods, m.id)
			}
		}
	}
	fmt.Fprintf(&b, "modifications: [%s]\n---\n\n", strings.Join(mods, ", "))
	bodyStart := b.Len()
	fmt.Fprintf(&b, "# %s: %s\n\n", d.spec.reference, d.spec.title)
	if d.intro != "" {
		wrap(&b, "", "", d.intro)
		b.WriteString("\n")
	}
	cur := map[*clause]string{}
	prev := g.prev[d]
	clauses := 0
	for _, p := range d.parts {
		fmt.Fprintf(&b, "## %s %s {#%s%s}\n\n", p.id(), p.title, p.id(), attrs(p.parties, p.roles))
		for _, it := range p.items {
			if it.heading != "" {
				fmt.Fprintf(&b, "### %s\n\n", it.heading)
				continue
			}
			if it.c.deleted {
				continue
			}
			var cb strings.Builder
			g.renderClause(&cb, it.c)
			s := cb.String()
			cur[it.c] = s
			b.WriteString(s)
			clauses++
		}
	}
	if prev != nil {
		changed := 0
		for c, s := range cur {
			if old, ok := prev[c]; !ok || old != s {
				changed++ // added, changed or renumbered
			}
		}
		for c := range prev {
			if _, ok := cur[c]; !ok {
				changed++ // deleted
			}
		}
		g.rates = append(g.rates, float64(changed)/float64(len(prev)))
	}
	g.prev[d] = cur
	g.stats.ClauseVersions += clauses
	text := b.String()
	g.lastBytes[d] = len(text)
	g.lastWords[d] = len(strings.Fields(text[bodyStart:]))
	g.stats.Files++
	g.stats.Bytes += int64(len(text))
	dir := filepath.Join(out, "documents", d.spec.id)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, num+".md"), []byte(text), 0o644)
}

func attrs(parties, roles []string) string {
	s := ""
	if parties != nil {
		s += ` parties="` + strings.Join(parties, " ") + `"`
	}
	if roles != nil {
		s += ` roles="` + strings.Join(roles, " ") + `"`
	}
	return s
}

func (g *generator) renderClause(b *strings.Builder, c *clause) {
	first := "**" + c.num() + "** "
	if a := strings.TrimSpace(attrs(c.parties, c.roles)); a != "" {
		first += "{" + a + "} "
	}
	var lead []string
	for _, s := range c.lead {
		lead = append(lead, g.text(s))
	}
	if c.intro != nil {
		lead = append(lead, g.text(c.intro))
	}
	wrap(b, first, "", strings.Join(lead, " "))
	b.WriteString("\n")
	if len(c.items) > 0 {
		for i, it := range c.items {
			label := "(" + string(rune('a'+i)) + ") "
			t := g.text(it.text)
			last := i == len(c.items)-1
			switch {
			case len(it.subs) > 0:
				t += ":"
			case last:
				t += "."
			case i == len(c.items)-2:
				t += "; and"
			default:
				t += ";"
			}
			wrap(b, "- "+label, "  ", t)
			for j, s := range it.subs {
				st := g.text(s)
				if last && j == len(it.subs)-1 {
					st += "."
				} else {
					st += ";"
				}
				wrap(b, "  - ("+roman(j+1)+") ", "    ", st)
			}
		}
		b.WriteString("\n")
	}
	if c.table != nil {
		b.WriteString("| " + strings.Join(c.table.head, " | ") + " |\n")
		b.WriteString(strings.Repeat("| --- ", len(c.table.head)) + "|\n")
		for _, r := range c.table.rows {
			b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		}
		b.WriteString("\n")
	}
	if len(c.defs) > 0 {
		b.WriteString("| Expression | Meaning |\n| --- | --- |\n")
		for _, df := range c.defs {
			b.WriteString("| **" + df.term + "** | " + g.text(df.meaning) + " |\n")
		}
		b.WriteString("\n")
	}
	if len(c.tail) > 0 {
		var tail []string
		for _, s := range c.tail {
			tail = append(tail, g.text(s))
		}
		wrap(b, "", "", strings.Join(tail, " "))
		b.WriteString("\n")
	}
}

func roman(n int) string {
	return []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}[(n-1)%10]
}

// text writes the pieces of a sentence, each reference with its target's number today. A
// reference to a clause deleted since is moved to the nearest clause before it that exists.
func (g *generator) text(ps []piece) string {
	var b strings.Builder
	for _, p := range ps {
		if p.ref == nil {
			b.WriteString(p.text)
			continue
		}
		r := p.ref
		switch r.kind {
		case refDoc:
			b.WriteString(r.doc.spec.reference)
		case refPart:
			b.WriteString("Section " + r.part.id())
		case refClause:
			if r.clause.deleted {
				r.clause = nearestLive(r.clause)
				if len(r.clause.items) == 0 {
					r.sub = ""
				}
			}
			t := r.clause.part.doc
			num := r.clause.num() + r.sub
			switch {
			case r.style == 1:
				b.WriteString(num)
			case t.spec.category == "section" && r.style == 0:
				b.WriteString("Section " + num)
			case t.spec.category == "section":
				b.WriteString("Clause " + num)
			default:
				b.WriteString("paragraph " + num)
			}
		}
	}
	return b.String()
}

func nearestLive(c *clause) *clause {
	p := c.part
	at := 0
	for i, it := range p.items {
		if it.c == c {
			at = i
		}
	}
	for i := at - 1; i >= 0; i-- {
		if x := p.items[i].c; x != nil && !x.deleted {
			return x
		}
	}
	for i := at + 1; i < len(p.items); i++ {
		if x := p.items[i].c; x != nil && !x.deleted {
			return x
		}
	}
	return p.doc.live()[0]
}

// wrap writes text as lines of at most width columns: the first line starts with first,
// the others with indent.
func wrap(b *strings.Builder, first, indent, text string) {
	line := first
	fresh := true
	for _, w := range strings.Fields(text) {
		if !fresh && len(line)+1+len(w) > width {
			b.WriteString(line)
			b.WriteByte('\n')
			line, fresh = indent, true
		}
		if fresh {
			line += w
			fresh = false
		} else {
			line += " " + w
		}
	}
	b.WriteString(line)
	b.WriteByte('\n')
}

func (g *generator) writeDocYAML(out string, d *doc) error {
	s := d.spec
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\nreference: %s\nprefix: %s\ncategory: %s\nclassification: %s\n", s.title, s.reference, s.prefix, s.category, s.classification)
	fmt.Fprintf(&b, "parties: [%s]\n", strings.Join(s.parties, ", "))
	var rel []string
	for i, x := range g.docs {
		if x == d {
			for _, k := range []int{i - 1, i + 1} {
				if k >= 0 && k < len(g.docs) {
					rel = append(rel, g.docs[k].spec.id)
				}
			}
		}
	}
	fmt.Fprintf(&b, "related: [%s]\nowner: Code Administrator\nsummary: The %s of the generated code.\n", strings.Join(rel, ", "), strings.ToLower(s.title))
	if s.groups != nil {
		fmt.Fprintf(&b, "groups: [%s]\n", strings.Join(s.groups, ", "))
	}
	if s.people != nil {
		fmt.Fprintf(&b, "people: [%s]\n", strings.Join(s.people, ", "))
	}
	return os.WriteFile(filepath.Join(out, "documents", s.id, "document.yaml"), []byte(b.String()), 0o644)
}

func (g *generator) writeReleases(out string) error {
	for i, rel := range g.rels {
		var ids []string
		for _, m := range rel.mods {
			ids = append(ids, m.id)
		}
		y := fmt.Sprintf("name: %s Release\ndate: %s\nkind: scheduled\nsystems: %t\nmodifications: [%s]\nsummary: Release %d of the generated code, changing %d documents.\n",
			rel.date.Format("January 2006"), rel.date.Format("2006-01-02"), i%3 == 0, strings.Join(ids, ", "), i+1, len(rel.docs))
		if err := os.WriteFile(filepath.Join(out, "releases", rel.id+".yaml"), []byte(y), 0o644); err != nil {
			return err
		}
	}
	for _, m := range g.mods {
		var docs []string
		parties := map[string]bool{}
		for _, d := range m.docs {
			docs = append(docs, d.spec.id)
			for _, p := range d.spec.parties {
				if p == "all" {
					for _, q := range partyIDs {
						parties[q] = true
					}
				} else {
					parties[p] = true
				}
			}
		}
		var ps []string
		for _, p := range partyIDs {
			if parties[p] {
				ps = append(ps, p)
			}
		}
		day := func(days int) string { return m.rel.date.AddDate(0, 0, -days).Format("2006-01-02") }
		var b strings.Builder
		fmt.Fprintf(&b, "id: %s\ntitle: %s\ntype: modification-proposal\npath: self-governance\nstage: implemented\nstatus: approved\n", m.id, m.title)
		fmt.Fprintf(&b, "proposer: Code Administrator\nlead_analyst: A. Analyst\nraised: %s\ndecided: %s\nimplemented: %s\nrelease: %s\n", day(240), day(45), day(0), m.rel.id)
		fmt.Fprintf(&b, "parties: [%s]\ndocuments: [%s]\n", strings.Join(ps, ", "), strings.Join(docs, ", "))
		fmt.Fprintf(&b, "issue: The %s arrangements need to change.\nsolution: Amend the documents listed.\n", strings.ToLower(m.title))
		fmt.Fprintf(&b, "timeline:\n  - date: %s\n    event: Modification Proposal raised\n  - date: %s\n    event: Approved\n", day(240), day(45))
		dir := filepath.Join(out, "modifications", m.id)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "modification.yaml"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) finish() {
	st := &g.stats
	st.Documents = len(g.docs)
	st.Releases = len(g.rels)
	st.Modifications = len(g.mods)
	st.Terms = len(g.terms)
	st.Seed = g.cfg.Seed
	st.WordsPerDocSpec = g.cfg.Words
	st.FirstRelease = g.rels[0].date.Format("2006-01-02")
	st.LastRelease = g.rels[len(g.rels)-1].date.Format("2006-01-02")
	for _, d := range g.docs {
		st.Versions += g.versions[d]
		st.WordsLatest += g.lastWords[d]
		st.ClausesLatest += len(d.live())
	}
	if len(g.rates) > 0 {
		sort.Float64s(g.rates)
		st.ChangeRateMin = g.rates[0]
		st.ChangeRateP05 = g.rates[len(g.rates)*5/100]
		st.ChangeRateP50 = g.rates[len(g.rates)/2]
		st.ChangeRateP95 = g.rates[len(g.rates)*95/100]
		st.ChangeRateMax = g.rates[len(g.rates)-1]
	}
	docs := append([]*doc(nil), g.docs...)
	sort.SliceStable(docs, func(i, j int) bool { return g.lastBytes[docs[i]] > g.lastBytes[docs[j]] })
	big := docs[0]
	st.LargestDoc = big.spec.id
	if n := g.versions[big]; n > 1 {
		st.LargestFrom, st.LargestTo = strconv.Itoa(n-1)+".0", strconv.Itoa(n)+".0"
	}
	var pub []*doc
	for _, d := range docs {
		if d.public && !d.spec.defines {
			pub = append(pub, d)
		}
	}
	if len(pub) > 0 {
		st.MedianDoc = pub[len(pub)/2].spec.id
	} else {
		st.MedianDoc = big.spec.id
	}
}
