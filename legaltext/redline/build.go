package redline

import "codenav/legaltext"

// build lays the aligned nodes out as blocks in the order of the new version. A node of the
// old version that has no partner in order (deleted, or moved elsewhere) is placed straight
// after the new place of the nearest old node before it that kept its order, so that reading
// the blocks with every change rejected gives the old version in its own order.
func (c *comparer) build() *Redline {
	r := &Redline{}
	after := make([][]int, len(c.new.nodes)+1)
	anchor := -1
	for i := range c.old.nodes {
		if j := c.oldTo[i]; j >= 0 && !c.movedOld[i] {
			anchor = j
			continue
		}
		after[anchor+1] = append(after[anchor+1], i)
	}
	// oldOf remembers the old node behind each moved block, to link the two halves.
	oldOf := map[int]int{}
	emitOld := func(list []int) {
		for _, i := range list {
			if c.oldTo[i] >= 0 {
				oldOf[len(r.Blocks)] = i
				r.Blocks = append(r.Blocks, c.movedAway(i))
			} else {
				r.Blocks = append(r.Blocks, c.deleted(i))
			}
		}
	}
	emitOld(after[0])
	for j := range c.new.nodes {
		i := c.newTo[j]
		switch {
		case i < 0:
			r.Blocks = append(r.Blocks, c.inserted(j))
		case c.movedOld[i]:
			oldOf[len(r.Blocks)] = i
			r.Blocks = append(r.Blocks, c.moved(i, j))
		default:
			r.Blocks = append(r.Blocks, c.paired(i, j))
		}
		emitOld(after[j+1])
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
	b := Block{Kind: ChangeInserted, NewID: explicitID(n), Node: n.Kind, Level: n.Level, Wording: true}
	b.Lines = whole(c.new.lines(j), ChangeInserted, OpInsert)
	return b
}

func (c *comparer) deleted(i int) Block {
	n := c.old.nodes[i]
	b := Block{Kind: ChangeDeleted, OldID: explicitID(n), Node: n.Kind, Level: n.Level, Wording: true}
	b.Lines = whole(c.old.lines(i), ChangeDeleted, OpDelete)
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
	return b
}

// paired compares two nodes that are the same block of the two versions.
func (c *comparer) paired(i, j int) Block {
	on, nn := c.old.nodes[i], c.new.nodes[j]
	b := Block{OldID: explicitID(on), NewID: explicitID(nn), Node: nn.Kind, Level: nn.Level}
	renumbered := on.Explicit && nn.Explicit && on.ID != nn.ID
	if c.old.norm[i] == c.new.norm[j] {
		b.Kind = ChangeEqual
		if renumbered {
			b.Kind = ChangeRenumbered
		}
		b.Lines = whole(c.new.lines(j), ChangeEqual, OpEqual)
		return b
	}
	b.Wording = true
	b.Kind = ChangeChanged
	if renumbered {
		b.Kind = ChangeRenumbered
	}
	b.Lines = alignLines(c.old.lines(i), c.new.lines(j))
	return b
}

// whole makes lines of one kind from the paragraphs of a node.
func whole(ls []srcLine, k Change, op OpKind) []Line {
	out := make([]Line, 0, len(ls))
	for _, l := range ls {
		out = append(out, Line{Kind: k, Style: l.style, Ops: opsOf(op, l.text)})
	}
	return out
}
