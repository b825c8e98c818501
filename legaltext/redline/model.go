package redline

import (
	"strings"

	"codenav/legaltext"
)

// Redline is the comparison of two versions of a document: the blocks of both, in the order
// of the new version, with the deleted ones where they were in the old one. Every renderer
// works from this one value.
type Redline struct {
	Blocks  []Block
	Summary Summary
}

// Block is one node of either version (a heading, a clause, a paragraph) and what happened
// to it.
type Block struct {
	Kind Change
	// OldID and NewID are the author-written ids (clause number, part id) on each side;
	// empty for a node without one, or on the side where the block does not exist.
	OldID, NewID string
	// Node is the kind of node (of the new version, or of the old one for a deleted block);
	// Level its heading level.
	Node  legaltext.Kind
	Level int
	// Wording is true when the words changed (not only whitespace, wrapping or markers).
	Wording bool
	// Lines are the paragraphs of the block (a clause's text, its sub-paragraphs, the rows of
	// its tables), each with its word ops. They obey the law: equal and inserted ops spell
	// the new text, equal and deleted ops the old one.
	Lines []Line
	// Diff is set on a Moved block only: the word changes of the block against the text it
	// had at its old place, for display. Its Lines are all inserted (and its MovedAway twin's
	// all deleted), because the text left one place and arrived at another.
	Diff []Line
	// Change numbers the blocks that are not Equal, from 1, in document order; a MovedAway
	// block and its Moved twin point at each other through Pair.
	Change, Pair int
	// Where cites the units of a clause numbered by a scheme other than the SEC's where the
	// block changed, in order ("§ 14a (2)", "§ 14a (3) 1."): the clause itself when its own
	// text (its heading, its words before its first unit) changed, or when the whole clause
	// was inserted or deleted. Empty for an unchanged block and under the SEC's numbering.
	Where []string
	// Spans lists the ids of the nodes (of both versions) of a passage restructured across
	// several of them, which is one block: the ids it marks as changed.
	Spans []string
}

// Line is one paragraph of a block.
type Line struct {
	// Kind is ChangeEqual (in both versions, words possibly changed: see Ops), ChangeInserted
	// or ChangeDeleted (the whole paragraph), or ChangeChanged.
	Kind  Change
	Style Style
	// Level is the heading level of a StyleHeading line.
	Level int
	Ops   []Op
	// Unit cites the unit the paragraph belongs to ("§ 14a (2) 3."), when its clause is
	// numbered by a scheme other than the SEC's and the paragraph is in a unit.
	Unit string
	// Depth is how deep that unit sits under its clause: 1 for "(2)", 2 for "(2) 3.".
	// Renderers indent by it, so that nesting shows as nesting.
	Depth int
}

// Op is a run of text that is in both versions, or only in the new one, or only in the old.
type Op struct {
	Kind OpKind
	Text string
}

// Change says what happened to a block or a line.
type Change int

const (
	// ChangeEqual is no change of wording. A block's ops may still show a changed list
	// number or HTML comment: layout, which Markdown renders the same ("1. 1." is 1, 2).
	ChangeEqual Change = iota
	ChangeInserted
	ChangeDeleted
	ChangeChanged
	// ChangeRenumbered is a clause paired with one of another id (by its text), in place.
	ChangeRenumbered
	// ChangeMoved is a clause found out of order in the new version: shown where it now is.
	ChangeMoved
	// ChangeMovedAway marks where a moved clause was.
	ChangeMovedAway
)

var changeNames = [...]string{"equal", "inserted", "deleted", "changed", "renumbered", "moved", "moved-away"}

func (c Change) String() string {
	if int(c) < len(changeNames) && c >= 0 {
		return changeNames[c]
	}
	return "unknown"
}

// OpKind says which version a run of text belongs to.
type OpKind int

const (
	OpEqual OpKind = iota
	OpInsert
	OpDelete
)

func (k OpKind) String() string {
	switch k {
	case OpInsert:
		return "insert"
	case OpDelete:
		return "delete"
	default:
		return "equal"
	}
}

// Style is how a line is laid out.
type Style int

const (
	StyleParagraph Style = iota
	StyleHeading
	// StyleItem is a list item (a lettered sub-paragraph).
	StyleItem
	// StyleRow is a table row, cells separated by " | ".
	StyleRow
)

var styleNames = [...]string{"paragraph", "heading", "item", "row"}

func (s Style) String() string {
	if int(s) < len(styleNames) && s >= 0 {
		return styleNames[s]
	}
	return "paragraph"
}

// Summary counts what happened, to clauses and to all blocks, and the changes as a reader
// counts them.
type Summary struct {
	Clauses Counts
	Blocks  Counts
	// Changes counts the Items: each changed table row of a changed clause (a definition)
	// on its own, the other changed blocks one each. Its Unchanged is the clauses left
	// unchanged, or the blocks when the text has no clauses.
	Changes Counts
}

// Counts of blocks by change. A moved block is counted once (where it now is).
type Counts struct {
	Added, Deleted, Changed, Moved, Renumbered, Unchanged int
}

func (c *Counts) add(k Change) {
	switch k {
	case ChangeEqual:
		c.Unchanged++
	case ChangeInserted:
		c.Added++
	case ChangeDeleted:
		c.Deleted++
	case ChangeChanged:
		c.Changed++
	case ChangeRenumbered:
		c.Renumbered++
	case ChangeMoved:
		c.Moved++
	}
}

// Total is the number of blocks counted.
func (c Counts) Total() int {
	return c.Added + c.Deleted + c.Changed + c.Moved + c.Renumbered + c.Unchanged
}

// AcceptAll is the text with every change accepted: the new version's text (normalised:
// one paragraph per line, blocks separated by a blank line, single spaces).
func (r *Redline) AcceptAll() string { return r.text(OpInsert) }

// RejectAll is the text with every change rejected: the old version's text.
func (r *Redline) RejectAll() string { return r.text(OpDelete) }

func (r *Redline) text(keep OpKind) string {
	var b strings.Builder
	for _, bl := range r.Blocks {
		start := true
		for _, l := range bl.Lines {
			s := l.text(keep)
			if s == "" {
				continue
			}
			switch {
			case start && b.Len() > 0:
				b.WriteString("\n\n")
			case !start:
				b.WriteByte('\n')
			}
			start = false
			b.WriteString(s)
		}
	}
	return b.String()
}

// text is the line's text with the ops of kind keep (OpInsert: accept, OpDelete: reject).
func (l Line) text(keep OpKind) string {
	var b strings.Builder
	for _, op := range l.Ops {
		if op.Kind == OpEqual || op.Kind == keep {
			b.WriteString(op.Text)
		}
	}
	return Normalize(b.String())
}

// Changes returns the blocks that are not Equal, in order.
func (r *Redline) Changes() []Block {
	var out []Block
	for _, b := range r.Blocks {
		if b.Kind != ChangeEqual {
			out = append(out, b)
		}
	}
	return out
}

// label names a block for a reader: its id, "H14.6 → H14.5" when renumbered.
func (b Block) label() string {
	switch {
	case b.OldID != "" && b.NewID != "" && b.OldID != b.NewID:
		return b.OldID + " → " + b.NewID
	case b.NewID != "":
		return b.NewID
	default:
		return b.OldID
	}
}
