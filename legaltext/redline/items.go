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

// itemsOf splits a changed block into its changes. A block in both versions (changed or
// renumbered) whose table rows changed is a change for each such row, and one more when its
// other text changed too (its number, its words outside the table). A block inserted,
// deleted or moved whole is one change, whatever tables it holds.
func itemsOf(b Block) []Item {
	label := b.label()
	if label == "" {
		label = firstWords(b, 8)
	}
	whole := []Item{{Change: b.Change, Kind: b.Kind, Label: label}}
	if b.Kind != ChangeChanged && b.Kind != ChangeRenumbered {
		return whole
	}
	var rows []Item
	other := false
	for k, l := range b.Lines {
		if what, ok := rowChange(l); ok {
			kind := ChangeChanged
			switch what {
			case "inserted":
				kind = ChangeInserted
			case "deleted":
				kind = ChangeDeleted
			}
			rows = append(rows, Item{Change: b.Change, Line: k + 1, Kind: kind, Label: label, Term: rowTerm(l)})
			continue
		}
		if l.Kind != ChangeEqual || hasChange(l.Ops) {
			other = true
		}
	}
	if len(rows) == 0 {
		return whole
	}
	if other {
		return append(whole, rows...)
	}
	return rows
}

func hasChange(ops []Op) bool {
	for _, op := range ops {
		if op.Kind != OpEqual {
			return true
		}
	}
	return false
}

// rowTerm is a row's first cell, in the new version (the old one for a deleted row).
func rowTerm(l Line) string {
	text := l.text(OpInsert)
	if l.Kind == ChangeDeleted || text == "" {
		text = l.text(OpDelete)
	}
	first, _, _ := strings.Cut(text, cellSep)
	return strings.TrimSpace(first)
}

// countItems counts the changes by kind (Summary.Changes).
func countItems(items []Item) Counts {
	var c Counts
	for _, it := range items {
		if it.Kind != ChangeMovedAway { // a move is counted once, where the text now is
			c.add(it.Kind)
		}
	}
	return c
}
