package redline

import (
	"strconv"
	"strings"
)

// Item is one change as a reader counts it: a block that changed, or, in a clause whose
// table rows changed, each of those rows. The definitions of Section A1.1 are the rows of one
// table in one clause; changing two of them is two changes, each named by its term, not one
// change to search through.
type Item struct {
	// Change is the number of the block the change is in (Block.Change).
	Change int
	// Line is, for a row, its place among the block's lines, from 1 (the HTML redline's
	// anchor of the row is "rl-c<Change>-r<Line>"); 0 for the block itself.
	Line int
	// Kind is what happened: to the block, or to the row (inserted, deleted or changed).
	Kind Change
	// Label names the block ("A1.1", "H14.6 → H14.5"; its first words when it has no id).
	Label string
	// Term is, for a row, its first cell: the expression a definition defines.
	Term string
}

// Anchor is the id of the change in the HTML redline (without HTMLOptions.IDPrefix).
func (it Item) Anchor() string {
	a := "rl-c" + strconv.Itoa(it.Change)
	if it.Line > 0 {
		a += "-r" + strconv.Itoa(it.Line)
	}
	return a
}

// Items lists the changes of the redline as a reader counts them, in order: see Item.
func (r *Redline) Items() []Item {
	var out []Item
	for _, b := range r.Blocks {
		if b.Kind != ChangeEqual {
			out = append(out, itemsOf(b)...)
		}
	}
	return out
}

// itemsOf is the changes of one block, named.
func itemsOf(b Block) []Item {
	var out []Item
	label := ""
	eachItem(b, func(line int, kind Change, row Line) {
		if label == "" {
			if label = b.label(); label == "" {
				label = firstWords(b, 8)
			}
		}
		it := Item{Change: b.Change, Line: line, Kind: kind, Label: label}
		if line > 0 {
			it.Term = rowTerm(row)
		}
		out = append(out, it)
	})
	return out
}

// eachItem splits a changed block into its changes, calling yield with each one's line (0
// for the block itself), kind and, for a row, its line. A block in both versions (changed or
// renumbered) whose table rows changed is a change for each such row, and one more when its
// other text changed too (its number, its words outside the table). A block inserted,
// deleted or moved whole is one change, whatever tables it holds.
func eachItem(b Block, yield func(line int, kind Change, row Line)) {
	if b.Kind != ChangeChanged && b.Kind != ChangeRenumbered {
		yield(0, b.Kind, Line{})
		return
	}
	rows, other := 0, false
	for _, l := range b.Lines {
		if _, ok := rowChange(l); ok {
			rows++
		} else if l.Kind != ChangeEqual || hasChange(l.Ops) {
			other = true
		}
	}
	if rows == 0 || other {
		yield(0, b.Kind, Line{})
	}
	if rows == 0 {
		return
	}
	for k, l := range b.Lines {
		if what, ok := rowChange(l); ok {
			kind := ChangeChanged
			switch what {
			case "inserted":
				kind = ChangeInserted
			case "deleted":
				kind = ChangeDeleted
			}
			yield(k+1, kind, l)
		}
	}
}

func hasChange(ops []Op) bool {
	for _, op := range ops {
		if op.Kind != OpEqual {
			return true
		}
	}
	return false
}

// rowTerm is a row's first cell, in the new version (the old one for a deleted row). Only
// the text up to the first cell separator is gathered: a definition's row is long.
func rowTerm(l Line) string {
	keep := OpInsert
	if l.Kind == ChangeDeleted {
		keep = OpDelete
	}
	var b strings.Builder
	for _, op := range l.Ops {
		if op.Kind != OpEqual && op.Kind != keep {
			continue
		}
		b.WriteString(op.Text)
		if i := strings.Index(b.String(), cellSep); i >= 0 { // the separator may span two ops
			return strings.TrimSpace(Normalize(b.String()[:i]))
		}
		if b.Len() > 4<<10 { // no separator soon: not a term
			break
		}
	}
	return clip(strings.TrimSpace(Normalize(b.String())), 200)
}

// countItems counts the changes of the redline by kind (Summary.Changes), without naming
// them. Counts.add leaves out moved-away blocks: a move is counted once, where the text is now.
func countItems(r *Redline) Counts {
	var c Counts
	for _, b := range r.Blocks {
		if b.Kind != ChangeEqual {
			eachItem(b, func(_ int, kind Change, _ Line) { c.add(kind) })
		}
	}
	return c
}
