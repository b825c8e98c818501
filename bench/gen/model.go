package main

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The generator keeps every document as a tree of parts and clauses whose text is a list of
// pieces: literal text and cross-references. A reference points at a clause, a part or a
// document object, not at a number, so that it is written with the number its target has on
// the date of the version being written, and a reference whose target was deleted is moved
// to a clause that exists (a consequential change, as drafters make them).

type docSpec struct {
	id, title, reference, prefix, category, classification string
	parties                                                []string
	groups, people                                         []string
	roles                                                  bool // clauses and parts may name User Roles
	defines                                                bool // holds the definitions tables
	words                                                  int  // target size of the first version
}

type doc struct {
	spec   docSpec
	parts  []*part
	intro  string
	public bool
}

type part struct {
	doc     *doc
	num     int
	title   string
	parties []string
	roles   []string
	items   []*item
}

// item is a sub-heading or a clause, in order, inside a part.
type item struct {
	heading string  // a ### sub-heading when set
	c       *clause // otherwise a clause
}

type clause struct {
	part    *part
	seq     int
	suffix  string // "A", "B": a clause inserted after another without renumbering
	parties []string
	roles   []string
	// lead is the clause's sentences; intro, when set, is the sentence ending with a colon
	// that introduces its list, table or definitions.
	lead    [][]piece
	intro   []piece
	items   []listItem
	table   *table
	defs    []*definition // a definitions table (the defining document only)
	tail    [][]piece
	deleted bool
}

type listItem struct {
	text []piece
	subs [][]piece
}

type table struct {
	head []string
	rows [][]string
}

type definition struct {
	term    string
	meaning []piece
}

// piece is literal text or a reference.
type piece struct {
	text string
	ref  *ref
}

type refKind int

const (
	refClause refKind = iota
	refPart
	refDoc
)

type ref struct {
	kind   refKind
	clause *clause
	part   *part
	doc    *doc
	sub    string // "(b)" for a sub-paragraph of the clause
	style  int    // how the reference is written
}

func (c *clause) num() string {
	return c.part.doc.spec.prefix + strconv.Itoa(c.part.num) + "." + strconv.Itoa(c.seq) + c.suffix
}

func (p *part) id() string { return p.doc.spec.prefix + strconv.Itoa(p.num) }

// live returns the clauses of d that exist now, in order.
func (d *doc) live() []*clause {
	var out []*clause
	for _, p := range d.parts {
		for _, it := range p.items {
			if it.c != nil && !it.c.deleted {
				out = append(out, it.c)
			}
		}
	}
	return out
}

func (p *part) clauses() []*clause {
	var out []*clause
	for _, it := range p.items {
		if it.c != nil && !it.c.deleted {
			out = append(out, it.c)
		}
	}
	return out
}

// zipf draws indexes of a list of n words, the first ones most often.
type zipf struct {
	r   *rand.Rand
	cdf []float64
}

func newZipf(r *rand.Rand, n int, s float64) *zipf {
	z := &zipf{r: r, cdf: make([]float64, n)}
	sum := 0.0
	for i := 0; i < n; i++ {
		sum += 1 / math.Pow(float64(i+1), s)
		z.cdf[i] = sum
	}
	for i := range z.cdf {
		z.cdf[i] /= sum
	}
	return z
}

func (z *zipf) next() int {
	u := z.r.Float64()
	lo, hi := 0, len(z.cdf)-1
	for lo < hi {
		m := (lo + hi) / 2
		if z.cdf[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
