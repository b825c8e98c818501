package redline

import "strings"

// Tables: the rows of a Markdown table are lines of StyleRow, their cells separated by
// cellSep. The HTML and Word renderers show consecutive rows as one table, a row's word
// changes inside its cells, and a row added or removed as an inserted or deleted row.

const cellSep = " | "

// TableRow is one row of a table as a renderer shows it.
type TableRow struct {
	// Kind is ChangeInserted or ChangeDeleted for a row in one version only; ChangeEqual
	// or ChangeChanged for a row in both (its cells' ops say what changed).
	Kind  Change
	Cells [][]Op
}

// rowsOf turns a row line into table rows. A row whose cells are the same in both versions
// (the separators are unchanged text) is one row with its changes in its cells; a row whose
// cells changed (a column added, say) is shown as the old row deleted and the new one
// inserted, so that accepting or rejecting every change gives each version's row.
func RowsOf(l Line) []TableRow {
	switch l.Kind {
	case ChangeInserted:
		return []TableRow{{Kind: ChangeInserted, Cells: splitCells(l.text(OpInsert), OpInsert)}}
	case ChangeDeleted:
		return []TableRow{{Kind: ChangeDeleted, Cells: splitCells(l.text(OpDelete), OpDelete)}}
	}
	cells := [][]Op{nil}
	for _, op := range l.Ops {
		if op.Kind != OpEqual {
			if strings.Contains(op.Text, strings.TrimSpace(cellSep)) {
				return []TableRow{
					{Kind: ChangeDeleted, Cells: splitCells(l.text(OpDelete), OpDelete)},
					{Kind: ChangeInserted, Cells: splitCells(l.text(OpInsert), OpInsert)},
				}
			}
			cells[len(cells)-1] = append(cells[len(cells)-1], op)
			continue
		}
		parts := strings.Split(op.Text, cellSep)
		for i, p := range parts {
			if i > 0 {
				cells = append(cells, nil)
			}
			if p != "" {
				cells[len(cells)-1] = append(cells[len(cells)-1], Op{Kind: OpEqual, Text: p})
			}
		}
	}
	return []TableRow{{Kind: l.Kind, Cells: trailingEmpty(cells)}}
}

// trailingEmpty turns a row that ends in " |" (its last cell empty) into one more, empty, cell.
func trailingEmpty(cells [][]Op) [][]Op {
	last := cells[len(cells)-1]
	if len(last) == 0 || last[len(last)-1].Kind != OpEqual {
		return cells
	}
	op := &last[len(last)-1]
	if t, ok := strings.CutSuffix(op.Text, " |"); ok {
		op.Text = t
		if t == "" {
			cells[len(cells)-1] = last[:len(last)-1]
		}
		cells = append(cells, nil)
	}
	return cells
}

// splitCells splits one version's row text into cells of one kind.
func splitCells(text string, kind OpKind) [][]Op {
	if strings.HasSuffix(text, " |") {
		text += " " // the last cell is empty
	}
	parts := strings.Split(text, cellSep)
	out := make([][]Op, len(parts))
	for i, p := range parts {
		if p != "" {
			out[i] = []Op{{Kind: kind, Text: p}}
		}
	}
	return out
}

// tableRun returns how many lines from lines[i] on are table rows.
func tableRun(lines []Line, i int) int {
	n := 0
	for i+n < len(lines) && lines[i+n].Style == StyleRow {
		n++
	}
	return n
}
