package redline

import (
	"sort"

	"codenav/legaltext"
)

// Thresholds of similarity (Jaccard index of the sets of words, case folded).
const (
	// renumberSim: a clause without a partner of its own id is the same clause as an unpaired
	// one of another id when they share this much of their words.
	renumberSim = 0.6
	// sameIDSim: two clauses of the same id are paired at once when they share this much;
	// below it, a better partner of another id may take one of them first.
	sameIDSim = 0.5
	// sureSim: two clauses of the same id this similar are paired before any other is
	// considered.
	sureSim = 0.7
	// sameIDBonus favours the partner of the same id over an equally similar one.
	sameIDBonus = 0.15
	// seqSim: in text without ids, two paragraphs at corresponding places are one changed
	// paragraph when they share this much; below it, one is deleted and the other inserted.
	seqSim = 0.25
	// lineSim: the same, for the paragraphs inside a changed clause.
	lineSim = 0.3
	// minRenumberWords: identical text under another id is only taken as a renumbering when
	// it has at least this many words ("[Not used]" is not evidence of anything).
	minRenumberWords = 4
)

// Bounds that keep the alignment near-linear on documents of thousands of nodes.
const (
	// maxPairCandidates bounds the similarity computations among unpaired clauses; beyond
	// it, each is compared only with those within renumberWindow places of it.
	maxPairCandidates = 40000
	renumberWindow    = 25
	// dpChunk is the side of the largest square dynamic programme run over unmatched
	// paragraphs; longer runs are cut into chunks along the diagonal.
	dpChunk = 150
)

// Compare compares two parsed versions of a document. Either may be nil or empty. It never
// fails: invalid UTF-8 and characters XML cannot carry are replaced first (see CleanText).
func Compare(old, new *legaltext.Doc) *Redline {
	c := &comparer{words: map[string]uint32{}}
	c.old, c.new = newSides(old, new)
	c.run()
	return c.build()
}

type comparer struct {
	old, new *side
	// oldTo[i] is the new node paired with old node i, or -1; newTo the reverse.
	oldTo, newTo []int
	// moved[i] is true for an old node paired out of order (with moved[j] for its partner).
	movedOld []bool
	// anchors are the pairs that keep their order, sorted; between two of them lies a gap
	// of nodes aligned by their sequence (all of a document that has no ids).
	anchors [][2]int
	words   map[string]uint32
}

func (c *comparer) run() {
	c.oldTo = fill(len(c.old.nodes))
	c.newTo = fill(len(c.new.nodes))
	c.movedOld = make([]bool, len(c.old.nodes))
	c.pairByID()
	c.anchors = c.backbone()
}

func fill(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

func (c *comparer) pair(i, j int) {
	c.oldTo[i], c.newTo[j] = j, i
}

// pairByID pairs nodes with author-written ids: same id and same text first, then the same
// text under another id (a renumbering), then by similarity with a preference for the same
// id, then whatever same-id pairs are left however different their text.
func (c *comparer) pairByID() {
	o, n := c.old, c.new
	oldByID := map[string]int{}
	for i, nd := range o.nodes {
		if nd.Explicit {
			if _, dup := oldByID[nd.ID]; !dup {
				oldByID[nd.ID] = i
			}
		}
	}
	if len(oldByID) == 0 {
		return
	}
	sameID := func(j int) (int, bool) {
		nd := n.nodes[j]
		if !nd.Explicit {
			return 0, false
		}
		i, ok := oldByID[nd.ID]
		if !ok || o.nodes[i].Kind != nd.Kind || c.oldTo[i] >= 0 || c.newTo[j] >= 0 {
			return 0, false
		}
		return i, true
	}
	for j := range n.nodes {
		if i, ok := sameID(j); ok && o.body(i) == n.body(j) {
			c.pair(i, j)
		}
	}
	// The same text under another id.
	byBody := map[string][]int{}
	for i, nd := range o.nodes {
		if nd.Explicit && c.oldTo[i] < 0 && o.wordCount(i) >= minRenumberWords {
			byBody[o.body(i)] = append(byBody[o.body(i)], i)
		}
	}
	for j, nd := range n.nodes {
		if !nd.Explicit || c.newTo[j] >= 0 {
			continue
		}
		best, bestD := -1, 0.0
		for _, i := range byBody[n.body(j)] {
			if c.oldTo[i] >= 0 || o.nodes[i].Kind != nd.Kind {
				continue
			}
			if d := relDist(i, len(o.nodes), j, len(n.nodes)); best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			c.pair(best, j)
		}
	}
	// The same id and nearly the same text: no other clause can be a better partner, and
	// pairing these first keeps the search among the rest small.
	for j := range n.nodes {
		if i, ok := sameID(j); ok && c.sim(i, j) >= sureSim {
			c.pair(i, j)
		}
	}
	// By similarity: candidates scored, best first.
	var uo, un []int
	for i, nd := range o.nodes {
		if nd.Explicit && c.oldTo[i] < 0 {
			uo = append(uo, i)
		}
	}
	for j, nd := range n.nodes {
		if nd.Explicit && c.newTo[j] < 0 {
			un = append(un, j)
		}
	}
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	for _, j := range un {
		if i, ok := sameID(j); ok {
			if s := c.sim(i, j); s >= sameIDSim {
				cands = append(cands, cand{i, j, s + sameIDBonus})
			}
		}
	}
	all := len(uo)*len(un) <= maxPairCandidates
	for rj, j := range un {
		lo, hi := 0, len(uo)
		if !all {
			mid := rj * len(uo) / max(len(un), 1)
			lo, hi = max(0, mid-renumberWindow), min(len(uo), mid+renumberWindow+1)
		}
		nj := len(n.wordSet(j, c.words))
		for _, i := range uo[lo:hi] {
			if o.nodes[i].Kind != n.nodes[j].Kind || o.nodes[i].ID == n.nodes[j].ID {
				continue
			}
			// The index cannot reach the threshold when one set is much smaller.
			if ni := len(o.wordSet(i, c.words)); float64(min(ni, nj)) < renumberSim*float64(max(ni, nj)) {
				continue
			}
			if s := c.sim(i, j); s >= renumberSim {
				cands = append(cands, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	for _, cd := range cands {
		if c.oldTo[cd.i] < 0 && c.newTo[cd.j] < 0 {
			c.pair(cd.i, cd.j)
		}
	}
	for _, j := range un {
		if i, ok := sameID(j); ok {
			c.pair(i, j)
		}
	}
}

// relDist is how far apart two places are, as fractions of their documents.
func relDist(i, m, j, n int) float64 {
	d := float64(i)/float64(max(m, 1)) - float64(j)/float64(max(n, 1))
	if d < 0 {
		return -d
	}
	return d
}

// backbone returns the pairs made so far that keep their order, as (old, new) sorted by
// both; the other pairs are marked moved. Of the chains of pairs in order, it keeps the one
// with the most pairs and, among those, the most text unchanged: when two clauses swap, the
// one that was also edited is the one shown as moved.
func (c *comparer) backbone() [][2]int {
	var ps [][2]int
	var ws []int64
	for j, i := range c.newTo {
		if i >= 0 {
			ps = append(ps, [2]int{i, j})
			w := int64(1) << 32
			if c.old.full[i] == c.new.full[j] {
				w += int64(len(c.new.full[j]))
			}
			ws = append(ws, w)
		}
	}
	keep := heaviestChain(ps, ws, len(c.old.nodes))
	var out [][2]int
	for k, p := range ps {
		if keep[k] {
			out = append(out, p)
		} else {
			c.movedOld[p[0]] = true
		}
	}
	return out
}

// heaviestChain marks the subsequence of ps (sorted by new index) that is increasing in old
// index (below m) and has the greatest total weight. O(n log m) with a Fenwick tree of
// prefix maxima.
func heaviestChain(ps [][2]int, ws []int64, m int) []bool {
	type best struct {
		sum int64
		at  int // index into ps, -1 for none
	}
	tree := make([]best, m+1)
	for k := range tree {
		tree[k].at = -1
	}
	query := func(i int) best { // max over old indexes < i
		b := best{at: -1}
		for ; i > 0; i -= i & -i {
			if tree[i].sum > b.sum {
				b = tree[i]
			}
		}
		return b
	}
	update := func(i int, v best) { // at old index i
		for i++; i <= m; i += i & -i {
			if v.sum > tree[i].sum {
				tree[i] = v
			}
		}
	}
	prev := make([]int, len(ps))
	top := best{at: -1}
	for k, p := range ps {
		q := query(p[0])
		prev[k] = q.at
		v := best{sum: q.sum + ws[k], at: k}
		update(p[0], v)
		if v.sum > top.sum {
			top = v
		}
	}
	keep := make([]bool, len(ps))
	for k := top.at; k >= 0; k = prev[k] {
		keep[k] = true
	}
	return keep
}

// sim is the similarity of old node i and new node j.
func (c *comparer) sim(i, j int) float64 {
	if c.old.norm[i] == c.new.norm[j] {
		return 1
	}
	return jaccard(c.old.wordSet(i, c.words), c.new.wordSet(j, c.words))
}

// SameWording reports whether two nodes have the same words as a redline sees them:
// whitespace, wrapping, the numbers of ordered list items and HTML comments are layout. A
// list of changes that agrees with the redline compares clauses with it.
func SameWording(a, b *legaltext.Node) bool {
	sa := newSide(&legaltext.Doc{Nodes: []*legaltext.Node{a}})
	sb := newSide(&legaltext.Doc{Nodes: []*legaltext.Node{b}})
	sa.prepare(0)
	sb.prepare(0)
	return sa.norm[0] == sb.norm[0]
}
