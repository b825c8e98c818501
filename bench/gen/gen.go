package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config sizes a generated corpus.
type Config struct {
	Docs     int     // documents (at least 1; the first is the definitions section)
	Versions int     // versions of each document
	Words    int     // average words per document in its first version
	Seed     uint64  // the same seed and sizes give the same corpus, byte for byte
	MinRate  float64 // share of clauses changed per version, drawn between MinRate...
	MaxRate  float64 // ...and MaxRate (before consequential changes to references)
	// ID and Title name the code (default "sec", "Smart Energy Code (generated)").
	ID, Title string
	// Cites are other generated codes this one cites: some sentences that cite a clause
	// cite their Section A instead ("Section A of the Generated Code 2", "GC2 Section A"),
	// which every generated code has from its first release on.
	Cites []CitedSpec
}

// CitedSpec is a generated code another cites, by its title and abbreviation.
type CitedSpec struct {
	ID, Title, Abbrev string
}

// Stats describe what was generated.
type Stats struct {
	Documents       int     `json:"documents"`
	Versions        int     `json:"versions"`
	Releases        int     `json:"releases"`
	Modifications   int     `json:"modifications"`
	Terms           int     `json:"terms"`
	Files           int     `json:"files"`
	Bytes           int64   `json:"bytes"`
	ClauseVersions  int     `json:"clause_versions"`
	WordsLatest     int     `json:"words_latest"`      // words in the latest version of every document
	ClausesLatest   int     `json:"clauses_latest"`    // clauses in the latest version of every document
	ChangeRateMin   float64 `json:"change_rate_min"`   // share of clauses added, deleted or changed per version
	ChangeRateP05   float64 `json:"change_rate_p05"`   // (renumbering and consequential changes included)
	ChangeRateP50   float64 `json:"change_rate_p50"`   //
	ChangeRateP95   float64 `json:"change_rate_p95"`   //
	ChangeRateMax   float64 `json:"change_rate_max"`   //
	LargestDoc      string  `json:"largest_doc"`       // the document with the largest latest version
	LargestFrom     string  `json:"largest_from"`      // its last changed pair of versions
	LargestTo       string  `json:"largest_to"`        //
	MedianDoc       string  `json:"median_doc"`        // a document of median size (for page benchmarks)
	LastRelease     string  `json:"last_release_date"` //
	FirstRelease    string  `json:"first_release_date"`
	Seconds         float64 `json:"seconds"`
	Seed            uint64  `json:"seed"`
	WordsPerDocSpec int     `json:"words_per_doc"`
	// CrossCodeRefs counts the sentences written that cite another code (some are edited
	// away by later versions).
	CrossCodeRefs int `json:"cross_code_refs,omitempty"`
}

type release struct {
	id   string
	date time.Time
	docs []*doc
	mods []*modification
}

type modification struct {
	id    string
	title string
	rel   *release
	docs  []*doc
}

type generator struct {
	cfg   Config
	r     *rand.Rand
	zn    *zipf
	za    *zipf
	zv    *zipf
	zadv  *zipf
	zterm *zipf
	zdoc  *zipf
	docs  []*doc
	terms []string
	rels  []*release
	mods  []*modification
	// prev holds each clause's Markdown in the document's previous version, to measure the
	// share of clauses each version changed.
	prev map[*doc]map[*clause]string
	// built is set once every document has its first version: references may point anywhere.
	built bool
	// versions counts each document's versions written; last is its latest file's size and words.
	versions  map[*doc]int
	lastBytes map[*doc]int
	lastWords map[*doc]int
	stats     Stats
	rates     []float64
}

var partyIDs = []string{"large-supplier", "small-supplier", "electricity-network", "gas-network", "other", "dcc"}

var roleIDs = []string{"import-supplier", "export-supplier", "gas-supplier", "electricity-distributor",
	"gas-transporter", "registered-supplier-agent", "other-user"}

// Generate writes a corpus into out (which must not exist or be empty).
func Generate(cfg Config, out string) (Stats, error) {
	start := time.Now()
	if cfg.Docs < 1 || cfg.Versions < 1 || cfg.Words < 200 {
		return Stats{}, fmt.Errorf("need at least 1 document, 1 version and 200 words per document")
	}
	if cfg.MaxRate < cfg.MinRate || cfg.MinRate < 0 || cfg.MaxRate > 0.5 {
		return Stats{}, fmt.Errorf("change rates must satisfy 0 <= min <= max <= 0.5")
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5eed5eed))
	g := &generator{cfg: cfg, r: r, prev: map[*doc]map[*clause]string{}, versions: map[*doc]int{},
		lastBytes: map[*doc]int{}, lastWords: map[*doc]int{}}
	g.zn = newZipf(r, len(nouns), 1.05)
	g.za = newZipf(r, len(adjectives), 1.0)
	g.zv = newZipf(r, len(verbs), 1.0)
	g.zadv = newZipf(r, len(adverbs), 1.0)
	for _, dir := range []string{"documents", "releases", "modifications"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return Stats{}, err
		}
	}
	if err := os.WriteFile(filepath.Join(out, "code.yaml"), []byte(codeYAMLOf(cfg)), 0o644); err != nil {
		return Stats{}, err
	}
	g.makeTerms()
	g.makeDocs()
	g.zdoc = newZipf(r, len(g.docs), 0.8)
	g.schedule()
	for ri, rel := range g.rels {
		if ri == 0 {
			for _, d := range g.docs {
				g.build(d)
			}
			g.built = true
			for _, d := range g.docs {
				g.addInitialRefs(d)
			}
		} else {
			for _, d := range rel.docs {
				g.change(d)
			}
		}
		for _, d := range rel.docs {
			if err := g.writeVersion(out, d, rel); err != nil {
				return Stats{}, err
			}
		}
	}
	for _, d := range g.docs {
		if err := g.writeDocYAML(out, d); err != nil {
			return Stats{}, err
		}
	}
	if err := g.writeReleases(out); err != nil {
		return Stats{}, err
	}
	g.finish()
	g.stats.Seconds = time.Since(start).Seconds()
	return g.stats, nil
}

// codeYAMLOf is code.yaml of the code cfg names.
func codeYAMLOf(cfg Config) string {
	if cfg.ID == "" && cfg.Title == "" && len(cfg.Cites) == 0 {
		return codeYAML
	}
	id, title := cfg.ID, cfg.Title
	if id == "" {
		id = "sec"
	}
	if title == "" {
		title = "Smart Energy Code (generated)"
	}
	y := strings.Replace(codeYAML, "id: sec\ntitle: Smart Energy Code (generated)\n", "id: "+id+"\ntitle: "+title+"\n", 1)
	if len(cfg.Cites) > 0 {
		var b strings.Builder
		b.WriteString("cites:\n")
		for _, c := range cfg.Cites {
			fmt.Fprintf(&b, "  - code: %s\n    names: [%s, %s]\n", c.ID, c.Title, c.Abbrev)
		}
		y = strings.Replace(y, "categories:\n", b.String()+"categories:\n", 1)
	}
	return y
}

const codeYAML = `id: sec
title: Smart Energy Code (generated)
notice: >-
  Generated by bench/gen for benchmarks. Its shape follows the public shape of the GB Smart
  Energy Code; every sentence was made by a random grammar and means nothing.
parties:
  - id: large-supplier
    name: Large Supplier Party
  - id: small-supplier
    name: Small Supplier Party
  - id: electricity-network
    name: Electricity Network Party
  - id: gas-network
    name: Gas Network Party
  - id: other
    name: Other SEC Party
  - id: dcc
    name: DCC
roles:
  - id: import-supplier
    name: Import Supplier
  - id: export-supplier
    name: Export Supplier
  - id: gas-supplier
    name: Gas Supplier
  - id: electricity-distributor
    name: Electricity Distributor
  - id: gas-transporter
    name: Gas Transporter
  - id: registered-supplier-agent
    name: Registered Supplier Agent
  - id: other-user
    name: Other User
categories:
  - id: section
    name: Sections
  - id: schedule
    name: Schedules
  - id: appendix
    name: Appendices
  - id: framework
    name: Control frameworks
  - id: interpretation
    name: Agreed Interpretations
  - id: guidance
    name: Guidance
  - id: committee
    name: Committee papers
classifications:
  - id: white
    name: White
    description: May be shared with the public.
  - id: green
    name: Green
    description: May be shared with any signed-in member of a Party.
  - id: amber
    name: Amber
    description: Limited to the named groups.
  - id: red
    name: Red
    description: Limited to the named people.
`

// makeTerms invents the defined terms: two or three capitalised words, unique.
func (g *generator) makeTerms() {
	n := min(max(6*g.cfg.Docs, 40), 800)
	seen := map[string]bool{}
	zm := newZipf(g.r, len(termMods), 0.6)
	zh := newZipf(g.r, len(termHeads), 0.6)
	for len(g.terms) < n {
		t := termMods[zm.next()] + " " + termHeads[zh.next()]
		if g.r.IntN(3) == 0 {
			t = termMods[zm.next()] + " " + t
		}
		w := strings.Fields(t)
		if w[0] == w[1] || (len(w) == 3 && w[1] == w[2]) || seen[t] {
			continue
		}
		seen[t] = true
		g.terms = append(g.terms, t)
	}
	g.zterm = newZipf(g.r, len(g.terms), 0.9)
}

// makeDocs lays out the documents, SEC-shaped: the lettered Sections (A defines the terms),
// Schedules, Appendices, the two control frameworks, the Agreed Interpretations, guidance and
// committee papers of each classification. The first ten cover every category, so that a tiny
// corpus has each kind.
func (g *generator) makeDocs() {
	var all []docSpec
	sec := func(l string) docSpec {
		return docSpec{id: "section-" + strings.ToLower(l), reference: "Section " + l, prefix: l,
			category: "section", classification: "white", parties: []string{"all"}}
	}
	sch := func(n int) docSpec {
		return docSpec{id: "schedule-" + strconv.Itoa(n), reference: "Schedule " + strconv.Itoa(n),
			prefix: "S" + string(rune('A'+n-1)), category: "schedule", classification: "white", parties: []string{"all"}}
	}
	var appLetters []string
	for _, a := range "ABC" {
		for _, b := range "ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
			if a == 'A' && b == 'I' {
				continue // AI is the prefix of the Agreed Interpretations
			}
			appLetters = append(appLetters, string(a)+string(b))
		}
	}
	app := func(i int) docSpec {
		l := appLetters[i]
		return docSpec{id: "appendix-" + strings.ToLower(l), reference: "Appendix " + l, prefix: l,
			category: "appendix", classification: "white", parties: []string{"large-supplier", "small-supplier", "dcc"}}
	}
	a := sec("A")
	a.defines = true
	head := []docSpec{a, sec("B"), sec("C"), sch(1), app(0),
		{id: "scf", reference: "Security Controls Framework", prefix: "SCF", category: "framework", classification: "white", parties: []string{"all"}, roles: true},
		{id: "agreed-interpretations", reference: "Agreed Interpretations", prefix: "AI", category: "interpretation", classification: "white", parties: []string{"all"}, roles: true},
		{id: "panel-digest", reference: "Panel Digest", prefix: "PD", category: "committee", classification: "green", parties: []string{"all"}},
		{id: "guidance-testing", reference: "Testing Guidance", prefix: "TG", category: "guidance", classification: "white", parties: []string{"all"}},
		sec("D"),
	}
	all = append(all, head...)
	for _, l := range "EFGHIJKLMNOPQRSTUVWX" {
		all = append(all, sec(string(l)))
	}
	all = append(all,
		docSpec{id: "pcf", reference: "Privacy Controls Framework", prefix: "PCF", category: "framework", classification: "white", parties: []string{"other", "dcc"}, roles: true},
		docSpec{id: "assessment-findings", reference: "Assessment Findings", prefix: "SSCF", category: "committee", classification: "amber", parties: []string{"all"}, groups: []string{"ssc"}},
		docSpec{id: "key-ceremony-record", reference: "Key Ceremony Record", prefix: "KCR", category: "committee", classification: "red", parties: []string{"dcc"}, people: []string{"alice"}},
		docSpec{id: "guidance-enrolment", reference: "Enrolment Guidance", prefix: "EG", category: "guidance", classification: "white", parties: []string{"all"}},
	)
	for n := 2; n <= 11; n++ {
		all = append(all, sch(n))
	}
	for i := 1; i < len(appLetters); i++ {
		all = append(all, app(i))
	}
	if g.cfg.Docs > len(all) {
		// Beyond the SEC's shape: more appendices with three-letter prefixes.
		for i := 0; len(all) < g.cfg.Docs; i++ {
			l := "D" + appLetters[i/len(appLetters)%len(appLetters)][1:] + string(rune('A'+i%26))
			all = append(all, docSpec{id: "appendix-" + strings.ToLower(l), reference: "Appendix " + l, prefix: l,
				category: "appendix", classification: "white", parties: []string{"all"}})
		}
	}
	all = all[:g.cfg.Docs]
	// Sizes vary as in the SEC (a few long Sections, many short Appendices): log-normal
	// weights scaled to the requested mean.
	ws := make([]float64, len(all))
	sum := 0.0
	for i := range all {
		ws[i] = math.Exp(g.r.NormFloat64() * 0.6)
		if all[i].defines {
			ws[i] = 1
		}
		sum += ws[i]
	}
	for i := range all {
		w := ws[i] * float64(len(all)) / sum
		w = min(max(w, 0.15), 4)
		all[i].words = int(w * float64(g.cfg.Words))
		all[i].title = g.title(2 + g.r.IntN(2))
		if all[i].defines {
			all[i].title = "Definitions and Interpretation"
		}
		d := &doc{spec: all[i], public: all[i].classification == "white"}
		g.docs = append(g.docs, d)
	}
}

func (g *generator) title(n int) string {
	var w []string
	for len(w) < n {
		x := headingWords[g.r.IntN(len(headingWords))]
		if len(w) > 0 && w[len(w)-1] == x {
			continue
		}
		w = append(w, x)
	}
	if len(w) == 1 {
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// schedule dates the releases and picks the releases in which each document changes: the
// first release makes every document's first version, and each document then changes in
// Versions-1 of the later ones.
func (g *generator) schedule() {
	v := g.cfg.Versions
	n := v + v/4
	day := time.Date(2014, 1, 6, 0, 0, 0, 0, time.UTC)
	used := map[string]bool{}
	for i := 0; i < n; i++ {
		id := day.Format("2006-01")
		for used[id] {
			day = day.AddDate(0, 0, 31)
			id = day.Format("2006-01")
		}
		used[id] = true
		g.rels = append(g.rels, &release{id: id, date: day})
		day = day.AddDate(0, 0, 50+g.r.IntN(60))
	}
	g.rels[0].docs = append(g.rels[0].docs, g.docs...)
	for _, d := range g.docs {
		later := g.r.Perm(n - 1)[:v-1]
		sort.Ints(later)
		for _, k := range later {
			g.rels[k+1].docs = append(g.rels[k+1].docs, d)
		}
	}
	// Keep each release's documents in document order, and group them into modifications.
	pos := map[*doc]int{}
	for i, d := range g.docs {
		pos[d] = i
	}
	num := 100
	for _, rel := range g.rels[1:] {
		sort.Slice(rel.docs, func(i, j int) bool { return pos[rel.docs[i]] < pos[rel.docs[j]] })
		if len(rel.docs) == 0 {
			continue
		}
		k := min(len(rel.docs), 1+g.r.IntN(4))
		for i := 0; i < k; i++ {
			num += 1 + g.r.IntN(3)
			m := &modification{id: "MP" + strconv.Itoa(num), rel: rel, title: g.title(2)}
			rel.mods = append(rel.mods, m)
			g.mods = append(g.mods, m)
		}
		for i, d := range rel.docs {
			m := rel.mods[i%k]
			m.docs = append(m.docs, d)
		}
	}
}

// ---- text ----

func (g *generator) noun() string { return nouns[g.zn.next()] }
func (g *generator) adj() string  { return adjectives[g.za.next()] }
func (g *generator) verb() string { return verbs[g.zv.next()] }
func (g *generator) term() string { return g.terms[g.zterm.next()] }

func (g *generator) np() string {
	if g.r.IntN(4) == 0 {
		return "the " + g.term()
	}
	det := []string{"the", "any", "each", "a", "such", "every", "that"}[g.r.IntN(7)]
	s := det + " "
	if det == "a" {
		s = ""
	}
	if g.r.IntN(2) == 0 {
		s += g.adj() + " "
	}
	s += g.noun()
	if det == "a" {
		s = article(s) + " " + s
	}
	if g.r.IntN(4) == 0 {
		s += " of the " + g.noun()
	}
	return s
}

func article(w string) string {
	if strings.ContainsRune("aeio", rune(w[0])) {
		return "an"
	}
	return "a"
}

func (g *generator) actor() string {
	switch g.r.IntN(5) {
	case 0:
		return []string{"each party", "the operator", "any supplier", "the panel", "each member"}[g.r.IntN(5)]
	default:
		return "the " + g.term()
	}
}

func (g *generator) vp() string {
	s := g.verb() + " " + g.np()
	switch g.r.IntN(5) {
	case 0:
		s += " " + adverbs[g.zadv.next()]
	case 1:
		s += " to " + g.actor()
	}
	return s
}

func (g *generator) period() string {
	return numberWords[g.r.IntN(len(numberWords))] + " " + timeUnits[g.r.IntN(len(timeUnits))]
}

func (g *generator) cond() string {
	switch g.r.IntN(6) {
	case 0:
		return "within " + g.period() + " after " + g.np()
	case 1:
		return "unless otherwise agreed with " + g.actor()
	case 2:
		return "where " + g.np() + " is " + g.adj()
	case 3:
		return "no later than " + g.period() + " before " + g.np()
	case 4:
		return "in respect of " + g.np()
	default:
		return "at the request of " + g.actor()
	}
}

// sentence is one full sentence, with a reference when withRef is set.
func (g *generator) sentence(d *doc, withRef bool) []piece {
	var s string
	switch g.r.IntN(7) {
	case 0, 1:
		s = g.actor() + " shall " + g.vp()
		if g.r.IntN(2) == 0 {
			s += ", " + g.cond()
		}
	case 2:
		s = g.actor() + " may " + g.vp() + " " + g.cond()
	case 3:
		s = "where " + g.np() + " is " + g.adj() + ", " + g.actor() + " shall " + g.vp()
	case 4:
		s = g.actor() + " shall not " + g.vp() + " unless " + g.actor() + " has given " + g.adj() + " consent"
	case 5:
		s = g.np() + " shall remain " + g.adj() + " until " + g.actor() + " has completed " + g.np()
	default:
		s = g.actor() + " shall " + adverbs[g.zadv.next()] + " " + g.vp()
	}
	s = capitalize(s)
	if !withRef {
		return []piece{{text: s + "."}}
	}
	lead := []string{" in accordance with ", " as described in ", " subject to ", ", save as provided in ", " pursuant to "}[g.r.IntN(5)]
	// (No random number is drawn for a code that cites none: its files stay the same.)
	if cs := g.cfg.Cites; len(cs) > 0 && g.r.IntN(6) == 0 {
		c := cs[g.r.IntN(len(cs))]
		g.stats.CrossCodeRefs++
		if g.r.IntN(2) == 0 {
			return []piece{{text: s + lead + "Section A of the " + c.Title + "."}}
		}
		return []piece{{text: s + lead + c.Abbrev + " Section A."}}
	}
	return []piece{{text: s + lead}, {ref: g.newRef(d)}, {text: "."}}
}

// phrase is a verb phrase for a list item.
func (g *generator) phrase() string {
	switch g.r.IntN(3) {
	case 0:
		return g.vp()
	case 1:
		return g.vp() + " " + g.cond()
	default:
		return g.np() + " that is " + g.adj()
	}
}

func (g *generator) introSentence() []piece {
	s := []string{
		g.actor() + " shall, " + g.cond() + ":",
		g.actor() + " shall ensure that it:",
		"for the purposes of " + g.np() + ", " + g.actor() + " shall:",
		"the following " + g.noun() + " arrangements apply:",
	}[g.r.IntN(4)]
	return []piece{{text: capitalize(s)}}
}

// newRef points at a clause, a part or a document that exists now. A restricted document is
// cited only from itself.
func (g *generator) newRef(from *doc) *ref {
	target := from
	if g.r.IntN(2) == 0 || !from.public {
		for range 8 {
			t := g.docs[g.zdoc.next()]
			if t.public {
				target = t
				break
			}
		}
	}
	x := g.r.IntN(20)
	if x < 2 && target.spec.category == "section" {
		return &ref{kind: refPart, part: target.parts[g.r.IntN(len(target.parts))]}
	}
	if x < 5 && target != from && labelled(target) {
		return &ref{kind: refDoc, doc: target}
	}
	live := target.live()
	c := live[g.r.IntN(len(live))]
	rf := &ref{kind: refClause, clause: c, style: g.r.IntN(3)}
	if len(c.items) > 0 && g.r.IntN(3) == 0 {
		rf.sub = "(" + string(rune('a'+g.r.IntN(len(c.items)))) + ")"
	}
	return rf
}

// labelled reports whether the document's reference is written as a cross-reference that the
// parser links ("Section H", "Appendix AB", "Schedule 3").
func labelled(d *doc) bool {
	return d.spec.category == "section" || d.spec.category == "appendix" || d.spec.category == "schedule"
}

// ---- building ----

func (g *generator) build(d *doc) {
	words := 0
	if d.spec.category == "section" {
		d.intro = fmt.Sprintf("This section sets out the %s arrangements and %s obligations that apply to each party.", g.adj(), g.adj())
	}
	if d.spec.defines {
		words += g.buildDefinitions(d)
	}
	// The first version is made a little smaller than asked: references added once every
	// document exists, and amendments that add more than they remove, bring the latest
	// version to about the size asked for.
	target := d.spec.words * 88 / 100
	for words < target {
		p := g.newPart(d)
		n := 6 + g.r.IntN(30)
		for k := 0; k < n && words < target; k++ {
			if k > 0 && g.r.IntN(12) == 0 {
				p.items = append(p.items, &item{heading: g.title(1 + g.r.IntN(2))})
			}
			c := g.newClause(p, k+1, "")
			p.items = append(p.items, &item{c: c})
			words += g.renderedWords(c)
		}
	}
}

func (g *generator) newPart(d *doc) *part {
	p := &part{doc: d, num: len(d.parts) + 1, title: g.title(1 + g.r.IntN(3))}
	if g.r.IntN(4) == 0 {
		p.parties = g.parties()
	}
	if d.spec.roles && g.r.IntN(2) == 0 {
		p.roles = g.roles()
	}
	d.parts = append(d.parts, p)
	return p
}

func (g *generator) parties() []string {
	if g.r.IntN(8) == 0 {
		return []string{"all"}
	}
	k := 1 + g.r.IntN(3)
	perm := g.r.Perm(len(partyIDs))[:k]
	sort.Ints(perm)
	out := make([]string, k)
	for i, j := range perm {
		out[i] = partyIDs[j]
	}
	return out
}

func (g *generator) roles() []string {
	k := 1 + g.r.IntN(3)
	perm := g.r.Perm(len(roleIDs))[:k]
	sort.Ints(perm)
	out := make([]string, k)
	for i, j := range perm {
		out[i] = roleIDs[j]
	}
	return out
}

// buildDefinitions makes part 1 of the defining document: a clause introducing the
// definitions, then the terms in tables of 25 rows, one clause per table.
func (g *generator) buildDefinitions(d *doc) int {
	p := &part{doc: d, num: 1, title: "Definitions"}
	d.parts = append(d.parts, p)
	words := 0
	c := &clause{part: p, seq: 1, lead: [][]piece{{{text: "In this Code, unless the context otherwise requires, the expressions in the tables of this part have the meanings given to them there."}}}}
	p.items = append(p.items, &item{c: c})
	terms := append([]string(nil), g.terms...)
	sort.Strings(terms)
	for i := 0; i < len(terms); i += 25 {
		c := &clause{part: p, seq: len(p.items) + 1, intro: []piece{{text: "The following expressions have the following meanings:"}}}
		for _, t := range terms[i:min(i+25, len(terms))] {
			c.defs = append(c.defs, &definition{term: t, meaning: g.meaning(d)})
		}
		p.items = append(p.items, &item{c: c})
		words += g.renderedWords(c)
	}
	return words
}

// renderedWords counts the words of a clause as written (numbers, attributes and table
// cells included), so that documents come out at the size asked for.
func (g *generator) renderedWords(c *clause) int {
	var b strings.Builder
	g.renderClause(&b, c)
	return len(strings.Fields(b.String()))
}

func (g *generator) meaning(d *doc) []piece {
	s := "means " + g.np() + " that " + g.actor() + " " + []string{"maintains", "publishes", "operates", "approves", "uses"}[g.r.IntN(5)]
	if g.r.IntN(3) == 0 {
		s += " " + g.cond()
	}
	if g.built && g.r.IntN(6) == 0 {
		// Most definitions point elsewhere; a few cite a clause, once clauses exist.
		return []piece{{text: s + " under "}, {ref: g.newRef(d)}, {text: "."}}
	}
	return []piece{{text: s + "."}}
}

// newClause writes a fresh clause: one to three sentences, often a list of sub-paragraphs,
// sometimes a table or a closing sentence.
func (g *generator) newClause(p *part, seq int, suffix string) *clause {
	c := &clause{part: p, seq: seq, suffix: suffix}
	d := p.doc
	if g.r.IntN(14) == 0 {
		c.parties = g.parties()
	}
	if d.spec.roles && g.r.IntN(10) == 0 {
		c.roles = g.roles()
	}
	n := 1 + g.r.IntN(3)
	for i := 0; i < n; i++ {
		c.lead = append(c.lead, g.sentence(d, false))
	}
	switch x := g.r.IntN(100); {
	case x < 30:
		c.intro = g.introSentence()
		k := 2 + g.r.IntN(4)
		for i := 0; i < k; i++ {
			c.items = append(c.items, g.newItem())
		}
	case x < 35:
		c.intro = []piece{{text: capitalize(g.actor()) + " shall apply the values set out in the following table:"}}
		c.table = g.newTable()
	}
	if g.r.IntN(10) == 0 {
		c.tail = append(c.tail, g.sentence(d, false))
	}
	return c
}

func (g *generator) newItem() listItem {
	it := listItem{text: []piece{{text: g.phrase()}}}
	if g.r.IntN(5) == 0 {
		k := 2 + g.r.IntN(3)
		for j := 0; j < k; j++ {
			it.subs = append(it.subs, []piece{{text: g.phrase()}})
		}
	}
	return it
}

func (g *generator) newTable() *table {
	t := &table{head: []string{capitalize(g.noun()), "Period", "Responsible " + capitalize(g.noun())}}
	k := 3 + g.r.IntN(5)
	for i := 0; i < k; i++ {
		t.rows = append(t.rows, []string{capitalize(g.adj() + " " + g.noun()), strconv.Itoa(1+g.r.IntN(90)) + " " + timeUnits[g.r.IntN(len(timeUnits))], g.term()})
	}
	return t
}

// addInitialRefs gives some clauses of a first version a sentence that cites another clause,
// part or document, once every document exists.
func (g *generator) addInitialRefs(d *doc) {
	for _, c := range d.live() {
		if c.defs != nil {
			continue
		}
		if g.r.IntN(100) < 18 {
			c.lead = append(c.lead, g.sentence(d, true))
		}
	}
}

// ---- changing ----

// change applies one version's worth of edits, insertions, deletions and renumbering to d.
func (g *generator) change(d *doc) {
	live := d.live()
	rate := g.cfg.MinRate + g.r.Float64()*(g.cfg.MaxRate-g.cfg.MinRate)
	budget := max(1, int(math.Round(rate*float64(len(live)))))
	touched := map[*clause]bool{}
	for spent, tries := 0, 0; spent < budget && tries < 50*budget; tries++ {
		live = d.live()
		c := live[g.r.IntN(len(live))]
		if touched[c] {
			continue
		}
		switch x := g.r.IntN(100); {
		case x < 58:
			g.edit(c)
			touched[c] = true
			spent++
		case x < 74:
			if c.defs != nil {
				continue
			}
			n := g.insertAfter(c)
			touched[n] = true
			spent++
		case x < 90:
			if c.defs != nil || len(c.part.clauses()) <= 3 {
				continue
			}
			c.deleted = true
			spent++
		default:
			if k := g.renumber(d, budget-spent); k > 0 {
				spent += k
			}
		}
	}
}

func (g *generator) edit(c *clause) {
	d := c.part.doc
	if c.defs != nil {
		df := c.defs[g.r.IntN(len(c.defs))]
		df.meaning = g.meaning(d)
		return
	}
	switch x := g.r.IntN(100); {
	case x < 35:
		// A few words of one sentence.
		i := g.r.IntN(len(c.lead))
		c.lead[i] = g.reword(c.lead[i])
	case x < 55:
		i := g.r.IntN(len(c.lead))
		c.lead[i] = g.sentence(d, g.r.IntN(100) < 15)
	case x < 70:
		at := g.r.IntN(len(c.lead) + 1)
		s := g.sentence(d, g.r.IntN(100) < 15)
		c.lead = append(c.lead[:at], append([][]piece{s}, c.lead[at:]...)...)
	case x < 80 && len(c.items) > 0:
		if len(c.items) > 2 && g.r.IntN(2) == 0 {
			i := g.r.IntN(len(c.items))
			c.items = append(c.items[:i], c.items[i+1:]...)
		} else {
			c.items = append(c.items, g.newItem())
		}
	case x < 88 && len(c.items) > 0:
		i := g.r.IntN(len(c.items))
		c.items[i].text = g.reword(c.items[i].text)
	case x < 92 && c.table != nil:
		row := c.table.rows[g.r.IntN(len(c.table.rows))]
		row[1] = strconv.Itoa(1+g.r.IntN(90)) + " " + timeUnits[g.r.IntN(len(timeUnits))]
	case x < 96:
		if len(c.tail) > 0 {
			c.tail = nil
		} else {
			c.tail = append(c.tail, g.sentence(d, false))
		}
	default:
		if c.parties == nil {
			c.parties = g.parties()
		} else {
			c.parties = nil
		}
	}
}

// reword replaces one word of a sentence's literal text by another of the same kind.
func (g *generator) reword(s []piece) []piece {
	out := append([]piece(nil), s...)
	for range 6 {
		i := g.r.IntN(len(out))
		if out[i].ref != nil {
			continue
		}
		words := strings.Split(out[i].text, " ")
		j := g.r.IntN(len(words))
		w := strings.TrimRight(words[j], ".,:;")
		punct := words[j][len(w):]
		var rep string
		switch {
		case contains(nouns, w):
			rep = g.noun()
		case contains(adjectives, w):
			rep = g.adj()
		case contains(adverbs, w):
			rep = adverbs[g.zadv.next()]
		case contains(numberWords, w):
			rep = numberWords[g.r.IntN(len(numberWords))]
		default:
			continue
		}
		if rep == w {
			continue
		}
		words[j] = rep + punct
		out[i].text = strings.Join(words, " ")
		return out
	}
	// No word to swap: add a condition instead.
	last := &out[len(out)-1]
	if last.ref == nil && strings.HasSuffix(last.text, ".") {
		last.text = strings.TrimSuffix(last.text, ".") + ", " + g.cond() + "."
	} else {
		out = append(out, piece{text: " " + capitalize(g.actor()) + " shall " + g.vp() + "."})
	}
	return out
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// insertAfter adds a new clause after c, numbered with a letter (H1.4A) as amendments do, or
// at the end of the part with the next number.
func (g *generator) insertAfter(c *clause) *clause {
	p := c.part
	taken := map[string]bool{}
	maxSeq := 0
	for _, x := range p.clauses() {
		taken[strconv.Itoa(x.seq)+x.suffix] = true
		maxSeq = max(maxSeq, x.seq)
	}
	seq, suffix := maxSeq+1, ""
	if g.r.IntN(10) < 7 {
		for l := 'A'; l <= 'Z'; l++ {
			if c.suffix != "" && l <= rune(c.suffix[0]) {
				continue
			}
			if !taken[strconv.Itoa(c.seq)+string(l)] {
				seq, suffix = c.seq, string(l)
				break
			}
		}
	}
	n := g.newClause(p, seq, suffix)
	if g.r.IntN(100) < 18 {
		n.lead = append(n.lead, g.sentence(p.doc, true))
	}
	at := len(p.items)
	if suffix != "" {
		for i, it := range p.items {
			if it.c == c {
				at = i + 1
				// After any deleted clauses that follow, before the next live one.
				for at < len(p.items) && p.items[at].c != nil && p.items[at].c.deleted {
					at++
				}
				break
			}
		}
	}
	p.items = append(p.items[:at], append([]*item{{c: n}}, p.items[at:]...)...)
	return n
}

// renumber numbers the clauses of one part 1, 2, 3... again (folding in inserted H1.4A and
// the gaps of deleted clauses), in a part where that changes at most limit numbers. It
// returns how many clauses got a new number.
func (g *generator) renumber(d *doc, limit int) int {
	type cand struct {
		p *part
		k int
	}
	var cs []cand
	for _, p := range d.parts {
		k := 0
		for i, c := range p.clauses() {
			if c.seq != i+1 || c.suffix != "" {
				k++
			}
		}
		if k > 0 && k <= limit && p.clauses()[0].defs == nil {
			cs = append(cs, cand{p, k})
		}
	}
	if len(cs) == 0 {
		return 0
	}
	c := cs[g.r.IntN(len(cs))]
	for i, x := range c.p.clauses() {
		x.seq, x.suffix = i+1, ""
	}
	return c.k
}

// GenerateSite writes n codes into out/<id>/ (ids gen1...genN, titles "Generated Code 1"...,
// abbreviations GC1...), each from its own seed, each citing the next (the last the first),
// ready for `codenav serve --corpus out/gen1 --corpus out/gen2 ...`.
func GenerateSite(cfg Config, n int, out string) ([]Stats, error) {
	if n < 2 {
		return nil, fmt.Errorf("a site needs at least 2 codes")
	}
	spec := func(i int) CitedSpec {
		return CitedSpec{ID: fmt.Sprintf("gen%d", i+1), Title: fmt.Sprintf("Generated Code %d", i+1), Abbrev: fmt.Sprintf("GC%d", i+1)}
	}
	var all []Stats
	for i := range n {
		c := cfg
		me := spec(i)
		c.ID, c.Title, c.Cites = me.ID, me.Title, []CitedSpec{spec((i + 1) % n)}
		c.Seed = cfg.Seed + uint64(i)*1000003
		st, err := Generate(c, filepath.Join(out, me.ID))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", me.ID, err)
		}
		all = append(all, st)
	}
	return all, nil
}
