package redline

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"codenav/legaltext"
)

// build lays the aligned nodes out as blocks in the order of the new version, each gap
// between two anchors (pairs that kept their order) before its anchor. Inside a gap, nodes
// deleted or moved away stay where they were, so that the blocks read with every change
// rejected give the old version in its own order, and with every change accepted the new.
func (c *comparer) build() *Redline {
	r := &Redline{}
	// The anchors are compared side by side first: each pair is independent of the others,
	// and they are most of the work in a document with ids.
	anchored := make([]Block, len(c.anchors))
	parallel(len(c.anchors), func(k int) { anchored[k] = c.paired(c.anchors[k][0], c.anchors[k][1]) })
	// oldOf remembers the old node behind each moved block, to link the two halves.
	oldOf := map[int]int{}
	pi, pj := -1, -1
	for k, a := range append(c.anchors, [2]int{len(c.old.nodes), len(c.new.nodes)}) {
		c.gap(r, oldOf, seq(pi+1, a[0]), seq(pj+1, a[1]))
		if k < len(anchored) {
			r.Blocks = append(r.Blocks, anchored[k])
		}
		pi, pj = a[0], a[1]
	}
	n := 0
	byOld := map[int][2]int{} // old node -> change numbers of (moved-away, moved)
	for k := range r.Blocks {
		b := &r.Blocks[k]
		if b.Kind != ChangeEqual {
			n++
			b.Change = n
		}
		if i, ok := oldOf[k]; ok {
			t := byOld[i]
			if b.Kind == ChangeMovedAway {
				t[0] = n
			} else {
				t[1] = n
			}
			byOld[i] = t
		}
	}
	for k, i := range oldOf {
		b := &r.Blocks[k]
		if b.Kind == ChangeMovedAway {
			b.Pair = byOld[i][1]
		} else {
			b.Pair = byOld[i][0]
		}
	}
	for _, b := range r.Blocks {
		if b.Kind == ChangeMovedAway {
			continue
		}
		r.Summary.Blocks.add(b.Kind)
		if b.Node == legaltext.KindClause {
			r.Summary.Clauses.add(b.Kind)
		}
	}
	r.Summary.Changes = countItems(r)
	r.Summary.Changes.Unchanged = r.Summary.Blocks.Unchanged
	if r.Summary.Clauses.Total() > 0 {
		r.Summary.Changes.Unchanged = r.Summary.Clauses.Unchanged
	}
	return r
}

func explicitID(n *legaltext.Node) string {
	if n.Explicit {
		return n.ID
	}
	return ""
}

func (c *comparer) inserted(j int) Block {
	n := c.new.nodes[j]
	b := Block{Kind: ChangeInserted, NewID: explicitID(n), Node: n.Kind, Level: n.Level, Wording: c.new.norm[j] != ""}
	b.Lines = whole(c.new.lines(j), ChangeInserted, OpInsert)
	locate(&b, nil, n)
	return b
}

func (c *comparer) deleted(i int) Block {
	n := c.old.nodes[i]
	b := Block{Kind: ChangeDeleted, OldID: explicitID(n), Node: n.Kind, Level: n.Level, Wording: c.old.norm[i] != ""}
	b.Lines = whole(c.old.lines(i), ChangeDeleted, OpDelete)
	locate(&b, n, nil)
	return b
}

// movedAway is the place a moved node left: its old text, all deleted.
func (c *comparer) movedAway(i int) Block {
	b := c.deleted(i)
	b.Kind = ChangeMovedAway
	b.NewID = explicitID(c.new.nodes[c.oldTo[i]])
	return b
}

// moved is a node at its new place: its new text, all inserted, and its word changes
// against the old text in Diff.
func (c *comparer) moved(i, j int) Block {
	b := c.paired(i, j)
	b.Diff = b.Lines
	b.Kind = ChangeMoved
	b.Lines = whole(c.new.lines(j), ChangeInserted, OpInsert)
	locate(&b, nil, c.new.nodes[j])
	return b
}

// paired compares two nodes that are the same block of the two versions.
func (c *comparer) paired(i, j int) Block {
	on, nn := c.old.nodes[i], c.new.nodes[j]
	b := Block{OldID: explicitID(on), NewID: explicitID(nn), Node: nn.Kind, Level: nn.Level}
	renumbered := on.Explicit && nn.Explicit && on.ID != nn.ID
	b.Kind = ChangeEqual
	switch {
	case c.old.full[i] == c.new.full[j]:
		b.Lines = whole(c.new.lines(j), ChangeEqual, OpEqual)
	case c.old.norm[i] == c.new.norm[j]:
		// Only list numbers or HTML comments differ: the ops show it, but it is no change
		// of wording.
		b.Lines = alignLines(c.old.lines(i), c.new.lines(j))
	default:
		b.Wording = true
		b.Kind = ChangeChanged
		b.Lines = alignLines(c.old.lines(i), c.new.lines(j))
	}
	if renumbered {
		b.Kind = ChangeRenumbered
	}
	if b.Kind != ChangeEqual {
		locate(&b, on, nn)
	}
	return b
}

// locate files each line of a block under the unit it belongs to, and cites in b.Where the
// units where it changed. on and nn are the block's old and new nodes (nil where it has
// none). Nodes numbered in the SEC's convention have no units: nothing is set.
func locate(b *Block, on, nn *legaltext.Node) {
	if (on == nil || len(on.Units) == 0) && (nn == nil || len(nn.Units) == 0) && !cited(on) && !cited(nn) {
		return
	}
	units := make([]string, len(b.Lines))
	depths := make([]int, len(b.Lines))
	side := func(n *legaltext.Node, keep OpKind) {
		if n == nil || len(n.Units) == 0 {
			return
		}
		var texts []string
		var at []int
		for k, l := range b.Lines {
			if t := l.text(keep); t != "" {
				texts, at = append(texts, t), append(at, k)
			}
		}
		for m, u := range n.LocateUnits(texts) {
			if u >= 0 && units[at[m]] == "" {
				units[at[m]] = n.Units[u].Label
				depths[at[m]] = n.Units[u].Level
			}
		}
	}
	side(nn, OpInsert)
	side(on, OpDelete)
	own := citation(nn)
	if own == "" {
		own = citation(on)
	}
	add := func(w string) { addWhere(b, w) }
	for k := range b.Lines {
		b.Lines[k].Unit, b.Lines[k].Depth = units[k], depths[k]
	}
	if b.Kind == ChangeInserted || b.Kind == ChangeDeleted || b.Kind == ChangeMovedAway || b.Kind == ChangeMoved {
		add(own)
		return
	}
	for k, l := range b.Lines {
		if !l.changed() {
			continue
		}
		if units[k] != "" {
			add(units[k])
		} else {
			add(own)
		}
	}
	if len(b.Where) == 0 {
		add(own)
	}
}

// cited reports whether n is a clause of a scheme other than the SEC's (which cites it by
// its Number, "§ 14a").
func cited(n *legaltext.Node) bool {
	return n != nil && n.Kind == legaltext.KindClause && n.Number != ""
}

// addWhere adds a citation to b.Where once.
func addWhere(b *Block, w string) {
	if w != "" && !slices.Contains(b.Where, w) {
		b.Where = append(b.Where, w)
	}
}

// appendID adds the author-written id of n to ids once.
func appendID(ids []string, n *legaltext.Node) []string {
	if id := explicitID(n); id != "" && !slices.Contains(ids, id) {
		return append(ids, id)
	}
	return ids
}

func citation(n *legaltext.Node) string {
	if !cited(n) {
		return ""
	}
	return n.Number
}

// changed reports whether a line has any inserted or deleted text.
func (l Line) changed() bool {
	if l.Kind != ChangeEqual {
		return true
	}
	for _, op := range l.Ops {
		if op.Kind != OpEqual {
			return true
		}
	}
	return false
}

// whole makes lines of one kind from the paragraphs of a node.
func whole(ls []srcLine, k Change, op OpKind) []Line {
	out := make([]Line, 0, len(ls))
	for _, l := range ls {
		out = append(out, Line{Kind: k, Style: l.style, Level: l.level, Ops: opsOf(op, l.text)})
	}
	return out
}

// parallel runs f(0) … f(n-1) on as many goroutines as there are processors.
func parallel(n int, f func(k int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for k := range n {
			f(k)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
				f(k)
			}
		})
	}
	wg.Wait()
}
