package docimport

import (
	"fmt"
	"strings"
)

// run is a stretch of text with one formatting.
type run struct {
	text         string
	bold, italic bool
}

// para is one paragraph as read from the input.
type para struct {
	// heading is the heading level (1-9), 0 for a body paragraph; title marks a paragraph in
	// the Title style (a heading above level 1).
	heading int
	title   bool
	// num is the number Word shows before the paragraph ("H1.1", "(a)"), as rendered; ""
	// when it has none. bullet is set for a bulleted paragraph (whose glyph is not text).
	num    string
	bullet bool
	// list is the list level (Word's ilvl) of a numbered or bulleted paragraph, -1 otherwise.
	list int
	// listStyle marks a paragraph in a list style without numbering (List Paragraph).
	listStyle bool
	// tableRow marks a table row written as a paragraph, cells separated by " | " (the
	// redline writer's TableRow style).
	tableRow bool
	// item marks a plain-text paragraph that opened with a label ("a.", "(i)").
	item bool
	// emphatic marks a paragraph set apart as a heading would be: all its text bold (Word),
	// or a single short line (plain text).
	emphatic bool
	runs     []run
	// id numbers the paragraph for findings; -1 when none was assigned.
	id int
}

// text is the paragraph's text without its number.
func (p *para) text() string {
	var b strings.Builder
	for _, r := range p.runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// fullText is the text with the number, as a reader sees it.
func (p *para) fullText() string {
	t := p.text()
	if p.num == "" {
		return t
	}
	return p.num + " " + t
}

// table is a table: rows of cells, each cell its paragraphs.
type table struct {
	rows   [][]cell
	merged bool // some cells were merged (their text is in the first of them)
}

type cell struct {
	paras []*para
}

// block is a paragraph or a table at the top level of the document.
type block struct {
	para  *para
	table *table
}

// docModel is what a reader produces for the mapper.
type docModel struct {
	blocks   []block
	findings []pending
	// texts are the paragraphs' texts by id, to give a finding its context.
	texts []string
	// plain is set for a model read from plain text: a text without clause numbers is then
	// read as an outline ("1. Definitions", "a. ...") whose top-level numbers open clauses.
	plain bool
}

// pending is a finding not yet given its context: the paragraph it came from.
type pending struct {
	Finding
	para int // paragraph id, -1 for none
}

func (m *docModel) note(paraID int, kind, format string, args ...any) {
	m.findings = append(m.findings, pending{Finding: Finding{Kind: kind, Message: fmt.Sprintf(format, args...)}, para: paraID})
}

// report gives each finding the first 60 characters of its paragraph, or of the paragraph
// before it when its own is empty (an image on a line of its own).
func (m *docModel) report() []Finding {
	out := make([]Finding, 0, len(m.findings))
	for _, f := range m.findings {
		fi := f.Finding
		for i := f.para; i >= 0 && i < len(m.texts); i-- {
			if t := strings.Join(strings.Fields(m.texts[i]), " "); t != "" {
				fi.Context = clip(t, 60)
				if i != f.para {
					fi.Context = "after: " + fi.Context
				}
				break
			}
		}
		out = append(out, fi)
	}
	return out
}

// clip returns the first n characters of s.
func clip(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}
