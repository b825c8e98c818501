package docimport

import (
	"encoding/xml"
	"io"
	"strings"
)

// maxColumns bounds the empty cells a merged cell may add.
const maxColumns = 64

// table reads a w:tbl; a table inside a table cell is flattened into that cell.
func (b *bodyReader) table() error {
	ts := &tableState{t: &table{}}
	b.tables = append(b.tables, ts)
	err := b.children()
	b.tables = b.tables[:len(b.tables)-1]
	if err != nil {
		return err
	}
	if ts.row != nil { // a row left open by a broken file
		ts.t.rows = append(ts.t.rows, ts.row)
	}
	if ts.t.merged {
		b.m.note(b.paraID(), "layout", "table with merged cells: each merged cell's text is in its first cell, the others are empty")
	}
	if n := len(b.tables); n > 0 && b.tables[n-1].cell != nil {
		// A table in a table cell: its text goes into the cell, row by row.
		c := b.tables[n-1].cell
		for _, row := range ts.t.rows {
			for _, rc := range row {
				c.paras = append(c.paras, rc.paras...)
			}
		}
		b.m.note(b.paraID(), "structure", "table inside a table cell: flattened into the cell's text")
		return nil
	}
	if len(ts.t.rows) > 0 {
		b.m.blocks = append(b.m.blocks, block{table: ts.t})
	}
	return nil
}

// row reads a w:tr; a row deleted as a tracked change is dropped.
func (b *bodyReader) row() error {
	if len(b.tables) == 0 {
		return b.children()
	}
	ts := b.tables[len(b.tables)-1]
	ts.row, ts.deleted = []cell{}, false
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside a table row", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if !(ts.deleted && rowEmpty(ts.row)) {
				ts.t.rows = append(ts.t.rows, ts.row)
			}
			ts.row = nil
			return nil
		case xml.StartElement:
			if t.Name.Local == "trPr" {
				text, err := b.r.skipFind("del")
				if err != nil {
					return err
				}
				ts.deleted = text
				continue
			}
			if err := b.element(t); err != nil {
				return err
			}
		}
	}
}

func rowEmpty(row []cell) bool {
	for _, c := range row {
		for _, p := range c.paras {
			if strings.TrimSpace(p.fullText()) != "" {
				return false
			}
		}
	}
	return true
}

// cell reads a w:tc; a merged cell adds empty cells after it.
func (b *bodyReader) cell() error {
	if len(b.tables) == 0 {
		return b.children()
	}
	ts := b.tables[len(b.tables)-1]
	outer := ts.cell
	ts.cell, ts.span, ts.cont = &cell{}, 1, false
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside a table cell", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			c := *ts.cell
			if ts.cont && rowEmpty([]cell{c}) {
				c = cell{}
			}
			ts.row = append(ts.row, c)
			for i := 1; i < ts.span && len(ts.row) < maxColumns; i++ {
				ts.row = append(ts.row, cell{})
			}
			ts.cell = outer
			return nil
		case xml.StartElement:
			if t.Name.Local == "tcPr" {
				if err := b.cellProps(ts); err != nil {
					return err
				}
				continue
			}
			if err := b.element(t); err != nil {
				return err
			}
		}
	}
}

// cellProps reads a w:tcPr: horizontal (gridSpan) and vertical (vMerge) merges.
func (b *bodyReader) cellProps(ts *tableState) error {
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside cell properties", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "tcPr" {
				return nil
			}
		case xml.StartElement:
			switch t.Name.Local {
			case "gridSpan":
				if n := atoi(attr(t, "val"), 1); n > 1 {
					ts.span = min(n, maxColumns)
					ts.t.merged = true
				}
			case "vMerge", "hMerge":
				if v := attr(t, "val"); v == "" || v == "continue" {
					ts.cont = true
				}
				ts.t.merged = true
			}
			if _, err := b.r.skip(); err != nil {
				return err
			}
		}
	}
}

// fieldChar handles the begin, separate and end marks of a complex field.
func (b *bodyReader) fieldChar(kind string) {
	switch kind {
	case "begin":
		if len(b.fields) < maxDepth {
			b.fields = append(b.fields, &fieldState{para: b.paraID()})
		}
	case "separate":
		if n := len(b.fields); n > 0 {
			b.fields[n-1].result = true
		}
	case "end":
		n := len(b.fields)
		if n == 0 {
			return
		}
		f := b.fields[n-1]
		b.fields = b.fields[:n-1]
		what := "its result text is kept"
		if !f.result {
			what = "it shows no result text"
		}
		if b.fieldResults {
			b.m.note(f.para, "field", "field %s: %s", fieldName(f.instr.String()), what)
		}
	}
}

// instr reads a field instruction (w:instrText) into the innermost open field.
func (b *bodyReader) instr() error {
	text, err := b.r.skip()
	if err != nil {
		return err
	}
	if n := len(b.fields); n > 0 && b.fields[n-1].instr.Len() < 200 {
		b.fields[n-1].instr.WriteString(text + " ")
	}
	return nil
}

// fieldName is the field's keyword and first argument ("REF _Ref123"), for the report.
func fieldName(instr string) string {
	f := strings.Fields(instr)
	switch len(f) {
	case 0:
		return "(no instruction)"
	case 1:
		return strings.ToUpper(f[0])
	}
	return strings.ToUpper(f[0]) + " " + clip(f[1], 40)
}

// insertion reads a tracked insertion: its text is taken, with a finding.
func (b *bodyReader) insertion() error {
	p := b.p
	before := 0
	if p != nil {
		before = len(p.runs)
	}
	if err := b.children(); err != nil {
		return err
	}
	if p == nil || b.p != p {
		b.once("ins-block", "tracked-change", "tracked insertions of whole paragraphs or tables accepted")
		return nil
	}
	var ins strings.Builder
	for _, r := range p.runs[before:] {
		if ins.Len() < 200 {
			ins.WriteString(r.text)
		}
	}
	if t := strings.TrimSpace(ins.String()); t != "" {
		b.m.note(p.id, "tracked-change", "tracked insertion accepted: %q", clip(t, 60))
	}
	return nil
}

// deletion drops a tracked deletion, with a finding that quotes it.
func (b *bodyReader) deletion() error {
	text, err := b.r.skip()
	if err != nil {
		return err
	}
	if text != "" {
		b.m.note(b.paraID(), "tracked-change", "tracked deletion dropped: %q", clip(text, 60))
	}
	return nil
}

// drawing skips an image, a shape or a text box, with a finding quoting any text in it.
func (b *bodyReader) drawing(kind string) error {
	text, err := b.r.skip()
	if err != nil {
		return err
	}
	what := "image or drawing"
	switch kind {
	case "object":
		what = "embedded object"
	case "text box":
		what = "text box"
	}
	if text != "" {
		b.m.note(b.paraID(), "image", "%s not imported; it holds the text %q", what, clip(text, 60))
		return nil
	}
	b.m.note(b.paraID(), "image", "%s not imported", what)
	return nil
}

// alternate reads mc:AlternateContent: the fallback, which every reader understands; the
// choices are for newer readers.
func (b *bodyReader) alternate() error {
	fallback := false
	var skipped string
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside alternate content", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if !fallback && skipped != "" {
				b.m.note(b.paraID(), "image", "content for newer versions of Word not imported: %q", clip(skipped, 60))
			}
			return nil
		case xml.StartElement:
			if t.Name.Local == "Fallback" {
				fallback = true
				if err := b.children(); err != nil {
					return err
				}
				continue
			}
			text, err := b.r.skip()
			if err != nil {
				return err
			}
			if len(skipped) < 200 {
				skipped += text
			}
		}
	}
}

// section reads section properties: a page layout we do not carry. A section break inside
// the text, more than one column, and headers or footers (checked with their parts) are
// reported; the page size and margins of a single section are not.
func (b *bodyReader) section(inParagraph bool) error {
	cols := 1
	for {
		tok, err := b.r.next()
		if err != nil {
			if err == io.EOF {
				err = inputErrorf("not a valid .docx: %s ends inside section properties", b.r.part)
			}
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == "sectPr" {
				if inParagraph {
					b.m.note(b.paraID(), "layout", "section break (a change of page layout) not imported")
				}
				if cols > 1 {
					b.m.note(b.paraID(), "layout", "text in %d columns: imported as one column", cols)
				}
				return nil
			}
		case xml.StartElement:
			if t.Name.Local == "cols" {
				cols = atoi(attr(t, "num"), 1)
			}
			if _, err := b.r.skip(); err != nil {
				return err
			}
		}
	}
}
