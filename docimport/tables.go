package docimport

import "strings"

// table writes a table as a pipe table, its first row the header. A table headed
// Expression | Meaning is the definitions table: its expressions are written in bold.
func (mp *mapper) table(t *table) {
	rows := make([][]cellText, len(t.rows))
	cols := 0
	for i, r := range t.rows {
		for _, c := range r {
			rows[i] = append(rows[i], cellOf(c.paras))
		}
		cols = max(cols, len(rows[i]))
	}
	if cols == 0 {
		return
	}
	mp.writeTable(rows, cols)
}

// cellText is a cell's runs (its paragraphs joined by spaces) and plain text.
type cellText struct {
	runs []run
	text string
}

func cellOf(paras []*para) cellText {
	var runs []run
	for _, p := range paras {
		it, ok := makeItem(p)
		if !ok {
			continue
		}
		if len(runs) > 0 {
			runs = append(runs, run{text: " "})
		}
		runs = append(runs, it.runs...)
	}
	return cellText{runs: runs, text: runsText(runs)}
}

// isDefinitions reports a header row "Expression | Meaning".
func isDefinitions(header []cellText) bool {
	return len(header) >= 2 && strings.EqualFold(strings.TrimSpace(header[0].text), "expression") &&
		strings.EqualFold(strings.TrimSpace(header[1].text), "meaning")
}

// writeTable writes rows as a pipe table of cols columns; short rows are padded, since a
// pipe table drops cells beyond its header's.
func (mp *mapper) writeTable(rows [][]cellText, cols int) {
	defs := isDefinitions(rows[0])
	mp.startBlock(false)
	var src []string
	for i, r := range rows {
		cells := make([]string, cols)
		texts := make([]string, 0, len(r))
		for j := range cols {
			if j >= len(r) {
				continue
			}
			texts = append(texts, r[j].text)
			runs := r[j].runs
			if defs && i > 0 && j == 0 && r[j].text != "" {
				runs = []run{{text: r[j].text, bold: true}}
			}
			cells[j] = renderInline(runs, inlineCtx{table: true})
		}
		mp.out.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		if i == 0 {
			mp.out.WriteString(strings.Repeat("| --- ", cols) + "|\n")
		}
		src = append(src, strings.Join(texts, " | "))
	}
	mp.source(strings.Join(src, "\n"))
}

// flushRows writes the table rows collected from paragraphs (cells separated by " | ") as
// a table.
func (mp *mapper) flushRows() {
	if len(mp.rows) == 0 {
		return
	}
	rows := make([][]cellText, len(mp.rows))
	cols := 0
	for i, it := range mp.rows {
		for _, c := range strings.Split(it.text, " | ") {
			c = strings.TrimSpace(c)
			rows[i] = append(rows[i], cellText{runs: plainRuns(c), text: c})
		}
		cols = max(cols, len(rows[i]))
	}
	mp.rows = nil
	mp.writeTable(rows, cols)
}
