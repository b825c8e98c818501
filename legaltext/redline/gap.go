package redline

import (
	"strconv"
	"strings"
)

// item is one paragraph of a node in a gap, or a stand-in for a node that must not be
// paired (a moved node: its text belongs to its partner elsewhere) or has no text.
type item struct {
	node int
	line int // index into the node's lines; -1 for a stand-in
	last bool
}

// gap aligns the nodes between two anchors by their sequence and appends the blocks.
//
// The alignment is made on paragraphs, not nodes: real documents restructure as they are
// rewritten (one paragraph of three sub-clauses becomes three paragraphs), and pairing whole
// nodes would then show everything as deleted and inserted. Identical paragraphs are matched
// by a longest common subsequence, similar ones by similarity. The result is cut into blocks
// wherever both versions are at a node boundary: one old node against one new node is a
// changed (or equal) block, a node alone is deleted or inserted, and nodes whose paragraphs
// cross-match are one block together.
func (c *comparer) gap(r *Redline, oldOf map[int]int, olds, news []int) {
	oi := c.items(c.old, olds, c.oldTo)
	ni := c.items(c.new, news, c.newTo)
	if len(oi) == 0 || len(ni) == 0 {
		for _, it := range oi {
			if it.last {
				c.emitOld(r, oldOf, it.node)
			}
		}
		for _, it := range ni {
			if it.last {
				c.emitNew(r, oldOf, it.node)
			}
		}
		return
	}
	ok := c.itemKeys(c.old, oi, "o")
	nk := c.itemKeys(c.new, ni, "n")
	osets := make([][]uint32, len(oi))
	nsets := make([][]uint32, len(ni))
	sim := func(x, y int) float64 {
		a, b := oi[x], ni[y]
		if a.line < 0 || b.line < 0 {
			return 0
		}
		if osets[x] == nil {
			osets[x] = lineWords(c.old.lns[a.node][a.line].rest(), c.words)
		}
		if nsets[y] == nil {
			nsets[y] = lineWords(c.new.lns[b.node][b.line].rest(), c.words)
		}
		return jaccard(osets[x], nsets[y])
	}
	pairs := matchSequence(ok, nk, sim, seqSim, false)
	// The aligned sequence: pairs in order, the unpaired old before the unpaired new.
	type step struct{ o, n int }
	steps := make([]step, 0, len(oi)+len(ni))
	x, y := 0, 0
	flushTo := func(tx, ty int) {
		for ; x < tx; x++ {
			steps = append(steps, step{x, -1})
		}
		for ; y < ty; y++ {
			steps = append(steps, step{-1, y})
		}
	}
	for _, p := range pairs {
		flushTo(p[0], p[1])
		steps = append(steps, step{x, y})
		x, y = x+1, y+1
	}
	flushTo(len(oi), len(ni))

	var seg []step
	emit := func() {
		if len(seg) == 0 {
			return
		}
		var on, nn []int
		for _, s := range seg {
			if s.o >= 0 && (len(on) == 0 || on[len(on)-1] != oi[s.o].node) {
				on = append(on, oi[s.o].node)
			}
			if s.n >= 0 && (len(nn) == 0 || nn[len(nn)-1] != ni[s.n].node) {
				nn = append(nn, ni[s.n].node)
			}
		}
		switch {
		case len(nn) == 0:
			c.emitOld(r, oldOf, on[0])
		case len(on) == 0:
			c.emitNew(r, oldOf, nn[0])
		case len(on) == 1 && len(nn) == 1 && c.oldTo[on[0]] < 0 && c.newTo[nn[0]] < 0:
			r.Blocks = append(r.Blocks, c.paired(on[0], nn[0]))
		default:
			b := Block{Kind: ChangeChanged, Node: c.new.nodes[nn[0]].Kind, Level: c.new.nodes[nn[0]].Level}
			for _, s := range seg {
				switch {
				case s.o >= 0 && s.n >= 0:
					b.Lines = append(b.Lines, diffLine(c.old.lns[oi[s.o].node][oi[s.o].line], c.new.lns[ni[s.n].node][ni[s.n].line]))
				case s.o >= 0 && oi[s.o].line >= 0:
					b.Lines = append(b.Lines, deletedLine(c.old.lns[oi[s.o].node][oi[s.o].line]))
				case s.o >= 0:
					// A moved node caught inside a restructured passage: its old text
					// left from here.
					b.Lines = append(b.Lines, whole(c.old.lns[oi[s.o].node], ChangeDeleted, OpDelete)...)
				case s.n >= 0 && ni[s.n].line >= 0:
					b.Lines = append(b.Lines, insertedLine(c.new.lns[ni[s.n].node][ni[s.n].line]))
				case s.n >= 0:
					b.Lines = append(b.Lines, whole(c.new.lns[ni[s.n].node], ChangeInserted, OpInsert)...)
				}
			}
			b.Wording = joinKeys(c.old, on) != joinKeys(c.new, nn)
			if !b.Wording {
				b.Kind = ChangeEqual
			} else {
				// A passage restructured across clauses: it is in each of them.
				for _, k := range nn {
					addWhere(&b, citation(c.new.nodes[k]))
					b.Spans = appendID(b.Spans, c.new.nodes[k])
				}
				for _, k := range on {
					addWhere(&b, citation(c.old.nodes[k]))
					b.Spans = appendID(b.Spans, c.old.nodes[k])
				}
			}
			r.Blocks = append(r.Blocks, b)
		}
		seg = seg[:0]
	}
	openO, openN := false, false
	for _, s := range steps {
		if !openO && !openN {
			emit()
		}
		seg = append(seg, s)
		if s.o >= 0 {
			openO = !oi[s.o].last
		}
		if s.n >= 0 {
			openN = !ni[s.n].last
		}
	}
	emit()
}

// items lists the paragraphs of the nodes of a gap. A node without text is left out, unless
// it is moved (its partner elsewhere needs it); a moved node is a single stand-in.
func (c *comparer) items(s *side, nodes []int, to []int) []item {
	var out []item
	for _, i := range nodes {
		ls := s.lns[i]
		if to[i] >= 0 || len(ls) == 0 {
			if to[i] >= 0 {
				out = append(out, item{node: i, line: -1, last: true})
			}
			continue
		}
		for k := range ls {
			out = append(out, item{node: i, line: k, last: k == len(ls)-1})
		}
	}
	return out
}

// itemKeys are the texts compared for identity: a paragraph's words without its list
// number; a stand-in gets a key no other item has.
func (c *comparer) itemKeys(s *side, its []item, tag string) []string {
	keys := make([]string, len(its))
	for k, it := range its {
		if it.line < 0 {
			keys[k] = "\x00" + tag + strconv.Itoa(it.node)
			continue
		}
		keys[k] = s.lns[it.node][it.line].rest()
	}
	return keys
}

func joinKeys(s *side, nodes []int) string {
	parts := make([]string, 0, len(nodes))
	for _, i := range nodes {
		if s.norm[i] != "" {
			parts = append(parts, s.norm[i])
		}
	}
	return strings.Join(parts, " ")
}

// emitOld appends the block of an old node that has no partner here: deleted, or the place
// a moved node left.
func (c *comparer) emitOld(r *Redline, oldOf map[int]int, i int) {
	if c.oldTo[i] >= 0 {
		oldOf[len(r.Blocks)] = i
		r.Blocks = append(r.Blocks, c.movedAway(i))
		return
	}
	r.Blocks = append(r.Blocks, c.deleted(i))
}

// emitNew appends the block of a new node that has no partner here: inserted, or moved here.
func (c *comparer) emitNew(r *Redline, oldOf map[int]int, j int) {
	if i := c.newTo[j]; i >= 0 {
		oldOf[len(r.Blocks)] = i
		r.Blocks = append(r.Blocks, c.moved(i, j))
		return
	}
	r.Blocks = append(r.Blocks, c.inserted(j))
}
